// [SECTION] checks and messages
// [SECTION] vector kinds: one block, z = A x
// [SECTION] attention kinds: n blocks, z_i = row i of Z = A₁XA₂ᵀ
// [SECTION] Loss
//
// Design rows of the attention kinds are numbered r = i·n + j (block i, entry j), the order
// in which Zᵀ stores Z_ij column by column; row r is (a2_j ⊗ a1_i)ᵀ acting on vec(X).
#include "core/regression/loss.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/errors.hpp"
#include "core/jobs/part_team.hpp"
#include "core/regression/design_passes.hpp"
#include "core/regression/float_gram.hpp"
#include "core/regression/row_losses.hpp"
#include "core/regression/shapes.hpp"
#include "core/regression/tile_gram.hpp"

namespace attnlab {

namespace detail {
// The float32 sum of one row part k, lower(Σ c_r y_r y_rᵀ): by the AVX-512 (or Eigen) kernel on
// the float32 rows of A, or in bf16x3 on the AMX tile unit (tile_gram.hpp).
struct SingleSums {
  const Eigen::MatrixXd* design = nullptr;
  const FloatRows* rows = nullptr;
  const std::vector<TileDesign>* tiles = nullptr;

  // Part k, rows [begin, end).
  void add(Eigen::Index k, Eigen::Index begin, Eigen::Index end, const Eigen::VectorXd& c, Eigen::MatrixXf& G) const {
    if (tiles)
      addTileGram((*tiles)[k], *design, c, G);
    else
      addFloatGram(*rows, begin, end, c, G);
  }
};

}  // namespace detail

namespace {

using detail::addBlockGram;
using detail::addWeightedGram;
using detail::applyBlockHessian;
using detail::BlockEval;
using detail::evaluateBlockHessian;
using detail::ExpScale;
using detail::SingleSums;
using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

// [SECTION] checks and messages ------------------------------------------------------------

std::string formatNumber(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", v);
  return buffer;
}

bool involvesExp(Kind kind) {
  return kind == Kind::Exp || kind == Kind::Rescaled || kind == Kind::AttentionRescaled;
}

// Names the overflowing quantity and the logit that drives it: the largest one for the kinds
// built on exp(z), the largest in magnitude otherwise. z is Ax, or Zᵀ (column i = row i of Z).
[[noreturn]] void throwOverflow(const std::string& quantity, Kind kind, const Eigen::Ref<const MatrixXd>& z) {
  Index r = 0, c = 0;
  if (involvesExp(kind))
    z.maxCoeff(&r, &c);
  else
    z.cwiseAbs().maxCoeff(&r, &c);
  const bool attention = isAttentionKind(kind);
  const std::string where = attention ? "row " + std::to_string(c) + ", column " + std::to_string(r)
                                      : "row " + std::to_string(r);
  const std::string image = attention ? "A1·X·A2ᵀ" : "Ax";
  const std::string value = involvesExp(kind) ? "exp(" + image + ") = e^" + formatNumber(z(r, c))
                                              : image + " = " + formatNumber(z(r, c));
  throw OverflowError(quantity + " of kind '" + std::string(kindName(kind)) + "' at " + where + " (" + value + ")");
}

template <class Derived>
void requireFiniteResult(const Eigen::DenseBase<Derived>& result, const std::string& quantity, Kind kind,
                         const Eigen::Ref<const MatrixXd>& z) {
  if (!result.allFinite()) throwOverflow(quantity, kind, z);
}

// z = Ax (or Z) itself can overflow for huge A or x; report where before anything uses it.
void requireFiniteLogits(const Eigen::Ref<const MatrixXd>& z, bool attention) {
  if (z.allFinite()) return;
  for (Index c = 0; c < z.cols(); ++c)
    for (Index r = 0; r < z.rows(); ++r)
      if (!std::isfinite(z(r, c)))
        throw OverflowError(attention ? "A1·X·A2ᵀ at row " + std::to_string(c) + ", column " + std::to_string(r)
                                      : "Ax at row " + std::to_string(r));
}

void requireSize(const VectorXd& v, Index size, const char* what) {
  if (v.size() != size)
    throw std::invalid_argument(std::string("Loss: ") + what + " has " + std::to_string(v.size()) +
                                " entries, the problem has " + std::to_string(size) + " parameters");
}

// Refuses a dense result before allocating it when it would not fit in physical memory.
void requireMemory(double bytes, const std::string& what) {
  const double physical = double(sysconf(_SC_PHYS_PAGES)) * double(sysconf(_SC_PAGE_SIZE));
  if (physical > 0 && bytes > physical)
    throw InputError(what + " needs " + formatNumber(bytes / 1e9) + " GB, more than this machine's " +
                         formatNumber(physical / 1e9) + " GB of memory",
                     InputLocation{.file = {}, .field = "hessian", .row = {}, .column = {}});
}

std::string hessianText(Index dim) { return "the " + std::to_string(dim) + "×" + std::to_string(dim) + " Hessian"; }

// Copies the lower triangle onto the upper one: the Hessian is symmetric to the last bit.
void mirrorLower(MatrixXd& H) {
  for (Index j = 1; j < H.cols(); ++j)
    for (Index i = 0; i < j; ++i) H(i, j) = H(j, i);
}

void scaleInPlace(Eigen::Ref<MatrixXd> m, const ExpScale& scale) {
  if (!scale.isOne()) m = m.unaryExpr([&](double v) { return scale(v); });
}

const VectorXd* weightsOf(const Problem& p) { return p.kind == Kind::InfoPrompt ? &p.w : nullptr; }

// [SECTION] vector kinds: one block, z = A x -----------------------------------------------

// Passes over A are split into row parts of at least kPartEntries entries (at most kMaxParts):
// on a PartTeam each part stays in one core's cache between passes. The split depends on the
// problem's size alone, so a result does not depend on the team that computed it.
constexpr Index kPartEntries = Index(1) << 17;  // 1 MB of doubles: two parts of a 4096×64 A fit two L2s
constexpr Index kMaxParts = 16;

struct RowParts {
  Index rows = 0, count = 1;
  Index begin(Index k) const { return rows * k / count; }
  Index size(Index k) const { return begin(k + 1) - begin(k); }
};

RowParts rowParts(const Problem& p) {
  return {p.n(), std::clamp<Index>(p.n() * p.d() / kPartEntries, 1, kMaxParts)};
}

// z = A·x, part by part.
void designTimes(const Problem& p, const VectorXd& x, VectorXd& z, PartTeam* team) {
  const RowParts parts = rowParts(p);
  z.resize(p.n());
  runParts(team, parts.count, [&](Index k) {
    z.segment(parts.begin(k), parts.size(k)).noalias() = p.A.middleRows(parts.begin(k), parts.size(k)) * x;
  });
}

// The parts' sums added in order: the columns of partial.
VectorXd sumOfParts(const MatrixXd& partial) {
  VectorXd out = partial.col(0);
  for (Index k = 1; k < partial.cols(); ++k) out += partial.col(k);
  return out;
}

// out = Aᵀ·r = Σ_k A_kᵀ r_k.
void designTransposeTimes(const Problem& p, const VectorXd& r, VectorXd& out, PartTeam* team) {
  const RowParts parts = rowParts(p);
  MatrixXd partial(p.d(), parts.count);
  runParts(team, parts.count, [&](Index k) {
    detail::transposeTimesColumns<1>(p.A, parts.begin(k), parts.begin(k + 1), {r.data()}, -1, {partial.col(k).data()});
  });
  out = sumOfParts(partial);
}

// The softmax kinds' curvature summed over every row but the dominant one: Aᵀq_rest, Aᵀf_rest,
// Σq_rest and Σf_rest (q_rest, f_rest: q and f without their top entry), and that row of A.
// With them a Hessian-vector product takes one pass over each part and none over z alone, and
// the mixed-precision Hessian's centring terms are exact instead of float32 sums.
struct RestSums {
  VectorXd aq, af;
  double q = 0.0, f = 0.0;
  VectorXd aTop;
};

// z = Ax, the logits; recomputed for an error message once a pass has overwritten them.
VectorXd vectorLogits(const Problem& p, const VectorXd& x, PartTeam* team = nullptr) {
  VectorXd z;
  designTimes(p, x, z, team);
  requireFiniteLogits(z, false);
  return z;
}

struct VectorPoint {
  VectorXd z;
  BlockEval block;
  RestSums rest;  // for the softmax kinds, when the point is a Curvature's (always, then)
};

bool hasCentredPart(const BlockEval& block) { return block.q.size() > 0; }

void evaluateVector(const Problem& p, const VectorXd& x, VectorPoint& pt, PartTeam* team = nullptr) {
  pt.z = vectorLogits(p, x, team);
  evaluateBlockHessian(detail::rowModel(p.kind), pt.z, p.b, weightsOf(p), pt.block);
}

double ridge(const Problem& p, const VectorXd& x) { return p.l2 == 0.0 ? 0.0 : 0.5 * p.l2 * x.squaredNorm(); }

bool isSoftmaxFamily(Kind kind) {
  return kind == Kind::Softmax || kind == Kind::CrossEntropy || kind == Kind::InfoPrompt;
}

// The softmax kinds' vectorValue, their z-space work done by the parts (row_losses.hpp): each
// part's max and exponentials as it forms z_k = A_k x; then, with the block's normaliser known,
// f, g⁰ (and q⁰) as it forms A_kᵀ[g⁰ (q⁰) f] in one read of A_k. ∇ = Aᵀg⁰ + D·Aᵀf_rest + ∇_top·a_top
// and q = q⁰ + D·f once D = Σ_k D_k is known. Between the two passes only O(parts) work is
// serial. With `point`, the curvature and its RestSums as well.
double softmaxVectorValue(const Problem& p, const VectorXd& x, VectorXd* grad, PartTeam* team, VectorPoint* point) {
  const RowParts parts = rowParts(p);
  const Index n = p.n(), d = p.d();
  const auto model = detail::rowModel(p.kind);
  const VectorXd* w = weightsOf(p);
  VectorXd z(n), e(n);
  std::vector<detail::SoftmaxPart> starts(parts.count);
  if (point) point->z.resize(n);
  runParts(team, parts.count, [&](Index k) {
    const Index begin = parts.begin(k), len = parts.size(k);
    z.segment(begin, len).noalias() = p.A.middleRows(begin, len) * x;
    if (point) point->z.segment(begin, len) = z.segment(begin, len);
    starts[k] = detail::startSoftmaxPart(z, p.b, begin, begin + len, e);
  });
  for (const detail::SoftmaxPart& part : starts)
    if (!part.finite) requireFiniteLogits(z, false);
  const detail::SoftmaxBlock block = detail::combineSoftmaxParts(model, starts, z, p.b);
  const Index top = block.top;
  BlockEval scratch;
  BlockEval& out = point ? point->block : scratch;
  detail::startSoftmaxEval(block, n, point != nullptr, out);
  std::vector<detail::SoftmaxPartSums> sums(parts.count);
  // Aᵀg⁰, (Aᵀq⁰_rest,) Aᵀf_rest: a column per part.
  std::vector<MatrixXd> partial(point ? 3 : 2, MatrixXd(d, parts.count));
  Eigen::MatrixX2d restSums(parts.count, 2);  // Σq⁰_rest, Σf_rest
  runParts(team, parts.count, [&](Index k) {
    const Index begin = parts.begin(k), end = parts.begin(k + 1);
    sums[k] = detail::finishSoftmaxPart(block, k, begin, end, z, p.b, w, e, grad != nullptr, point != nullptr, out);
    if (!grad) return;
    const Index at = top >= begin && top < end ? top - begin : -1;
    if (point) {
      detail::transposeTimesColumns<3>(p.A, begin, end, {z.data(), out.q.data(), out.f.data()}, top,
                                       {partial[0].col(k).data(), partial[1].col(k).data(), partial[2].col(k).data()});
      restSums(k, 0) = detail::sumWithout(out.q.segment(begin, end - begin), at);
    } else {
      detail::transposeTimesColumns<2>(p.A, begin, end, {z.data(), out.f.data()}, top,
                                       {partial[0].col(k).data(), partial[1].col(k).data()});
    }
    restSums(k, 1) = detail::sumWithout(out.f.segment(begin, end - begin), at);
  });
  const detail::SoftmaxTotals totals = detail::softmaxTotals(block, sums, w);
  const double value = totals.value + ridge(p, x);
  if (!std::isfinite(value)) throwOverflow("loss", p.kind, vectorLogits(p, x));
  if (!grad) return value;
  const VectorXd af = sumOfParts(partial.back()), aTop = p.A.row(top).transpose();
  *grad = sumOfParts(partial[0]) + totals.D * af + totals.gTop * aTop;
  if (p.l2 != 0.0) *grad += p.l2 * x;
  if (!grad->allFinite()) throwOverflow("gradient", p.kind, vectorLogits(p, x));
  if (point) {
    const double fRest = restSums.col(1).sum();
    if (totals.D != 0.0) out.q += totals.D * out.f;
    point->rest = {sumOfParts(partial[1]) + totals.D * af, af, restSums.col(0).sum() + totals.D * fRest, fRest, aTop};
  }
  return value;
}

// Two streaming passes over A (z = Ax, then Aᵀ∇_z) and one vector of length n, which holds z
// and then ∇_z ℓ̂; the scale e^{logScale} is applied in d dimensions, after the second pass.
// With `point`, the curvature at x as well (its z, block Hessian and RestSums), from the same passes.
double vectorValue(const Problem& p, const VectorXd& x, VectorXd* grad, PartTeam* team, VectorPoint* point = nullptr) {
  if (isSoftmaxFamily(p.kind)) return softmaxVectorValue(p, x, grad, team, point);
  VectorXd z = vectorLogits(p, x, team);
  if (point) point->z = z;  // before z becomes ∇_z ℓ̂
  double logScale = 0.0;
  const double scaled = detail::blockValue(detail::rowModel(p.kind), z, p.b, weightsOf(p), grad != nullptr, logScale,
                                           point ? &point->block : nullptr);
  const ExpScale scale(logScale);
  const double value = scale(scaled) + ridge(p, x);
  if (!std::isfinite(value)) throwOverflow("loss", p.kind, vectorLogits(p, x));
  if (grad) {
    designTransposeTimes(p, z, *grad, team);
    scaleInPlace(*grad, scale);
    if (p.l2 != 0.0) *grad += p.l2 * x;
    if (!grad->allFinite()) throwOverflow("gradient", p.kind, vectorLogits(p, x));
  }
  return value;
}

// fixed: lower(Aᵀdiag(κ)A) when the kind's diagonal part is constant (hasConstantDelta), else null.
MatrixXd vectorHessian(const Problem& p, const VectorPoint& pt, const MatrixXd* fixed, WorkerPool* pool,
                       PartTeam* team) {
  const Index d = p.d();
  requireMemory(8.0 * double(d) * double(d) + 2.0 * 8.0 * 256.0 * double(d), hessianText(d));
  MatrixXd H = fixed ? *fixed : MatrixXd::Zero(d, d);
  addBlockGram(pt.block, p.A, H, fixed ? detail::DiagonalPart::Omit : detail::DiagonalPart::Include, pool, team);
  scaleInPlace(H, ExpScale(pt.block.logScale));
  H.diagonal().array() += p.l2;
  mirrorLower(H);
  requireFiniteResult(H, "Hessian", p.kind, pt.z);
  return H;
}

// Aᵀ(Cᵀdiag(q)C + diag δ)Av in one pass over each part, with the terms that need every part
// (the centrings' sums) added after it through the RestSums. As in applyBlockHessian, with
// y = Av, Cy = (y − y_top) + D where D = Σ_j f_j (y_top − y_j), and w = q∘Cy;
// then (I − f1ᵀ)w = w − f·W, W = Σw, has top entry w_top·σ − f_top·R (R = Σ_{j≠top} w_j). So
//   Aᵀ(…) = Σ_{j≠top} a_j [δ_j y_j + q_j (y_j − y_top)] + D·Aᵀq_rest − W·Aᵀf_rest + out_top·a_top,
// R = Σ_{j≠top} q_j (y_j − y_top) + D·Σq_rest, w_top = q_top·D, W = R + w_top: every dominant-row
// term is formed from small ones, as applyBlockHessian forms them.
VectorXd centredHessianTimes(const Problem& p, const VectorPoint& pt, const VectorXd& v, PartTeam* team) {
  const BlockEval& blk = pt.block;
  const RestSums& rest = pt.rest;
  const RowParts parts = rowParts(p);
  const Index top = blk.top;
  const bool diagonal = blk.delta.size() > 0;
  const double yTop = rest.aTop.dot(v);
  VectorXd y(p.n());
  MatrixXd partial(p.d(), parts.count);
  Eigen::MatrixX2d sums(parts.count, 2);  // per part: Σ f_j (y_top − y_j), Σ q_j (y_j − y_top)
  runParts(team, parts.count, [&](Index k) {
    const Index begin = parts.begin(k), len = parts.size(k);
    auto yk = y.segment(begin, len);
    yk.noalias() = p.A.middleRows(begin, len) * v;
    const bool hasTop = top >= begin && top < begin + len;
    if (hasTop) yk[top - begin] = yTop;  // the value the sums and the top terms below use
    const auto f = blk.f.segment(begin, len).array(), q = blk.q.segment(begin, len).array();
    sums(k, 0) = (f * (yTop - yk.array())).sum();
    sums(k, 1) = (q * (yk.array() - yTop)).sum();  // the top term is 0
    if (diagonal)
      yk.array() = blk.delta.segment(begin, len).array() * yk.array() + q * (yk.array() - yTop);
    else
      yk.array() = q * (yk.array() - yTop);
    if (hasTop) yk[top - begin] = 0.0;
    detail::transposeTimesColumns<1>(p.A, begin, begin + len, {y.data()}, -1, {partial.col(k).data()});
  });
  const double D = sums.col(0).sum(), R = sums.col(1).sum() + D * rest.q;
  const double wTop = blk.q[top] * D, W = R + wTop;
  const double outTop = (diagonal ? blk.delta[top] * yTop : 0.0) + wTop * blk.sigma - blk.f[top] * R;
  VectorXd out = sumOfParts(partial);
  out += D * rest.aq - W * rest.af + outTop * rest.aTop;
  return out;
}

// Aᵀ diag(δ) A v in one pass over each part.
VectorXd diagonalHessianTimes(const Problem& p, const VectorPoint& pt, const VectorXd& v, PartTeam* team) {
  const RowParts parts = rowParts(p);
  VectorXd y(p.n());
  MatrixXd partial(p.d(), parts.count);
  runParts(team, parts.count, [&](Index k) {
    const Index begin = parts.begin(k), len = parts.size(k);
    auto yk = y.segment(begin, len);
    yk.noalias() = p.A.middleRows(begin, len) * v;
    yk.array() *= pt.block.delta.segment(begin, len).array();
    detail::transposeTimesColumns<1>(p.A, begin, begin + len, {y.data()}, -1, {partial.col(k).data()});
  });
  return sumOfParts(partial);
}

// The general form, two passes with the z-space product between them (the rescaled kinds).
VectorXd blockHessianTimes(const Problem& p, const VectorPoint& pt, const VectorXd& v, PartTeam* team) {
  VectorXd Av, hv(p.n()), scratch, out;
  designTimes(p, v, Av, team);
  applyBlockHessian(pt.block, Av, hv, scratch);
  designTransposeTimes(p, hv, out, team);
  return out;
}

VectorXd vectorHessianTimes(const Problem& p, const VectorPoint& pt, const VectorXd& v, PartTeam* team) {
  const BlockEval& blk = pt.block;
  VectorXd out = hasCentredPart(blk)        ? centredHessianTimes(p, pt, v, team)
                 : blk.ku.size() == 0 ? diagonalHessianTimes(p, pt, v, team)
                                            : blockHessianTimes(p, pt, v, team);
  scaleInPlace(out, ExpScale(pt.block.logScale));
  out += p.l2 * v;
  requireFiniteResult(out, "Hessian-vector product", p.kind, pt.z);
  return out;
}

// Writes a part's rows [begin, end) of the weights a Gram sum reads, on the thread that then sums
// them: in parallel, and into the cache of the core that reads them next.
using RowWeights = std::function<void(Index begin, Index end)>;

// lower(Aᵀdiag(c)A) in float32 within a row part and in double across parts, in order: d × d,
// the upper triangle not meaningful. fillRows, if given, writes each part's rows of c first.
MatrixXd singleGram(const Problem& p, const SingleSums& sums, const VectorXd& c, PartTeam* team,
                    const RowWeights& fillRows = {}) {
  const RowParts parts = rowParts(p);
  const Index d = p.d(), width = detail::paddedWidth(d);
  // Allocated here, on the calling thread: a helper's first allocation would open a malloc
  // arena of its own and fault in fresh pages.
  std::vector<Eigen::MatrixXf> gram(parts.count, Eigen::MatrixXf::Zero(width, width));
  runParts(team, parts.count, [&](Index k) {
    if (fillRows) fillRows(parts.begin(k), parts.begin(k + 1));
    sums.add(k, parts.begin(k), parts.begin(k + 1), c, gram[k]);
  });
  MatrixXd G = MatrixXd::Zero(d, d);
  for (const Eigen::MatrixXf& part : gram)  // no double copy of a part: added where it lies
    G += part.topLeftCorner(d, d).cast<double>();
  return G;
}

// The softmax kinds' Mᵀ(Cᵀdiag(q)C + diag δ)M from one low-precision Gram sum of uncentred rows:
// with m̄ = Aᵀf, s = Aᵀq_rest and Q = Σq_rest (the RestSums, exact),
//   Σ_{j≠top} q_j (a_j − m̄)(a_j − m̄)ᵀ = Σ_{j≠top} q_j a_j a_jᵀ − s m̄ᵀ − m̄ sᵀ + Q m̄m̄ᵀ,
// and the dominant row's q_top t tᵀ and δ_top a_top a_topᵀ added in double. t = a_top − m̄ is
// formed as Σ_{j≠top} f_j (a_top − a_j) = Σf_rest·a_top − Aᵀf_rest, from small terms only, as in
// addBlockGram: when f and b are both nearly one-hot, q_top t tᵀ is as large as the whole result.
// The sum's weights c = q + δ, top row zero, are written by the parts themselves.
MatrixXd softmaxGramSingle(const Problem& p, const SingleSums& sums, const VectorPoint& pt, PartTeam* team) {
  const BlockEval& blk = pt.block;
  const RestSums& rest = pt.rest;
  const Index top = blk.top;
  const bool diagonal = blk.delta.size() > 0;
  VectorXd c(p.n());
  const auto fillRows = [&](Index begin, Index end) {
    auto w = c.segment(begin, end - begin);
    w = blk.q.segment(begin, end - begin);
    if (diagonal) w += blk.delta.segment(begin, end - begin);
    if (top >= begin && top < end) w[top - begin] = 0.0;
  };
  MatrixXd G = singleGram(p, sums, c, team, fillRows);
  const VectorXd mean = rest.af + blk.f[top] * rest.aTop;
  const VectorXd t = rest.f * rest.aTop - rest.af;
  G.selfadjointView<Eigen::Lower>().rankUpdate(rest.aq, mean, -1.0);
  G.selfadjointView<Eigen::Lower>().rankUpdate(mean, rest.q);
  G.selfadjointView<Eigen::Lower>().rankUpdate(t, blk.q[top]);
  if (diagonal) G.selfadjointView<Eigen::Lower>().rankUpdate(rest.aTop, blk.delta[top]);
  return G;
}

FactoredHessian vectorFactored(const Problem& p, const VectorXd& x) {
  VectorPoint pt;
  evaluateVector(p, x, pt);
  FactoredHessian h;
  h.delta.resize(p.n());
  MatrixXd U;
  detail::expandBlockHessian(pt.block, h.delta, U, h.S);
  // ∇²ℓ = e^{logScale}(diag δ̂ + Û S Ûᵀ): the scale goes whole into delta, half into each side of W.
  scaleInPlace(h.delta, ExpScale(pt.block.logScale));
  h.W = p.A.transpose() * U;
  scaleInPlace(h.W, ExpScale(0.5 * pt.block.logScale));
  h.l2 = p.l2;
  requireFiniteResult(h.delta, "factored Hessian (delta)", p.kind, pt.z);
  requireFiniteResult(h.W, "factored Hessian (W)", p.kind, pt.z);
  return h;
}

// [SECTION] attention kinds: n blocks, z_i = row i of Z = A₁XA₂ᵀ ---------------------------

// Zᵀ (n×n): column i is block i, z_i = A₂Xᵀa1_i, stored contiguously for the row losses.
MatrixXd attentionLogitsT(const Problem& p, const VectorXd& x) {
  const Eigen::Map<const MatrixXd> X(x.data(), p.d(), p.d());
  const MatrixXd A1X = p.A1 * X;
  MatrixXd Zt = p.A2 * A1X.transpose();
  requireFiniteLogits(Zt, true);
  return Zt;
}

// Bᵀ, so that row i of B (the target of block i) is contiguous. Copied in 8×8 tiles: a plain
// transposed copy walks B with a stride of n doubles, which for n a power of two keeps
// evicting its own cache lines.
MatrixXd transposed(const MatrixXd& B) {
  constexpr Index kTile = 8;
  MatrixXd T(B.cols(), B.rows());
  for (Index j0 = 0; j0 < B.cols(); j0 += kTile)
    for (Index i0 = 0; i0 < B.rows(); i0 += kTile) {
      const Index rows = std::min(kTile, B.rows() - i0), cols = std::min(kTile, B.cols() - j0);
      T.block(j0, i0, cols, rows) = B.block(i0, j0, rows, cols).transpose();
    }
  return T;
}

// vec(A₁ᵀ G A₂) for Gᵀ given column by column: the map from ∂ℓ/∂Z back to vec(X).
VectorXd attentionPullback(const Problem& p, const MatrixXd& Gt) {
  const MatrixXd GA1 = Gt * p.A1;  // (G ᵀ)A₁ = (A₁ᵀG)ᵀ
  const MatrixXd gradX = GA1.transpose() * p.A2;
  return Eigen::Map<const VectorXd>(gradX.data(), gradX.size());
}

// The scales e^{logScale_i} of the rows relative to the largest, e^{M}: rows are combined at
// the largest row's scale, and e^{M} is applied once to the result.
double largestScale(const VectorXd& logScale) { return logScale.maxCoeff(); }

// Zᵀ is overwritten column by column with ∂ℓ̂/∂Zᵀ, so the n×n logits are the only large
// temporary besides Bᵀ; an error message recomputes them.
double attentionValue(const Problem& p, const VectorXd& x, VectorXd* grad) {
  const Index n = p.n();
  MatrixXd Gt = attentionLogitsT(p, x);
  const MatrixXd Bt = transposed(p.B);
  const auto model = detail::rowModel(p.kind);
  VectorXd value(n), logScale(n);
  for (Index i = 0; i < n; ++i)
    value[i] = detail::blockValue(model, Gt.col(i), Bt.col(i), nullptr, grad != nullptr, logScale[i]);
  const double M = largestScale(logScale);
  double total = 0.0;
  for (Index i = 0; i < n; ++i) {
    const ExpScale relative(logScale[i] - M);
    total += relative(value[i]);
    if (grad) scaleInPlace(Gt.col(i), relative);
  }
  const ExpScale scale(M);
  const double L = scale(total) + ridge(p, x);
  if (!std::isfinite(L)) throwOverflow("loss", p.kind, attentionLogitsT(p, x));
  if (grad) {
    *grad = attentionPullback(p, Gt);
    scaleInPlace(*grad, scale);
    if (p.l2 != 0.0) *grad += p.l2 * x;
    if (!grad->allFinite()) throwOverflow("gradient", p.kind, attentionLogitsT(p, x));
  }
  return L;
}

VectorXd attentionHessianTimes(const Problem& p, const VectorXd& x, const VectorXd& v) {
  const Index n = p.n();
  const MatrixXd Zt = attentionLogitsT(p, x);
  const MatrixXd Bt = transposed(p.B);
  const MatrixXd Zvt = attentionLogitsT(p, v);  // 𝒜v in the same layout
  const auto model = detail::rowModel(p.kind);
  BlockEval blk;
  VectorXd logScale(n), scratch;
  MatrixXd Ot(n, n);
  for (Index i = 0; i < n; ++i) {
    evaluateBlockHessian(model, Zt.col(i), Bt.col(i), nullptr, blk);
    applyBlockHessian(blk, Zvt.col(i), Ot.col(i), scratch);
    logScale[i] = blk.logScale;
  }
  const double M = largestScale(logScale);
  for (Index i = 0; i < n; ++i) scaleInPlace(Ot.col(i), ExpScale(logScale[i] - M));
  VectorXd out = attentionPullback(p, Ot);
  scaleInPlace(out, ExpScale(M));
  out += p.l2 * v;
  requireFiniteResult(out, "Hessian-vector product", p.kind, Zt);
  return out;
}

// Σ_i M_i ⊗ (a1_i a1_iᵀ) over vec(X), given Q.col(i) = vec(M_i) and P.col(i) = vec(a1_i a1_iᵀ):
// one GEMM K = Q Pᵀ, then H(k + d·l, k' + d·l') = K(l + d·l', k + d·k') (lower triangle only).
MatrixXd kroneckerSum(const MatrixXd& Q, const MatrixXd& P, Index d) {
  const MatrixXd K = Q * P.transpose();
  MatrixXd H = MatrixXd::Zero(d * d, d * d);
  for (Index lp = 0; lp < d; ++lp)
    for (Index kp = 0; kp < d; ++kp)
      for (Index l = lp; l < d; ++l)
        for (Index k = (l == lp ? kp : 0); k < d; ++k) H(k + d * l, kp + d * lp) = K(l + d * lp, k + d * kp);
  return H;
}

void setOuterColumn(Eigen::Ref<VectorXd> col, const VectorXd& a, const VectorXd& b) {
  Eigen::Map<MatrixXd>(col.data(), a.size(), b.size()).noalias() = a * b.transpose();
}

double attentionHessianBytes(Index n, Index d) {
  const double d2 = double(d) * double(d);
  return 8.0 * (2.0 * d2 * d2 + 2.0 * double(n) * d2 + 3.0 * double(n) * double(n));
}

MatrixXd attentionHessian(const Problem& p, const VectorXd& x) {
  const Index n = p.n(), d = p.d();
  requireMemory(attentionHessianBytes(n, d), hessianText(d * d));
  const MatrixXd Zt = attentionLogitsT(p, x);
  const MatrixXd Bt = transposed(p.B);
  const auto model = detail::rowModel(p.kind);
  BlockEval blk;
  VectorXd logScale(n);
  MatrixXd Q(d * d, n), P(d * d, n), Mi(d, d);
  // H = Σ_i (A₂ᵀ ∇²ℓ_i A₂) ⊗ (a1_i a1_iᵀ): each block's z-Hessian is mapped by A₂ first.
  for (Index i = 0; i < n; ++i) {
    evaluateBlockHessian(model, Zt.col(i), Bt.col(i), nullptr, blk);
    logScale[i] = blk.logScale;
    Mi.setZero();
    addBlockGram(blk, p.A2, Mi);
    mirrorLower(Mi);
    Q.col(i) = Eigen::Map<const VectorXd>(Mi.data(), d * d);
    const VectorXd a1 = p.A1.row(i).transpose();
    setOuterColumn(P.col(i), a1, a1);
  }
  const double M = largestScale(logScale);
  for (Index i = 0; i < n; ++i) scaleInPlace(Q.col(i), ExpScale(logScale[i] - M));
  MatrixXd H = kroneckerSum(Q, P, d);
  scaleInPlace(H, ExpScale(M));
  H.diagonal().array() += p.l2;
  mirrorLower(H);
  requireFiniteResult(H, "Hessian", p.kind, Zt);
  return H;
}

FactoredHessian attentionFactored(const Problem& p, const VectorXd& x) {
  const Index n = p.n(), d = p.d();
  requireMemory(8.0 * (8.0 * double(n) * double(n) + 2.0 * double(n) * double(d) * double(d)),
                "the factored Hessian over " + std::to_string(n * n) + " design rows");
  const MatrixXd Zt = attentionLogitsT(p, x);
  const MatrixXd Bt = transposed(p.B);
  const auto model = detail::rowModel(p.kind);
  FactoredHessian h;
  h.delta.resize(n * n);
  h.W = MatrixXd::Zero(d * d, 2 * n);
  h.S = MatrixXd::Zero(2 * n, 2 * n);
  h.l2 = p.l2;
  BlockEval blk;
  MatrixXd U, S;
  for (Index i = 0; i < n; ++i) {
    evaluateBlockHessian(model, Zt.col(i), Bt.col(i), nullptr, blk);
    auto delta = h.delta.segment(i * n, n);
    detail::expandBlockHessian(blk, delta, U, S);
    scaleInPlace(delta, ExpScale(blk.logScale));
    // Column c of W for block i: 𝒜ᵀ(U_c placed in block i) = (A₂ᵀU_c) ⊗ a1_i.
    const ExpScale half(0.5 * blk.logScale);
    const VectorXd a1 = p.A1.row(i).transpose();
    for (Index c = 0; c < U.cols(); ++c) {
      VectorXd a2U = p.A2.transpose() * U.col(c);
      scaleInPlace(a2U, half);
      setOuterColumn(h.W.col(2 * i + c), a1, a2U);
    }
    h.S.block(2 * i, 2 * i, S.rows(), S.cols()) = S;
  }
  requireFiniteResult(h.delta, "factored Hessian (delta)", p.kind, Zt);
  requireFiniteResult(h.W, "factored Hessian (W)", p.kind, Zt);
  return h;
}

// Σ_t w_t δ_{r_t} a_{r_t} a_{r_t}ᵀ for attention rows r = i·n + j: the rows of one block i share
// a1_i, so they are summed as M_i = Σ_j c_j a2_j a2_jᵀ and enter as M_i ⊗ (a1_i a1_iᵀ).
MatrixXd attentionSampledGram(const Problem& p, const VectorXd& coef, const Eigen::VectorXi& rows) {
  const Index n = p.n(), d = p.d();
  // Counting sort of the sampled rows by block.
  std::vector<Index> start(n + 1, 0);
  for (Index t = 0; t < rows.size(); ++t) ++start[rows[t] / n + 1];
  for (Index i = 0; i < n; ++i) start[i + 1] += start[i];
  std::vector<Index> fill(start.begin(), start.end() - 1);
  std::vector<int> entry(rows.size());
  VectorXd sortedCoef(rows.size());
  for (Index t = 0; t < rows.size(); ++t) {
    const Index at = fill[rows[t] / n]++;
    entry[at] = int(rows[t] % n);
    sortedCoef[at] = coef[t];
  }
  Index active = 0;
  for (Index i = 0; i < n; ++i) active += start[i + 1] > start[i];
  MatrixXd Q(d * d, active), P(d * d, active), Mi(d, d);
  Index col = 0;
  for (Index i = 0; i < n; ++i) {
    const Index count = start[i + 1] - start[i];
    if (count == 0) continue;
    Mi.setZero();
    addWeightedGram(Mi, p.A2, sortedCoef.segment(start[i], count), entry.data() + start[i]);
    mirrorLower(Mi);
    Q.col(col) = Eigen::Map<const VectorXd>(Mi.data(), d * d);
    const VectorXd a1 = p.A1.row(i).transpose();
    setOuterColumn(P.col(col), a1, a1);
    ++col;
  }
  return kroneckerSum(Q, P, d);
}

}  // namespace

// [SECTION] Loss --------------------------------------------------------------------------

// Aᵀdiag(κ)A, summed on first use.
struct Loss::FixedCurvature {
  std::once_flag once;
  MatrixXd lower;  // lower triangle
};

// A rounded to float32, row-major and padded (float_gram.hpp), and A packed for the AMX tile
// unit part by part (tile_gram.hpp): each made on first use, by the team, each part on its own
// thread (so that it stays in that core's cache).
struct Loss::SingleDesign {
  std::once_flag rowsOnce, tilesOnce;
  detail::FloatRows A;
  std::vector<detail::TileDesign> tiles;
};

struct Loss::Curvature::Point : VectorPoint {};

Loss::Loss(std::shared_ptr<const Problem> problem)
    : problem_(std::move(problem)),
      fixed_(std::make_shared<FixedCurvature>()),
      single_(std::make_shared<SingleDesign>()) {
  if (!problem_) throw std::invalid_argument("Loss: null problem");
  detail::checkShapes(*problem_);
}

Loss::Loss(Problem problem) : Loss(std::make_shared<const Problem>(std::move(problem))) {}

Loss Loss::uncached() const {
  Loss fresh(problem_);
  fresh.team_ = team_;
  return fresh;
}

Loss Loss::onTeam(PartTeam* team) const {
  Loss copy(*this);
  copy.team_ = team;
  return copy;
}

double Loss::value(const Eigen::VectorXd& x) const {
  requireSize(x, dim(), "x");
  return isAttentionKind(kind()) ? attentionValue(*problem_, x, nullptr) : vectorValue(*problem_, x, nullptr, team_);
}

double Loss::valueAndGradient(const Eigen::VectorXd& x, Eigen::VectorXd& grad, Curvature* curvature) const {
  requireSize(x, dim(), "x");
  if (isAttentionKind(kind())) {
    const double value = attentionValue(*problem_, x, &grad);
    if (curvature) *curvature = this->curvature(x);
    return value;
  }
  if (!curvature) return vectorValue(*problem_, x, &grad, team_);
  auto point = std::make_shared<Curvature::Point>();
  const double value = vectorValue(*problem_, x, &grad, team_, point.get());
  curvature->loss_ = this;
  curvature->x_ = x;
  curvature->point_ = std::move(point);
  return value;
}

Eigen::VectorXd Loss::gradient(const Eigen::VectorXd& x) const {
  Eigen::VectorXd grad;
  valueAndGradient(x, grad);
  return grad;
}

const Eigen::MatrixXd& Loss::fixedCurvature(WorkerPool* pool) const {  // on the team when pool is null
  std::call_once(fixed_->once, [&] {
    const Problem& p = *problem_;
    const VectorXd kappa = p.kind == Kind::InfoPrompt ? VectorXd(p.w.array().square()) : VectorXd::Ones(p.n());
    MatrixXd G = MatrixXd::Zero(p.d(), p.d());
    addWeightedGram(G, p.A, kappa, nullptr, pool, team_);
    fixed_->lower = std::move(G);
  });
  return fixed_->lower;
}

detail::SingleSums Loss::singleSums(GramSum sum) const {
  const Problem& p = *problem_;
  const RowParts parts = rowParts(p);
  if (sum == GramSum::Fastest && detail::tileGramAvailable()) {
    std::call_once(single_->tilesOnce, [&] {
      single_->tiles.resize(parts.count);
      runParts(team_, parts.count,
               [&](Index k) { single_->tiles[k] = detail::packTileDesign(p.A, parts.begin(k), parts.begin(k + 1)); });
    });
    return {&p.A, nullptr, &single_->tiles};
  }
  std::call_once(single_->rowsOnce, [&] {
    single_->A.resize(p.n(), detail::paddedWidth(p.d()));
    runParts(team_, parts.count,
             [&](Index k) { detail::copyRowsToFloat(p.A, parts.begin(k), parts.begin(k + 1), single_->A); });
  });
  return {&p.A, &single_->A, nullptr};
}

bool Loss::hasBfloat16Gram() { return detail::tileGramAvailable(); }

void Loss::prepareThread() { detail::prepareTileState(); }

Eigen::MatrixXd Loss::hessian(const Eigen::VectorXd& x, WorkerPool* pool) const { return curvature(x).matrix(pool); }

Eigen::MatrixXd Loss::mixedPrecisionHessian(const Eigen::VectorXd& x, WorkerPool* pool, GramSum sum) const {
  return curvature(x).mixedPrecisionMatrix(pool, sum);
}

Eigen::VectorXd Loss::hessianTimes(const Eigen::VectorXd& x, const Eigen::VectorXd& v) const {
  return curvature(x).times(v);
}

Loss::Curvature Loss::curvature(const Eigen::VectorXd& x) const {
  requireSize(x, dim(), "x");
  Curvature c;
  c.loss_ = this;
  c.x_ = x;
  if (!isAttentionKind(kind())) {
    auto point = std::make_shared<Curvature::Point>();
    if (isSoftmaxFamily(kind())) {  // the same code as valueAndGradient's, so the same bits
      VectorXd grad;
      softmaxVectorValue(*problem_, x, &grad, team_, point.get());
    } else {
      evaluateVector(*problem_, x, *point, team_);
    }
    c.point_ = std::move(point);
  }
  return c;
}

Eigen::VectorXd Loss::Curvature::times(const Eigen::VectorXd& v) const {
  const Problem& p = loss_->problem();
  requireSize(v, loss_->dim(), "v");
  return point_ ? vectorHessianTimes(p, *point_, v, loss_->team_) : attentionHessianTimes(p, x_, v);
}

Eigen::MatrixXd Loss::Curvature::matrix(WorkerPool* pool) const {
  const Problem& p = loss_->problem();
  if (!point_) return attentionHessian(p, x_);
  const bool fixed = detail::hasConstantDelta(detail::rowModel(p.kind));
  return vectorHessian(p, *point_, fixed ? &loss_->fixedCurvature(pool) : nullptr, pool, loss_->team_);
}

Eigen::MatrixXd Loss::Curvature::mixedPrecisionMatrix(WorkerPool* pool, GramSum sum) const {
  const Problem& p = loss_->problem();
  if (!point_ || detail::rowModel(p.kind) == detail::RowModel::Rescaled) return matrix(pool);
  const BlockEval& blk = point_->block;
  const SingleSums sums = loss_->singleSums(sum);
  MatrixXd H = hasCentredPart(blk) ? softmaxGramSingle(p, sums, *point_, loss_->team_)
                                    : MatrixXd(singleGram(p, sums, blk.delta, loss_->team_));
  H.diagonal().array() += p.l2;  // logScale is 0 for every kind but the rescaled ones
  mirrorLower(H);
  requireFiniteResult(H, "Hessian", p.kind, point_->z);
  return H;
}

FactoredHessian Loss::factoredHessian(const Eigen::VectorXd& x) const {
  requireSize(x, dim(), "x");
  return isAttentionKind(kind()) ? attentionFactored(*problem_, x) : vectorFactored(*problem_, x);
}

Eigen::Index Loss::designRows() const {
  const Eigen::Index n = problem_->n();
  return isAttentionKind(kind()) ? n * n : n;
}

void Loss::designRow(Eigen::Index r, Eigen::Ref<Eigen::VectorXd> out) const {
  if (r < 0 || r >= designRows())
    throw std::out_of_range("Loss::designRow: row " + std::to_string(r) + " of " + std::to_string(designRows()));
  if (out.size() != dim()) throw std::invalid_argument("Loss::designRow: out must have dim() entries");
  const Problem& p = *problem_;
  if (!isAttentionKind(kind())) {
    out = p.A.row(r).transpose();
    return;
  }
  const Eigen::Index n = p.n();
  setOuterColumn(out, p.A1.row(r / n).transpose(), p.A2.row(r % n).transpose());  // a2_j ⊗ a1_i
}

Eigen::MatrixXd Loss::assembleHessian(const FactoredHessian& h, const Eigen::VectorXi& rows,
                                      const Eigen::VectorXd& weights) const {
  const Problem& p = *problem_;
  const Eigen::Index D = dim(), rowCount = designRows();
  if (rows.size() != weights.size())
    throw std::invalid_argument("Loss::assembleHessian: rows and weights differ in length");
  if (h.delta.size() != rowCount || (h.W.cols() > 0 && h.W.rows() != D) || h.S.rows() != h.W.cols() ||
      h.S.cols() != h.W.cols())
    throw std::invalid_argument("Loss::assembleHessian: the factored Hessian does not belong to this problem");
  for (Eigen::Index t = 0; t < rows.size(); ++t)
    if (rows[t] < 0 || rows[t] >= rowCount)
      throw std::out_of_range("Loss::assembleHessian: row " + std::to_string(rows[t]) + " of " +
                              std::to_string(rowCount));
  const bool attention = isAttentionKind(kind());
  requireMemory(attention ? attentionHessianBytes(p.n(), p.d()) : 8.0 * double(D) * double(D), hessianText(D));

  VectorXd coef(rows.size());
  for (Eigen::Index t = 0; t < rows.size(); ++t) coef[t] = weights[t] * h.delta[rows[t]];
  MatrixXd H;
  if (attention) {
    H = attentionSampledGram(p, coef, rows);
  } else {
    H = MatrixXd::Zero(D, D);
    addWeightedGram(H, p.A, coef, rows.data());
  }
  if (h.W.cols() > 0) {
    const MatrixXd WS = h.W * h.S;
    H.triangularView<Eigen::Lower>() += WS * h.W.transpose();
  }
  H.diagonal().array() += h.l2;
  mirrorLower(H);
  if (!H.allFinite()) throw OverflowError("sampled Hessian of kind '" + std::string(kindName(kind())) + "'");
  return H;
}

}  // namespace attnlab
