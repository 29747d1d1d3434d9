// [SECTION] exact point loss (the fallback)
// [SECTION] the register tile: α, S_b, S₂ for kRows t-rows × one s-panel
// [SECTION] per-kind terms: quadratics and the rounding bound
// [SECTION] the separable grid: packing, tiles, per-row losses, recomputation
#include "core/landscape/vector_grid.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "core/landscape/plane_quadratic.hpp"

namespace attnlab::detail {

using Eigen::ArrayXd;
using Eigen::Index;
using Eigen::VectorXd;

// [SECTION] exact point loss (the fallback) ------------------------------------------------

PlanePointLoss::PlanePointLoss(const Problem& problem, const Plane& plane)
    : problem_(problem),
      plane_(plane),
      a_(problem.A * plane.x0),
      p_(problem.A * plane.u),
      q_(problem.A * plane.v),
      w2_(problem.kind == Kind::InfoPrompt ? ArrayXd(problem.w.array().square()) : ArrayXd()),
      beta_(problem.b.sum()) {}

double PlanePointLoss::operator()(double s, double t, ArrayXd& z) const {
  const auto b = problem_.b.array();
  z = a_ + s * p_ + t * q_;
  double L = 0.0;
  const Kind kind = problem_.kind;
  if (kind == Kind::Linear) {
    L = 0.5 * (z - b).square().sum();
  } else if (kind == Kind::Exp) {
    L = 0.5 * (z.exp() - b).square().sum();
  } else {
    const double m = z.maxCoeff();
    const double bz = (kind == Kind::CrossEntropy || kind == Kind::InfoPrompt) ? (b * z).sum() : 0.0;
    const double w2z2 = kind == Kind::InfoPrompt ? 0.5 * (w2_ * z.square()).sum() : 0.0;
    z = (z - m).exp();
    const double alpha = z.sum();
    if (kind == Kind::Rescaled) {
      const double B = (z - alpha * b).square().sum();  // ‖e^{z−m} − α̂·b‖²
      L = B > 0 ? 0.5 * std::exp(2.0 * m + std::log(B)) : 0.0;
    } else {
      const double lse = m + std::log(alpha);
      if (kind == Kind::Softmax || kind == Kind::InfoPrompt) L = 0.5 * (z / alpha - b).square().sum();
      if (kind == Kind::CrossEntropy || kind == Kind::InfoPrompt) L += beta_ * lse - bz + w2z2;
    }
  }
  if (problem_.l2 != 0.0) L += 0.5 * problem_.l2 * (plane_.x0 + s * plane_.u + t * plane_.v).squaredNorm();
  return L;
}

namespace {

namespace ei = Eigen::internal;
using Packet = ei::packet_traits<double>::type;
constexpr int kLanes = ei::packet_traits<double>::size;
constexpr double kEpsilon = std::numeric_limits<double>::epsilon() / 2;  // unit roundoff

// [SECTION] the register tile: α, S_b, S₂ for kRows t-rows × one s-panel --------------------
//
// Sums = 1 (α) or 3 (α, S_b, S₂). The s side comes in panels of kWidth columns, stored per k as
// Sums rows of kWidth (e^{…}, b_k·e^{…}, e^{2…}); the t side in groups of kRows rows, per k as
// kRows values of e^{t q − M} (and their squares for Sums = 3), broadcast against the panel.
// Shapes keep the FMA units, not the loads, the limit: with AVX-512 (32 registers) a k step of
// Sums = 3 is 24 FMAs against 3 vector loads and 16 broadcasts, all accumulators in registers;
// with AVX2 (16 registers) 12 FMAs against 3 loads and 8 broadcasts.
template <int Sums>
constexpr int kRows = kLanes >= 8 ? 8 : 4;
template <int Sums>
constexpr int kVectors = Sums == 3 ? 1 : (kLanes >= 8 ? 3 : 2);
template <int Sums>
constexpr int kWidth = kVectors<Sums> * kLanes;
template <int Sums>
constexpr int kTStreams = Sums == 3 ? 2 : 1;

// c[sum] points at row 0, column 0 of the tile in accumulator sum (rows ldc apart); accumulate = false
// starts from zero instead of adding to what c holds.
template <int Sums>
void tile(const double* sPanel, const double* tGroup, Index depth, double* const* c, Index ldc, bool accumulate) {
  constexpr int V = kVectors<Sums>;
  constexpr int T = kTStreams<Sums>;
  constexpr int J = kRows<Sums>;
  Packet acc[Sums][J][V];
  for (int sum = 0; sum < Sums; ++sum)
    for (int r = 0; r < J; ++r)
      for (int v = 0; v < V; ++v)
        acc[sum][r][v] = accumulate ? ei::ploadu<Packet>(c[sum] + r * ldc + v * kLanes) : ei::pset1<Packet>(0.0);
  for (Index k = 0; k < depth; ++k, sPanel += Sums * V * kLanes, tGroup += T * J) {
    Packet s[Sums][V];
    for (int sum = 0; sum < Sums; ++sum)
      for (int v = 0; v < V; ++v) s[sum][v] = ei::ploadu<Packet>(sPanel + (sum * V + v) * kLanes);
    for (int r = 0; r < J; ++r) {
      const Packet e = ei::pset1<Packet>(tGroup[r]);
      for (int v = 0; v < V; ++v) acc[0][r][v] = ei::pmadd(e, s[0][v], acc[0][r][v]);
      if constexpr (Sums == 3) {
        const Packet e2 = ei::pset1<Packet>(tGroup[J + r]);
        for (int v = 0; v < V; ++v) {
          acc[1][r][v] = ei::pmadd(e, s[1][v], acc[1][r][v]);
          acc[2][r][v] = ei::pmadd(e2, s[2][v], acc[2][r][v]);
        }
      }
    }
  }
  for (int sum = 0; sum < Sums; ++sum)
    for (int r = 0; r < J; ++r)
      for (int v = 0; v < V; ++v) ei::pstoreu(c[sum] + r * ldc + v * kLanes, acc[sum][r][v]);
}

// [SECTION] per-kind terms: quadratics and the rounding bound --------------------------------

int sumsFor(Kind kind) {
  if (kind == Kind::Linear) return 0;
  return kind == Kind::CrossEntropy ? 1 : 3;
}

// What a kind adds to the three sums, and the bound of the rounding in its expanded form.
struct KindTerms {
  Kind kind;
  double bb = 0.0;          // ‖b‖²
  double beta = 0.0;        // Σ b
  double bMaxAbs = 0.0;     // ‖b‖_∞
  bool bNonNegative = true; // then Σ|b_k|e^{z_k} = S_b
  double g = 0.0;           // 2(n+16)ε: relative rounding of a sum of n products
  PlaneQuadratic quadratic; // the exact linear / ridge / ⟨b,z⟩ / ‖diag(w)z‖² part
  PlaneQuadratic bound;     // its rounding bound, a quadratic in (|s|, |t|)
};

VectorXd absolute(const VectorXd& v) { return v.cwiseAbs(); }

KindTerms kindTerms(const Problem& P, const Plane& plane, const VectorXd& a, const VectorXd& p, const VectorXd& q) {
  KindTerms k;
  k.kind = P.kind;
  const double n = double(P.n()), d = double(plane.x0.size());
  k.bb = P.b.squaredNorm();
  k.beta = P.b.sum();
  k.bMaxAbs = P.b.cwiseAbs().maxCoeff();
  k.bNonNegative = P.b.minCoeff() >= 0;
  k.g = 2.0 * (n + 16.0) * kEpsilon;
  const double gd = 2.0 * (d + 16.0) * kEpsilon;
  using Q = PlaneQuadratic;
  if (P.kind == Kind::Linear) {
    const VectorXd c = a - P.b;
    k.quadratic += Q::halfWeightedNorm(c, p, q);
    k.bound += Q::halfWeightedNorm(absolute(c), absolute(p), absolute(q)) * k.g;
  }
  if (P.kind == Kind::CrossEntropy || P.kind == Kind::InfoPrompt) {
    k.quadratic += Q::inner(P.b, a, p, q) * -1.0;
    k.bound += Q::inner(absolute(P.b), absolute(a), absolute(p), absolute(q)) * k.g;
  }
  if (P.kind == Kind::InfoPrompt) {
    const VectorXd w2 = P.w.cwiseAbs2();
    k.quadratic += Q::halfWeightedNorm(a, p, q, w2);
    k.bound += Q::halfWeightedNorm(absolute(a), absolute(p), absolute(q), w2) * k.g;
  }
  if (P.l2 != 0.0) {
    k.quadratic += Q::halfWeightedNorm(plane.x0, plane.u, plane.v) * P.l2;
    k.bound += Q::halfWeightedNorm(absolute(plane.x0), absolute(plane.u), absolute(plane.v)) * (std::abs(P.l2) * gd);
  }
  return k;
}

// Adds one grid row's exponential terms to L and their rounding bound to E, from the shifted
// sums and the shifts σ = m_i + M_j. A point the sums cannot resolve gets E = ∞.
void addExponentialTerms(const KindTerms& k, const ArrayXd& sigma, const double* alphaRow, const double* sbRow,
                         const double* s2Row, Eigen::Ref<ArrayXd> L, Eigen::Ref<ArrayXd> E) {
  const Index N = sigma.size();
  const Eigen::Map<const ArrayXd> alpha(alphaRow, N);
  if (k.kind == Kind::CrossEntropy || k.kind == Kind::InfoPrompt) {
    const ArrayXd logAlpha = alpha.log();
    L += k.beta * (sigma + logAlpha);
    E += k.g * std::abs(k.beta) * (sigma.abs() + logAlpha.abs() + 1.0);
  }
  if (k.kind != Kind::CrossEntropy) {
    const Eigen::Map<const ArrayXd> Sb(sbRow, N), S2(s2Row, N);
    const ArrayXd SbAbs = k.bNonNegative ? ArrayXd(Sb) : ArrayXd(k.bMaxAbs * alpha);
    if (k.kind == Kind::Softmax || k.kind == Kind::InfoPrompt) {
      const ArrayXd inv = alpha.inverse();
      const ArrayXd f2 = S2 * inv.square();  // ‖f‖²
      L += 0.5 * f2 - Sb * inv + 0.5 * k.bb;
      E += k.g * (f2 + 2.0 * SbAbs * inv + k.bb);
    } else if (k.kind == Kind::Rescaled) {
      const ArrayXd B = S2 - 2.0 * alpha * Sb + alpha.square() * k.bb;  // e^{−2σ}‖e^z − αb‖²
      L += (B > 0).select(0.5 * (2.0 * sigma + B.log()).exp(), 0.0);
      const ArrayXd scale = k.g * (1.0 + 2.0 * sigma.abs());
      E += scale * 0.5 * (2.0 * sigma + (S2 + 2.0 * alpha * SbAbs + alpha.square() * k.bb).log()).exp();
    } else {  // exp
      const ArrayXd e2 = (2.0 * sigma + S2.log()).exp();
      const ArrayXd e1 = (sigma + Sb.abs().log()).exp();
      L += 0.5 * e2 - (Sb < 0).select(-e1, e1) + 0.5 * k.bb;
      E += k.g * (1.0 + 2.0 * sigma.abs()) * (0.5 * e2 + (sigma + SbAbs.log()).exp() + 0.5 * k.bb);
    }
    E = (S2 > 1e-290).select(E, std::numeric_limits<double>::infinity());
  }
  E = (alpha > 1e-150).select(E, std::numeric_limits<double>::infinity());
}

// [SECTION] the separable grid: packing, tiles, per-row losses, recomputation ---------------

constexpr Index kDepth = 128;                   // k per block: a tile group's t data stays in L1
constexpr double kSlabBytes = 2 << 20;          // packed s side per slab of k: in L2/L3, few pages
constexpr double kPanelBlockBytes = 512 << 10;  // s panels per block of k: stays in L2
constexpr Index kChunkRows = 16;                // t rows per task: ~0.3 ms at n = 1024, N = 256
constexpr double kRecomputeBound = 1e-10;       // relative to max|L|; the promise is 1e−9

std::string numberText(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", v);
  return text;
}

class SeparableGrid {
 public:
  SeparableGrid(const Problem& problem, const Plane& plane, const VectorXd& s, const VectorXd& t)
      : problem_(problem),
        s_(s.array()),
        t_(t.array()),
        sAbs_(s_.abs()),
        a_(problem.A * plane.x0),
        p_(problem.A * plane.u),
        q_(problem.A * plane.v),
        terms_(kindTerms(problem, plane, a_, p_, q_)),
        sums_(sumsFor(problem.kind)),
        pointLoss_(problem, plane) {}

