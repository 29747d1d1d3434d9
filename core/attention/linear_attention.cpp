#include "core/attention/linear_attention.hpp"

#include <cmath>
#include <limits>
#include <vector>

#include "core/attention/parallel_rows.hpp"

namespace attnlab {
namespace {

// Rows of keys summed by one task. Fixed (not per thread), so the order of additions —
// and so every bit of the result — is the same on any number of cores.
constexpr Index kSegmentRows = 1024;

// S = Σ φ(k_j) v_jᵀ and z = Σ φ(k_j) over a set of keys, stored divided by exp(shift)
// (feature_map.hpp), in double whatever T is: they add up to L terms.
struct KeySums {
  Eigen::MatrixXd S;
  Eigen::VectorXd z;
  double shift = -std::numeric_limits<double>::infinity();  // no keys yet

  KeySums(Index m, Index dv) : S(Eigen::MatrixXd::Zero(m, dv)), z(Eigen::VectorXd::Zero(m)) {}

  // Re-expresses the sums relative to a larger shift.
  void raiseShift(double top) {
    if (top <= shift) return;
    if (shift > -std::numeric_limits<double>::infinity()) {
      const double f = std::exp(shift - top);
      S *= f;
      z *= f;
    }
    shift = top;
  }

  template <class MatS, class VecZ>
  void add(const MatS& Sb, const VecZ& zb, double shiftB) {
    raiseShift(shiftB);
    const double f = std::exp(shiftB - shift);
    S += f * Sb.template cast<double>();
    z += f * zb.template cast<double>();
  }

