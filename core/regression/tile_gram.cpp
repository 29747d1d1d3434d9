#include "core/regression/tile_gram.hpp"

#include <algorithm>
#include <stdexcept>

#if defined(__x86_64__) && defined(__GNUC__)
#define ATTNLAB_HAVE_TILES 1
#include <cpuid.h>
#include <immintrin.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "core/regression/float_gram.hpp"

namespace attnlab::detail {

#if defined(ATTNLAB_HAVE_TILES)
namespace {

using Eigen::Index;

#define ATTNLAB_TILE_TARGET __attribute__((target("avx512f,avx512bw,avx512dq,avx512bf16,amx-tile,amx-bf16")))

constexpr Index kBlockRows = 32;   // design rows per tile product: 32 bfloat16s fill a 64-byte tile row
constexpr Index kTileWords = 256;  // a 16×16 tile of 32-bit words
constexpr Index kChunkBlocks = 4;  // row blocks whose left-hand tiles are split at once (40 KB at d = 64: L1)
constexpr int kGroup = 4;          // accumulator tiles held at once: tmm0–3 (tmm4–5 left, tmm6–7 right)

// LDTILECFG's 64-byte operand: every tile 16 rows of 64 bytes.
struct alignas(64) TileConfig {
  std::uint8_t palette = 1;
  std::uint8_t startRow = 0;
  std::uint8_t reserved[14] = {};
  std::uint16_t colBytes[16] = {};
  std::uint8_t rows[16] = {};
};

bool cpuHasTiles() {
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return false;
  const bool avx512 = (b >> 16 & 1) && (b >> 17 & 1) && (b >> 30 & 1);  // F, DQ, BW
  const bool amx = (d >> 22 & 1) && (d >> 24 & 1);                      // AMX-BF16, AMX-TILE
  if (!avx512 || !amx) return false;
  if (!__get_cpuid_count(7, 1, &a, &b, &c, &d)) return false;
  return a >> 5 & 1;  // AVX512-BF16
}

// Linux keeps the 8 KB of tile state out of a process until it asks (arch/x86 ARCH_REQ_XCOMP_PERM).
bool kernelGrantsTiles() {
  constexpr long kRequestPermission = 0x1023;  // ARCH_REQ_XCOMP_PERM
  constexpr long kTileData = 18;               // XFEATURE_XTILEDATA
  return syscall(SYS_arch_prctl, kRequestPermission, kTileData) == 0;
}

// Which of the 32 rows of a block from `count` on are past the end, as four masks of 8.
struct RowMasks {
  __mmask8 m[4];
  explicit RowMasks(Index count) {
    for (int k = 0; k < 4; ++k) {
      const Index left = count - 8 * k;
      m[k] = left >= 8 ? 0xFF : left <= 0 ? 0 : static_cast<__mmask8>((1u << left) - 1);
    }
  }
};

// 32 doubles at p (rows past the mask read as zero), times the weights w when given, rounded to
// float32: rows 0–15 in f0, 16–31 in f1.
ATTNLAB_TILE_TARGET inline void loadRows(const double* p, const RowMasks& masks, const __m512d* w, __m512& f0,
                                         __m512& f1) {
  __m256 q[4];
  for (int k = 0; k < 4; ++k) {
    __m512d v = _mm512_maskz_loadu_pd(masks.m[k], p + 8 * k);
    if (w) v = _mm512_mul_pd(v, w[k]);
    q[k] = _mm512_cvtpd_ps(v);
  }
  f0 = _mm512_insertf32x8(_mm512_castps256_ps512(q[0]), q[1], 1);
  f1 = _mm512_insertf32x8(_mm512_castps256_ps512(q[2]), q[3], 1);
}

ATTNLAB_TILE_TARGET inline __m512 widen(__m256i bf16) {
  return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(bf16), 16));
}