  Status run(WorkerPool& pool, Progress& progress, GridValues& loss, VectorGridStats* stats) {
    loss.resize(t_.size(), s_.size());
    bound_.resize(t_.size(), s_.size());
    Status status = Status::Success;
    if (sums_ == 0)
      status = quadraticOnly(pool, progress, loss);
    else if (sums_ == 1)
      status = separable<1>(pool, progress, loss);
    else
      status = separable<3>(pool, progress, loss);
    if (status != Status::Success) return status;
    return recompute(pool, progress, loss, stats);
  }

 private:
  // L and its rounding bound for row j: the quadratic part, plus the exponential terms
  // from the row's shifted sums when the kind has any.
  void finishRow(Index j, GridValues& loss, const double* alpha, const double* sb, const double* s2) {
    Eigen::Map<ArrayXd> L(loss.row(j).data(), s_.size()), E(bound_.row(j).data(), s_.size());
    terms_.quadratic.row(s_, t_(j), L);
    terms_.bound.row(sAbs_, std::abs(t_(j)), E);
    if (sums_ > 0) addExponentialTerms(terms_, m_ + M_(j), alpha, sb, s2, L, E);
    E = L.isFinite().select(E, std::numeric_limits<double>::infinity());
  }

  Status quadraticOnly(WorkerPool& pool, Progress& progress, GridValues& loss) {
    pool.parallelFor(0, t_.size(), kChunkRows, [&](Index j0, Index j1) {
      for (Index j = j0; j < j1; ++j) finishRow(j, loss, nullptr, nullptr, nullptr);
    }, &progress);
    return progress.cancelled() ? Status::Cancelled : Status::Success;
  }

