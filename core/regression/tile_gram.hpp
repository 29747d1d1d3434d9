// The Gram sum of Newton's mixed-precision Hessian on Intel AMX (internal to core/regression):
//     lower(G) += Σ_r c_r y_r y_rᵀ
// the sum float_gram.hpp forms with AVX-512, formed on the tile unit instead. Each float32 y is
// split into two bfloat16s, y ≈ hi + lo (16 of its 24 significant bits), and the products
// hi·hi + hi·lo + lo·hi are summed in float32 ("bf16x3"): entries within ~1e-5 of the terms'
// magnitudes instead of ~1e-7, for about a fifth of the time. Newton's refinement (newton.cpp)
// makes its steps exact either way; one more product at worst, and at κ(H) ≲ 1e3 none.
//
// The design's rows are the tiles' right-hand operands, packed once per Loss (TileDesign); the
// left-hand operand, c_r·y_r, is rounded and split chunk by chunk as the sum goes.
#pragma once
#include <Eigen/Dense>
#include <cstddef>
#include <cstdint>
#include <new>
#include <utility>
#include <vector>

namespace attnlab::detail {

// Storage whose rows start on 64-byte cache lines (a tile row that straddles two lines loads
// about three times slower), its elements left uninitialised by resize(): every word is
// written before it is read, and zeroing a megabyte first would cost a fifth of the packing.
template <class T>
struct CacheLineAllocator {
  using value_type = T;
  static constexpr std::align_val_t kAlignment{64};
  CacheLineAllocator() = default;
  template <class U>
  CacheLineAllocator(const CacheLineAllocator<U>&) {}
  T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), kAlignment)); }
  void deallocate(T* p, std::size_t) { ::operator delete(p, kAlignment); }
  template <class U>
  void construct(U* p) {
    ::new (static_cast<void*>(p)) U;  // default-initialised: no value for trivial types
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
  template <class U>
  bool operator==(const CacheLineAllocator<U>&) const { return true; }
};
template <class T>
using CacheLineVector = std::vector<T, CacheLineAllocator<T>>;

// The CPU has AMX-BF16 and AVX512-BF16, and the kernel grants this process the tile registers
// (asked once, for all threads). When false, nothing below may be called.
bool tileGramAvailable();

// Linux gives a thread its 8 KB of tile state at the thread's first tile instruction, which traps
// into the kernel: tens of microseconds, and more while the core adjusts to the tile unit. This
// takes that trap now (when a compute thread starts) rather than inside the first Hessian.
// Harmless where there are no tiles, and cheap once done.
void prepareTileState();

// Rows [begin, end) of a design as the tile unit's right-hand operand, in blocks of 32 rows ×
// 16 columns: a block is one 16×16 tile of 32-bit words, word (t, j) holding rows 2t and 2t + 1
// of column j as two bfloat16s, for the hi and the lo parts. Rows past `end` and columns past
// the design's are zeros. (Each Hessian's weighted left-hand operand is made from the design
// itself, which its other passes keep in cache anyway: a float32 copy for it would crowd the L2.)
struct TileDesign {
  Eigen::Index begin = 0, end = 0, cols = 0;  // rows [begin, end) of a design with `cols` columns
  Eigen::Index rowBlocks = 0, colBlocks = 0;
  CacheLineVector<std::uint32_t> hi, lo;  // block (rb, cb) starts at word (rb·colBlocks + cb)·256

  const std::uint32_t* hiTile(Eigen::Index rb, Eigen::Index cb) const { return hi.data() + (rb * colBlocks + cb) * 256; }
  const std::uint32_t* loTile(Eigen::Index rb, Eigen::Index cb) const { return lo.data() + (rb * colBlocks + cb) * 256; }
};

TileDesign packTileDesign(const Eigen::MatrixXd& A, Eigen::Index begin, Eigen::Index end);

// addFloatGram's contract (float_gram.hpp) for the rows of A packed in Y: G (p × p,
// p = paddedWidth(A.cols())) gains Σ c_r y_r y_rᵀ in at least its lower triangle.
void addTileGram(const TileDesign& Y, const Eigen::MatrixXd& A, const Eigen::VectorXd& c, Eigen::MatrixXf& G);

}  // namespace attnlab::detail