  void add(const KeySums& other) {
    if (other.shift > -std::numeric_limits<double>::infinity()) add(other.S, other.z, other.shift);
  }
};

// One thread's feature buffers.
template <class T>
struct Scratch {
  RowMatrix<T> phiQ, phiK, Sb, A, num;
  ColVector<T> zb, den;
};

// Sums over keys [begin, end), block by block.
template <class T>
void sumKeys(const FeatureMap<T>& map, const RowMatrix<T>& K, const RowMatrix<T>& V, Index begin,
             Index end, Index blockRows, Scratch<T>& s, KeySums& sums) {
  for (Index j0 = begin; j0 < end; j0 += blockRows) {
    const Index n = std::min(blockRows, end - j0);
    const T shift = map.keys(K.middleRows(j0, n), s.phiK);
    s.Sb.noalias() = s.phiK.transpose() * V.middleRows(j0, n);
    s.zb = s.phiK.colwise().sum().transpose();
    sums.add(s.Sb, s.zb, double(shift));
  }
}

// Sums over keys [begin, end) split into fixed segments summed in parallel, then added in order.
template <class T>
std::vector<KeySums> segmentSums(const FeatureMap<T>& map, const RowMatrix<T>& K, const RowMatrix<T>& V,
                                 Index begin, Index end, Index blockRows, WorkerPool& pool, Progress* progress) {
  const Index count = std::max<Index>(0, end - begin);
  std::vector<KeySums> parts((count + kSegmentRows - 1) / kSegmentRows, KeySums(map.features(), V.cols()));
  parallelRows(
      pool, count, kSegmentRows,
      [&](Index b, Index e) {
        Scratch<T> s;
        sumKeys(map, K, V, begin + b, begin + e, blockRows, s, parts[b / kSegmentRows]);
      },
      progress);
  return parts;
}

template <class T>
RowMatrix<T> nonCausal(const FeatureMap<T>& map, const RowMatrix<T>& Q, const RowMatrix<T>& K,
                       const RowMatrix<T>& V, WorkerPool& pool, const LinearAttentionOptions& opt) {
  KeySums total(map.features(), V.cols());
  for (const KeySums& part : segmentSums(map, K, V, 0, K.rows(), opt.blockRows, pool, opt.progress)) total.add(part);
  // The common key factor exp(total.shift) cancels between numerator and denominator.
  const RowMatrix<T> S = total.S.cast<T>();
  const ColVector<T> z = total.z.cast<T>();
  RowMatrix<T> out(Q.rows(), V.cols());
  parallelRows(
      pool, Q.rows(), 4 * opt.blockRows,
      [&](Index begin, Index end) {
        Scratch<T> s;
        for (Index i0 = begin; i0 < end; i0 += opt.blockRows) {
          const Index n = std::min(opt.blockRows, end - i0);
          map.queries(Q.middleRows(i0, n), s.phiQ);
          auto o = out.middleRows(i0, n);
          o.noalias() = s.phiQ * S;
          s.den.noalias() = s.phiQ * z;
          o.array().colwise() /= s.den.array();
        }
      },
      opt.progress);
  return out;
}

// Causal output rows [i0, i0 + n), whose diagonal keys are [i0 + off, i0 + off + n); `sums`
// holds every key before them and is advanced past them.
template <class T>
void causalChunk(const FeatureMap<T>& map, const RowMatrix<T>& Q, const RowMatrix<T>& K,
                 const RowMatrix<T>& V, Index i0, Index n, Index off, Scratch<T>& s, KeySums& sums,
                 RowMatrix<T>& out) {
  const auto Kc = K.middleRows(i0 + off, n);
  const auto Vc = V.middleRows(i0 + off, n);
  const double keyShift = double(map.keys(Kc, s.phiK));
  map.queries(Q.middleRows(i0, n), s.phiQ);
  sums.raiseShift(keyShift);
  // Within the chunk: (φ(Q_c) φ(K_c)ᵀ masked to j ≤ i) V_c, on the same scale as the sums.
  s.A.noalias() = s.phiQ * s.phiK.transpose();
  s.A *= T(std::exp(keyShift - sums.shift));
  s.A.template triangularView<Eigen::StrictlyUpper>().setZero();
  auto o = out.middleRows(i0, n);
  o.noalias() = s.phiQ * sums.S.cast<T>();
  o.noalias() += s.A * Vc;
  s.den.noalias() = s.phiQ * sums.z.cast<T>();
  s.den += s.A.rowwise().sum();
  o.array().colwise() /= s.den.array();
  s.Sb.noalias() = s.phiK.transpose() * Vc;
  s.zb = s.phiK.colwise().sum().transpose();
  sums.add(s.Sb, s.zb, keyShift);
}

// Prefix sums in three passes: key sums per segment of queries (parallel), an exclusive
// scan over segments (sequential, cheap), then each segment's outputs from its prefix
// (parallel), chunk by chunk.
template <class T>
RowMatrix<T> causal(const FeatureMap<T>& map, const RowMatrix<T>& Q, const RowMatrix<T>& K,
                    const RowMatrix<T>& V, WorkerPool& pool, const LinearAttentionOptions& opt) {
  const Index off = CausalRule{Q.rows(), K.rows()}.offset();
  KeySums prefix(map.features(), V.cols());
  for (const KeySums& part : segmentSums(map, K, V, 0, off, opt.blockRows, pool, opt.progress)) prefix.add(part);
  std::vector<KeySums> starts = segmentSums(map, K, V, off, K.rows(), opt.blockRows, pool, opt.progress);
  for (KeySums& seg : starts) {  // each segment's own sums → the sums of every key before it
    const KeySums own = std::move(seg);
    seg = prefix;
    prefix.add(own);
  }
  RowMatrix<T> out(Q.rows(), V.cols());
  parallelRows(
      pool, Q.rows(), kSegmentRows,
      [&](Index begin, Index end) {
        Scratch<T> s;
        KeySums sums = starts[begin / kSegmentRows];
        for (Index i0 = begin; i0 < end; i0 += opt.causalChunkRows)
          causalChunk(map, Q, K, V, i0, std::min(opt.causalChunkRows, end - i0), off, s, sums, out);
      },
      opt.progress);
  return out;
}

}  // namespace

template <class T>
RowMatrix<T> linearAttention(const FeatureMap<T>& map, const RowMatrix<T>& Q, const RowMatrix<T>& K,
                             const RowMatrix<T>& V, WorkerPool& pool, const LinearAttentionOptions& options) {
  LinearAttentionOptions opt = options;
  opt.blockRows = std::max<Index>(1, opt.blockRows);
  opt.causalChunkRows = std::max<Index>(1, opt.causalChunkRows);
  return opt.causal ? causal(map, Q, K, V, pool, opt) : nonCausal(map, Q, K, V, pool, opt);
}

template RowMatrix<float> linearAttention(const FeatureMap<float>&, const RowMatrix<float>&,
                                          const RowMatrix<float>&, const RowMatrix<float>&, WorkerPool&,
                                          const LinearAttentionOptions&);
template RowMatrix<double> linearAttention(const FeatureMap<double>&, const RowMatrix<double>&,
                                           const RowMatrix<double>&, const RowMatrix<double>&, WorkerPool&,
                                           const LinearAttentionOptions&);

}  // namespace attnlab