  // m_i = max_k (a_k + s_i p_k), M_j = max_k t_j q_k: each factor's largest exponent is 0.
  void computeShifts(WorkerPool& pool, Progress& progress) {
    m_.resize(s_.size());
    M_.resize(t_.size());
    const ArrayXd& a = a_.array();
    const ArrayXd& p = p_.array();
    const ArrayXd& q = q_.array();
    const Index grain = std::max<Index>(1, Index(1 << 16) / a_.size());  // ~0.1 ms a task
    pool.parallelFor(0, s_.size() + t_.size(), grain, [&](Index b, Index e) {
      for (Index r = b; r < e; ++r) {
        const Index j = r - s_.size();
        if (j < 0)
          m_(r) = (a + s_(r) * p).maxCoeff();
        else
          M_(j) = (t_(j) * q).maxCoeff();
      }
    }, &progress);
  }

  // The three sums for every point, slab of k by slab of k: the s side of a slab is packed once
  // (shared), then each task packs its own t rows and runs the tiles into C. The last slab
  // turns each finished row of C into losses while it is still in cache.
  template <int Sums>
  Status separable(WorkerPool& pool, Progress& progress, GridValues& loss) {
    constexpr Index W = kWidth<Sums>;
    const Index n = a_.size(), Nt = t_.size();
    const Index panels = (s_.size() + W - 1) / W;
    const Index chunks = (Nt + kChunkRows - 1) / kChunkRows;
    const Index slab = std::min(n, std::max<Index>(1, Index(kSlabBytes / (8.0 * Sums * W * panels)) / kDepth) * kDepth);
    const Index panelsPerBlock = std::max<Index>(1, Index(kPanelBlockBytes / (8.0 * kDepth * Sums * W)));

    computeShifts(pool, progress);
    if (progress.cancelled()) return Status::Cancelled;
    std::vector<double> sPack(std::size_t(panels * W * Sums * slab));
    GridValues C[Sums];
    for (GridValues& c : C) c.resize(chunks * kChunkRows, panels * W);
    const Index slabs = (n + slab - 1) / slab;
    std::atomic<Index> done{0};
    for (Index k0 = 0; k0 < n; k0 += slab) {
      const Index depth = std::min(slab, n - k0);
      pool.parallelFor(0, panels, 1, [&](Index P0, Index P1) {
        for (Index P = P0; P < P1; ++P) packPanel<Sums>(P, k0, depth, sPack.data() + P * W * Sums * slab);
      }, &progress);
      if (progress.cancelled()) return Status::Cancelled;
      pool.parallelFor(0, chunks, 1, [&](Index c0, Index c1) {
        std::vector<double> tPack(std::size_t(kChunkRows * kTStreams<Sums> * depth));
        for (Index c = c0; c < c1; ++c) {
          const Index j0 = c * kChunkRows, j1 = std::min(j0 + kChunkRows, Nt);
          packRows<Sums>(j0, k0, depth, tPack.data());
          multiplyRows<Sums>(j0, depth, panels, panelsPerBlock, sPack.data(), slab, tPack.data(), C, k0 == 0);
          if (k0 + depth == n)
            for (Index j = j0; j < j1; ++j)
              finishRow(j, loss, C[0].row(j).data(), Sums == 3 ? C[1].row(j).data() : nullptr,
                        Sums == 3 ? C[2].row(j).data() : nullptr);
          progress.setFraction(double(++done) / double(slabs * chunks));
        }
      }, &progress);
      if (progress.cancelled()) return Status::Cancelled;
    }
    return Status::Success;
  }