// 32 floats as bfloat16 hi (nearest) and lo (nearest to the remainder, which float32 holds
// exactly, |lo| ≤ 2⁻⁸|y|): y = hi + lo to 2⁻¹⁷ of |y|, and the dropped lo·lo is below 2⁻¹⁶ of a
// product. Each 32 bfloat16s in row order, so 32-bit word t holds rows 2t and 2t + 1.
ATTNLAB_TILE_TARGET inline void splitRows(__m512 f0, __m512 f1, std::uint32_t* hi, std::uint32_t* lo) {
  const __m512i h = reinterpret_cast<__m512i>(_mm512_cvtne2ps_pbh(f1, f0));
  const __m512 r0 = _mm512_sub_ps(f0, widen(_mm512_castsi512_si256(h)));
  const __m512 r1 = _mm512_sub_ps(f1, widen(_mm512_extracti64x4_epi64(h, 1)));
  _mm512_store_si512(hi, h);
  _mm512_store_si512(lo, reinterpret_cast<__m512i>(_mm512_cvtne2ps_pbh(r1, r0)));
}

// out[t][j] = in[j][t] for a 16×16 block of words: 32-bit, then 64-bit interleaves, then two
// rounds of 128-bit lane shuffles.
ATTNLAB_TILE_TARGET void transposeTile(const std::uint32_t* in, std::uint32_t* out) {
  __m512i r[16], t[16];
  for (int i = 0; i < 16; ++i) r[i] = _mm512_load_si512(in + 16 * i);
  for (int i = 0; i < 8; ++i) {
    t[2 * i] = _mm512_unpacklo_epi32(r[2 * i], r[2 * i + 1]);
    t[2 * i + 1] = _mm512_unpackhi_epi32(r[2 * i], r[2 * i + 1]);
  }
  for (int i = 0; i < 4; ++i) {
    r[4 * i] = _mm512_unpacklo_epi64(t[4 * i], t[4 * i + 2]);
    r[4 * i + 1] = _mm512_unpackhi_epi64(t[4 * i], t[4 * i + 2]);
    r[4 * i + 2] = _mm512_unpacklo_epi64(t[4 * i + 1], t[4 * i + 3]);
    r[4 * i + 3] = _mm512_unpackhi_epi64(t[4 * i + 1], t[4 * i + 3]);
  }
  for (int i = 0; i < 4; ++i) {
    t[i] = _mm512_shuffle_i32x4(r[i], r[i + 4], 0x88);
    t[i + 4] = _mm512_shuffle_i32x4(r[i], r[i + 4], 0xdd);
    t[i + 8] = _mm512_shuffle_i32x4(r[i + 8], r[i + 12], 0x88);
    t[i + 12] = _mm512_shuffle_i32x4(r[i + 8], r[i + 12], 0xdd);
  }
  for (int i = 0; i < 8; ++i) {
    _mm512_store_si512(out + 16 * i, _mm512_shuffle_i32x4(t[i], t[i + 8], 0x88));
    _mm512_store_si512(out + 16 * (i + 8), _mm512_shuffle_i32x4(t[i], t[i + 8], 0xdd));
  }
}

// Accumulator tiles tmm0 … tmm(count−1) gain, over `blocks` row blocks, left-hand rows
// `left` (hi, lo: 16 rows of one row block, `leftStride` words apart between blocks) times the
// right-hand blocks (rb0 + kb, cb0 + k): hi·hi + hi·lo + lo·hi.
template <int kCount>
ATTNLAB_TILE_TARGET void productGroup(const TileDesign& Y, Index rb0, Index blocks, Index cb0, const std::uint32_t* leftHi,
                                      const std::uint32_t* leftLo, Index leftStride, float* acc, Index accStride) {
  const Index bytes = accStride * Index(sizeof(float));
  if constexpr (kCount > 0) _tile_loadd(0, acc, bytes);
  if constexpr (kCount > 1) _tile_loadd(1, acc + 16, bytes);
  if constexpr (kCount > 2) _tile_loadd(2, acc + 32, bytes);
  if constexpr (kCount > 3) _tile_loadd(3, acc + 48, bytes);
  for (Index kb = 0; kb < blocks; ++kb) {
    _tile_loadd(4, leftHi + kb * leftStride, 64);
    _tile_loadd(5, leftLo + kb * leftStride, 64);
    // GCC's tile intrinsics paste their register numbers into the assembly: literals only.
#define ATTNLAB_TILE_PRODUCT(K)                                 \
  _tile_loadd(6, Y.hiTile(rb0 + kb, cb0 + K), 64);              \
  _tile_loadd(7, Y.loTile(rb0 + kb, cb0 + K), 64);              \
  _tile_dpbf16ps(K, 4, 6);                                      \
  _tile_dpbf16ps(K, 4, 7);                                      \
  _tile_dpbf16ps(K, 5, 6)
    if constexpr (kCount > 0) { ATTNLAB_TILE_PRODUCT(0); }
    if constexpr (kCount > 1) { ATTNLAB_TILE_PRODUCT(1); }
    if constexpr (kCount > 2) { ATTNLAB_TILE_PRODUCT(2); }
    if constexpr (kCount > 3) { ATTNLAB_TILE_PRODUCT(3); }
#undef ATTNLAB_TILE_PRODUCT
  }
  if constexpr (kCount > 0) _tile_stored(0, acc, bytes);
  if constexpr (kCount > 1) _tile_stored(1, acc + 16, bytes);
  if constexpr (kCount > 2) _tile_stored(2, acc + 32, bytes);
  if constexpr (kCount > 3) _tile_stored(3, acc + 48, bytes);
}

