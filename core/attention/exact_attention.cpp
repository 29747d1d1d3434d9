#include "core/attention/exact_attention.hpp"

#include <cmath>
#include <limits>

#include "core/attention/parallel_rows.hpp"

namespace attnlab {
namespace {

// One thread's state for one query block: the score tile S, the unnormalised output O,
// and per row the running max m and running sum ℓ.
template <class T>
struct OnlineSoftmax {
  RowMatrix<T> S, O;
  ColVector<T> m, l;

  OnlineSoftmax(Index rows, Index keys, Index dv) : S(rows, keys), O(rows, dv), m(rows), l(rows) {}

  void reset(Index rows) {
    m.head(rows).setConstant(-std::numeric_limits<T>::infinity());
    l.head(rows).setZero();
    O.topRows(rows).setZero();
  }
};

// Scores of future keys become −∞ so that exp gives exactly 0 (only on diagonal tiles).
template <class T, class Tile>
void maskFuture(Tile& S, Index q0, Index k0, const CausalRule& rule) {
  for (Index r = 0; r < S.rows(); ++r) {
    const Index visible = std::clamp<Index>(rule.keyEnd(q0 + r) - k0, 0, S.cols());
    S.row(r).tail(S.cols() - visible).setConstant(-std::numeric_limits<T>::infinity());
  }
}

// Turns the score tile into P = exp(S − m_new) in place and folds it into m, ℓ, O.
// Row by row: each row of a row-major tile is contiguous, so max, exp and sum vectorise.
template <class T, class Tile>
void foldTileIntoRows(Tile& S, OnlineSoftmax<T>& w) {
  for (Index r = 0; r < S.rows(); ++r) {
    auto row = S.row(r).array();
    const T mNew = std::max(w.m[r], row.maxCoeff());
    const T alpha = std::exp(w.m[r] - mNew);  // 0 on the first tile (m = −∞)
    row = (row - mNew).exp();
    w.l[r] = alpha * w.l[r] + row.sum();
    if (alpha != T(1)) w.O.row(r) *= alpha;
    w.m[r] = mNew;
  }
}

template <class T>
void attendQueryBlock(const RowMatrix<T>& Qs, const RowMatrix<T>& K, const RowMatrix<T>& V,
                      Index q0, Index rows, const SoftmaxAttentionOptions& opt, OnlineSoftmax<T>& w,
                      RowMatrix<T>& out) {
  const CausalRule rule{Qs.rows(), K.rows()};
  const Index keyEnd = opt.causal ? rule.keyEnd(q0 + rows - 1) : K.rows();
  const Index tileKeys = opt.tiles.keys;
  const auto Qb = Qs.middleRows(q0, rows);
  w.reset(rows);
  for (Index k0 = 0; k0 < keyEnd; k0 += tileKeys) {
    const Index cols = std::min(tileKeys, keyEnd - k0);
    auto S = w.S.topLeftCorner(rows, cols);
    S.noalias() = Qb * K.middleRows(k0, cols).transpose();
    if (opt.causal && k0 + cols > rule.keyEnd(q0)) maskFuture<T>(S, q0, k0, rule);
    foldTileIntoRows(S, w);
    w.O.topRows(rows).noalias() += S * V.middleRows(k0, cols);
  }
  out.middleRows(q0, rows) = w.O.topRows(rows).array().colwise() / w.l.head(rows).array();
}

}  // namespace

template <class T>
RowMatrix<T> softmaxAttention(const RowMatrix<T>& Q, const RowMatrix<T>& K, const RowMatrix<T>& V, WorkerPool& pool,
                              const SoftmaxAttentionOptions& options) {
  SoftmaxAttentionOptions opt = options;
  opt.tiles.queries = std::max<Index>(1, opt.tiles.queries);
  opt.tiles.keys = std::max<Index>(1, opt.tiles.keys);
  // s is applied to Q once (Lq·d products) rather than to every score (Lq·Lk).
  const RowMatrix<T> Qs = T(opt.scale) * Q;
  RowMatrix<T> out(Q.rows(), V.cols());
  const Index blockRows = opt.tiles.queries;
  // A task is a few query blocks, so each thread reuses its tile buffers across them.
  parallelRows(
      pool, Q.rows(), 4 * blockRows,
      [&](Index begin, Index end) {
        OnlineSoftmax<T> w(blockRows, std::min(opt.tiles.keys, std::max<Index>(K.rows(), 1)), V.cols());
        for (Index q0 = begin; q0 < end; q0 += blockRows) {
          // A block costs 4·blockRows·Lk·d flops: ~8 ms at Lk = 65536, so cancel is polled here too.
          if (opt.progress && opt.progress->cancelled()) return;
          attendQueryBlock(Qs, K, V, q0, std::min(blockRows, end - q0), opt, w, out);
        }
      },
      opt.progress);
  return out;
}

template RowMatrix<float> softmaxAttention(const RowMatrix<float>&, const RowMatrix<float>&,
                                           const RowMatrix<float>&, WorkerPool&, const SoftmaxAttentionOptions&);
template RowMatrix<double> softmaxAttention(const RowMatrix<double>&, const RowMatrix<double>&,
                                            const RowMatrix<double>&, WorkerPool&, const SoftmaxAttentionOptions&);

}  // namespace attnlab