  // Panel P of the s side for k in [k0, k0 + depth): per k, Sums rows of W columns.
  // Columns past the grid repeat its last one (their results are never read).
  template <int Sums>
  void packPanel(Index P, Index k0, Index depth, double* panel) const {
    constexpr Index W = kWidth<Sums>;
    const auto a = a_.segment(k0, depth).array();
    const auto p = p_.segment(k0, depth).array();
    const auto b = problem_.b.segment(k0, depth).array();
    ArrayXd e(depth);
    for (Index w = 0; w < W; ++w) {
      const Index i = std::min(P * W + w, s_.size() - 1);
      e = (a + s_(i) * p - m_(i)).exp();
      double* out = panel + w;
      for (Index k = 0; k < depth; ++k, out += Sums * W) {
        out[0] = e(k);
        if constexpr (Sums == 3) {
          out[W] = b(k) * e(k);
          out[2 * W] = e(k) * e(k);
        }
      }
    }
  }

  // The t side of rows [j0, j0 + kChunkRows), k in [k0, k0 + depth): groups of J rows, per k
  // J values (and their squares). Rows past the grid repeat its last one.
  template <int Sums>
  void packRows(Index j0, Index k0, Index depth, double* tPack) const {
    constexpr Index J = kRows<Sums>, T = kTStreams<Sums>;
    const auto q = q_.segment(k0, depth).array();
    ArrayXd e(depth);
    for (Index r = 0; r < kChunkRows; ++r) {
      const Index j = std::min(j0 + r, t_.size() - 1);
      e = (t_(j) * q - M_(j)).exp();
      double* out = tPack + (r / J) * depth * T * J + (r % J);
      for (Index k = 0; k < depth; ++k, out += T * J) {
        out[0] = e(k);
        if constexpr (T == 2) out[J] = e(k) * e(k);
      }
    }
  }