ATTNLAB_TILE_TARGET void products(int count, const TileDesign& Y, Index rb0, Index blocks, Index cb0,
                                  const std::uint32_t* leftHi, const std::uint32_t* leftLo, Index leftStride, float* acc,
                                  Index accStride) {
  switch (count) {
    case 1: return productGroup<1>(Y, rb0, blocks, cb0, leftHi, leftLo, leftStride, acc, accStride);
    case 2: return productGroup<2>(Y, rb0, blocks, cb0, leftHi, leftLo, leftStride, acc, accStride);
    case 3: return productGroup<3>(Y, rb0, blocks, cb0, leftHi, leftLo, leftStride, acc, accStride);
    default: return productGroup<4>(Y, rb0, blocks, cb0, leftHi, leftLo, leftStride, acc, accStride);
  }
}

// The left-hand rows of one chunk: for each row block kb and left row z (design column z
// weighted by c, then zeros), 32 bfloat16s hi and lo at word (kb·zRows + z)·16.
struct LeftChunk {
  Index zRows = 0;
  CacheLineVector<std::uint32_t> hi, lo;

  LeftChunk(Index rows) : zRows(rows), hi(kChunkBlocks * rows * 16, 0), lo(kChunkBlocks * rows * 16, 0) {}

  ATTNLAB_TILE_TARGET void fill(const TileDesign& Y, const Eigen::MatrixXd& A, const Eigen::VectorXd& c, Index rb0,
                                Index blocks) {
    for (Index kb = 0; kb < blocks; ++kb) {
      const Index r0 = Y.begin + (rb0 + kb) * kBlockRows;
      const RowMasks masks(Y.end - r0);
      __m512d w[4];
      for (int k = 0; k < 4; ++k) w[k] = _mm512_maskz_loadu_pd(masks.m[k], c.data() + r0 + 8 * k);
      __m512 f0, f1;
      for (Index z = 0; z < Y.cols; ++z) {
        loadRows(A.col(z).data() + r0, masks, w, f0, f1);
        splitRows(f0, f1, &hi[(kb * zRows + z) * 16], &lo[(kb * zRows + z) * 16]);
      }
    }
  }
};

// Block (rb, cb) of the right-hand operand: its 16 columns split, then turned into pairs of rows.
ATTNLAB_TILE_TARGET void packBlock(const Eigen::MatrixXd& A, Index r0, Index count, Index cb, std::uint32_t* hi,
                                   std::uint32_t* lo) {
  alignas(64) std::uint32_t byColumnHi[kTileWords] = {}, byColumnLo[kTileWords] = {};
  const RowMasks masks(count);
  for (Index j = 0; j < 16 && cb * 16 + j < A.cols(); ++j) {
    __m512 f0, f1;
    loadRows(A.col(cb * 16 + j).data() + r0, masks, nullptr, f0, f1);
    splitRows(f0, f1, byColumnHi + j * 16, byColumnLo + j * 16);
  }
  transposeTile(byColumnHi, hi);
  transposeTile(byColumnLo, lo);
}