  // C rows [j0, j0 + kChunkRows) (+)= t side × s sideᵀ over the slab, blocked so that a tile's
  // t group stays in L1 and a block of s panels in L2 (the order of BLIS's loops).
  template <int Sums>
  void multiplyRows(Index j0, Index depth, Index panels, Index panelsPerBlock, const double* sPack, Index slab,
                    const double* tPack, GridValues* C, bool firstSlab) const {
    constexpr Index W = kWidth<Sums>, J = kRows<Sums>, T = kTStreams<Sums>;
    const Index ldc = C[0].cols();
    double* c[Sums];
    for (Index kb = 0; kb < depth; kb += kDepth) {
      const Index kc = std::min(kDepth, depth - kb);
      const bool accumulate = !(firstSlab && kb == 0);
      for (Index P0 = 0; P0 < panels; P0 += panelsPerBlock) {
        const Index P1 = std::min(panels, P0 + panelsPerBlock);
        for (Index g = 0; g < kChunkRows / J; ++g) {
          const double* group = tPack + (g * depth + kb) * T * J;
          for (Index P = P0; P < P1; ++P) {
            for (int sum = 0; sum < Sums; ++sum) c[sum] = C[sum].data() + (j0 + g * J) * ldc + P * W;
            tile<Sums>(sPack + (P * slab + kb) * Sums * W, group, kc, c, ldc, accumulate);
          }
        }
      }
    }
  }