ATTNLAB_TILE_TARGET void configureTiles() {
  TileConfig config;
  for (int t = 0; t < 8; ++t) {
    config.colBytes[t] = 64;
    config.rows[t] = 16;
  }
  // Not GCC 12's _tile_loadconfig: its asm operand claims to read 8 bytes, so the stores that fill
  // the other 56 may be dropped as dead (it happened once the function was inlined elsewhere).
  asm volatile("ldtilecfg %0" : : "m"(config));
}

ATTNLAB_TILE_TARGET void releaseTiles() { _tile_release(); }

ATTNLAB_TILE_TARGET void touchTiles() {
  configureTiles();
  _tile_zero(0);
  releaseTiles();
}

}  // namespace

bool tileGramAvailable() {
  static const bool available = cpuHasTiles() && kernelGrantsTiles();
  return available;
}

TileDesign packTileDesign(const Eigen::MatrixXd& A, Index begin, Index end) {
  if (!tileGramAvailable()) throw std::logic_error("packTileDesign: no AMX tiles on this machine");
  TileDesign T;
  T.begin = begin;
  T.end = end;
  T.cols = A.cols();
  T.rowBlocks = (end - begin + kBlockRows - 1) / kBlockRows;
  T.colBlocks = paddedWidth(A.cols()) / 16;
  T.hi.resize(T.rowBlocks * T.colBlocks * kTileWords);
  T.lo.resize(T.hi.size());
  for (Index rb = 0; rb < T.rowBlocks; ++rb) {
    const Index r0 = begin + rb * kBlockRows;
    for (Index cb = 0; cb < T.colBlocks; ++cb)
      packBlock(A, r0, end - r0, cb, T.hi.data() + (rb * T.colBlocks + cb) * kTileWords,
                T.lo.data() + (rb * T.colBlocks + cb) * kTileWords);
  }
  return T;
}

void addTileGram(const TileDesign& Y, const Eigen::MatrixXd& A, const Eigen::VectorXd& c, Eigen::MatrixXf& G) {
  if (!tileGramAvailable()) throw std::logic_error("addTileGram: no AMX tiles on this machine");
  const Index p = Y.colBlocks * 16, colBlocks = Y.colBlocks, zRows = colBlocks * 16;
  // acc(z, i) = Σ_r left_r,z · y_r,i, row-major: accumulator tile (J, I) at row 16J, column 16I.
  CacheLineVector<float> acc(zRows * p, 0.0f);
  LeftChunk left(zRows);
  configureTiles();
  for (Index rb0 = 0; rb0 < Y.rowBlocks; rb0 += kChunkBlocks) {
    const Index blocks = std::min(kChunkBlocks, Y.rowBlocks - rb0);
    left.fill(Y, A, c, rb0, blocks);
    for (Index J = 0; J < colBlocks; ++J) {
      const Index columnBlocks = J + 1;  // lower triangle
      for (Index cb0 = 0; cb0 < columnBlocks; cb0 += kGroup)
        products(int(std::min<Index>(kGroup, columnBlocks - cb0)), Y, rb0, blocks, cb0,
                 left.hi.data() + J * 16 * 16, left.lo.data() + J * 16 * 16, zRows * 16,
                 acc.data() + (16 * J) * p + 16 * cb0, p);
    }
  }
  releaseTiles();
  for (Index j = 0; j < p; ++j)
    for (Index i = j; i < p; ++i) G(i, j) += acc[i * p + j];
}

void prepareTileState() {
  if (tileGramAvailable()) touchTiles();
}

#else

bool tileGramAvailable() { return false; }

void prepareTileState() {}

TileDesign packTileDesign(const Eigen::MatrixXd&, Eigen::Index, Eigen::Index) {
  throw std::logic_error("packTileDesign: no AMX tiles on this machine");
}

void addTileGram(const TileDesign&, const Eigen::MatrixXd&, const Eigen::VectorXd&, Eigen::MatrixXf&) {
  throw std::logic_error("addTileGram: no AMX tiles on this machine");
}

#endif

}  // namespace attnlab::detail