  // Points the separable form could not resolve (E = ∞), then those whose rounding bound is
  // not far below max|L|, are recomputed from z.
  Status recompute(WorkerPool& pool, Progress& progress, GridValues& loss, VectorGridStats* stats) {
    Index total = recomputeWhere(pool, progress, loss, std::numeric_limits<double>::max());
    if (progress.cancelled()) return Status::Cancelled;
    const double Lmax = loss.cwiseAbs().maxCoeff();
    total += recomputeWhere(pool, progress, loss, kRecomputeBound * Lmax);
    if (progress.cancelled()) return Status::Cancelled;
    if (stats) stats->recomputed = total;
    return Status::Success;
  }

  Index recomputeWhere(WorkerPool& pool, Progress& progress, GridValues& loss, double limit) {
    std::vector<Index> points;
    for (Index k = 0; k < bound_.size(); ++k)
      if (!(bound_.data()[k] <= limit)) points.push_back(k);
    const Index Ns = s_.size();
    const Index grain = std::max<Index>(1, Index(1 << 16) / std::max<Index>(1, a_.size()));
    pool.parallelFor(0, Index(points.size()), grain, [&](Index b, Index e) {
      ArrayXd z;
      for (Index k = b; k < e; ++k) {
        const Index j = points[std::size_t(k)] / Ns, i = points[std::size_t(k)] % Ns;
        const double L = pointLoss_(s_(i), t_(j), z);
        if (!std::isfinite(L))
          throw OverflowError("loss of kind '" + std::string(kindName(problem_.kind)) + "' at grid point s = " +
                              numberText(s_(i)) + ", t = " + numberText(t_(j)));
        loss(j, i) = L;
        bound_(j, i) = 0.0;
      }
    }, &progress);
    return Index(points.size());
  }

  const Problem& problem_;
  ArrayXd s_, t_, sAbs_;
  VectorXd a_, p_, q_;
  KindTerms terms_;
  int sums_;
  PlanePointLoss pointLoss_;
  ArrayXd m_, M_;
  GridValues bound_;  // rounding bound of each point's separable value (∞: recompute)
};

}  // namespace

Status vectorGridLoss(const Problem& problem, const Plane& plane, const VectorXd& s, const VectorXd& t,
                      WorkerPool& pool, Progress& progress, GridValues& loss, VectorGridStats* stats) {
  SeparableGrid grid(problem, plane, s, t);
  return grid.run(pool, progress, loss, stats);
}

}  // namespace attnlab::detail
