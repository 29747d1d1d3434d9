// [SECTION] shifted exponentials and projections that keep the dominant entry exact
// [SECTION] Gram sums by chunked SYRK
// [SECTION] value and gradient, streamed
// [SECTION] Hessian factors
// [SECTION] the interface of row_losses.hpp
#include "core/regression/row_losses.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <vector>

#include "core/jobs/part_team.hpp"
#include "core/jobs/worker_pool.hpp"

namespace attnlab::detail {
namespace {

using Eigen::Index;
using Eigen::VectorXd;
using ConstVec = Eigen::Ref<const VectorXd>;

// [SECTION] shifted exponentials and projections that keep the dominant entry exact ---------

// ½‖r‖² as Σ r_i·(½r_i): no spurious overflow of r_i² when ½r_i² still fits.
template <class A>
double halfSquaredNorm(const Eigen::ArrayBase<A>& r) {
  return (r * (0.5 * r)).sum();
}

// The streaming passes work on pieces of a block this long, in fixed-capacity arrays that live
// on the stack (8 KB each).
constexpr Index kPiece = 1024;
using Piece = Eigen::Array<double, Eigen::Dynamic, 1, Eigen::ColMajor, kPiece, 1>;

// out = exp(z − shift) entrywise: Eigen's vectorised exp (within 2 ulp), except beyond ±708,
// where it clamps its argument at ±709.78: that would turn the correct subnormal exp(−740)
// into 1e−308, and exp(800) into a finite 1.8e308.
// With z's range [zMin, zMax] known, no pass over z to find it.
template <class Z, class Out>
void expInto(const Eigen::MatrixBase<Z>& z, double shift, double zMin, double zMax, Out& out) {
  out = (z.array() - shift).exp();
  if (zMin - shift < -708.0 || zMax - shift > 708.0)
    for (Index i = 0; i < z.size(); ++i)
      if (std::abs(z[i] - shift) > 708.0) out[i] = std::exp(z[i] - shift);
}
template <class Z, class Out>
void expInto(const Eigen::MatrixBase<Z>& z, double shift, Out& out) {
  expInto(z, shift, z.minCoeff(), z.maxCoeff(), out);
}

// The max-shifted exponentials e = exp(z − z_top), e_top = 1, and the tail τ = Σ_{j≠top} e_j
// summed without e_top: then 1 − f_top = τ/(1 + τ) and log Σe = log1p(τ) keep full relative
// accuracy when f is nearly one-hot.
struct Shifted {
  Index top = 0;
  double max = 0.0;
  double tail = 0.0;
  double sigma() const { return tail / (1.0 + tail); }  // 1 − f_top
};

Shifted shiftedMax(const ConstVec& z) {
  Shifted s;
  s.max = z.maxCoeff();  // vectorised; the index is found after (maxCoeff(&i) is a scalar loop)
  s.top = std::find(z.data(), z.data() + z.size(), s.max) - z.data();
  return s;
}

// The exponentials e = exp(z − z_top), e_top = 1, kept for the passes that follow; τ is summed
// with e_top left out.
Shifted shiftedExp(const ConstVec& z, VectorXd& e) {
  Shifted s = shiftedMax(z);
  expInto(z, s.max, e);
  e[s.top] = 0.0;
  s.tail = e.sum();
  e[s.top] = 1.0;
  return s;
}

// The residuals at the dominant entry, formed without cancelling when f_top (or b_top) ≈ 1:
// softmax f_top − b_top = (1 − b_top) − (1 − f_top); rescaled ê_top − (1 + τ)b_top = (1 − b_top) − τ·b_top.
double softmaxResidualTop(const Shifted& s, double bTop) {
  return s.sigma() < 0.5 ? (1.0 - bTop) - s.sigma() : 1.0 / (1.0 + s.tail) - bTop;
}
double rescaledResidualTop(const Shifted& s, double bTop) { return (1.0 - bTop) - s.tail * bTop; }

// y ← C·y = y − ⟨f, y⟩1, as (y − y_top) + Σ_j f_j (y_top − y_j): the dominant entry comes out
// as a sum of small terms instead of the difference of two nearly equal ones.
void centre(const VectorXd& f, Index top, VectorXd& y) {
  const double yTop = y[top];
  const double d = (f.array() * (yTop - y.array())).sum();
  y.array() += d - yTop;
  y[top] = d;
}

// Σ_{j≠top} a_j v_j: a sum that leaves the dominant entry out.
double dotWithout(const ConstVec& a, const VectorXd& v, Index top) {
  return a.head(top).dot(v.head(top)) + a.tail(a.size() - top - 1).dot(v.tail(v.size() - top - 1));
}

// w ← (I − a1ᵀ)w = w − a·Σw, its top entry as w_top·(1 − a_top) − a_top·Σ_{j≠top} w_j
// (oneMinusTop = 1 − a_top, passed in when it is known more accurately than the subtraction).
void projectOut(const VectorXd& a, Index top, double oneMinusTop, VectorXd& w) {
  const double wTop = w[top];
  const double rest = sumWithout(w, top);
  w -= a * (rest + wTop);
  w[top] = wTop * oneMinusTop - a[top] * rest;
}

// v ← (I − 1aᵀ)v = v − ⟨a, v⟩1, its top entry as v_top·(1 − a_top) − Σ_{j≠top} a_j v_j.
void projectOutTransposed(const ConstVec& a, Index top, double oneMinusTop, VectorXd& v) {
  const double vTop = v[top];
  const double rest = dotWithout(a, v, top);
  v.array() -= rest + a[top] * vTop;
  v[top] = vTop * oneMinusTop - rest;
}

// [SECTION] Gram sums by chunked SYRK ---------------------------------------------------

// One row g = scale·m_row − offset·μ of a Gram sum, entering with sign (0: skipped).
struct GramRow {
  Index row = 0;
  double scale = 0.0;
  double offset = 0.0;
  int sign = 0;
};

// lower(G) += Σ_{begin ≤ t < end} sign_t·g_t g_tᵀ with g_t = spec(t), by SYRK updates of full
// chunks of rows, the positive and the negative ones gathered apart (a chunk per sign, flushed
// when full, so mixed signs cost no more calls than one). The chunks keep the row copies small
// and in cache (256 rows of d = 64 are 128 KB: measured fastest, 512 is half as fast); they are
// filled column by column so that reads of the column-major M stay within a column.
template <class Spec>
void gramRange(Eigen::MatrixXd& G, const Eigen::MatrixXd& M, Index begin, Index end, const VectorXd* mu,
               const Spec& spec) {
  constexpr Index kChunk = 256;
  struct Pending {  // the rows waiting for one sign's next SYRK
    double sign = 1.0;
    Index used = 0;
    std::vector<Index> row;
    std::vector<double> scale, offset;
    Eigen::MatrixXd copy;
  };
  Pending pending[2];
  pending[1].sign = -1.0;
  const auto flush = [&](Pending& p) {
    if (p.used == 0) return;
    const Index* row = p.row.data();
    const double* scale = p.scale.data();
    const double* offset = p.offset.data();
    const Index first = row[0];
    bool consecutive = true;
    for (Index a = 0; a < p.used && consecutive; ++a) consecutive = row[a] == first + a;
    const Eigen::Map<const Eigen::ArrayXd> scales(scale, p.used), offsets(offset, p.used);
    for (Index l = 0; l < M.cols(); ++l) {
      const double m = mu ? (*mu)[l] : 0.0;
      if (consecutive) {  // the usual case, all rows of one sign: a vectorised copy
        p.copy.col(l).head(p.used).array() =
            scales * M.col(l).segment(first, p.used).array() - offsets * m;
        continue;
      }
      const double* column = M.col(l).data();
      double* out = p.copy.col(l).data();
      for (Index a = 0; a < p.used; ++a) out[a] = scale[a] * column[row[a]] - offset[a] * m;
    }
    G.selfadjointView<Eigen::Lower>().rankUpdate(p.copy.topRows(p.used).transpose(), p.sign);
    p.used = 0;
  };
  for (Index t = begin; t < end; ++t) {
    const GramRow g = spec(t);
    if (g.sign == 0) continue;
    Pending& p = pending[g.sign > 0 ? 0 : 1];
    if (p.row.empty()) {
      p.row.resize(kChunk);
      p.scale.resize(kChunk);
      p.offset.resize(kChunk);
      p.copy.resize(kChunk, M.cols());
    }
    p.row[p.used] = g.row;
    p.scale[p.used] = g.scale;
    p.offset[p.used] = g.offset;
    if (++p.used == kChunk) flush(p);
  }
  flush(pending[0]);
  flush(pending[1]);
}

// The whole sum, over [0, count): in parts of at least kPartRows rows (at most kMaxParts), each
// into its own d×d accumulator, run on the pool when there is one, then added in a fixed order.
// The parts depend on count alone, so the result is the same to the last bit with or without a
// pool and whichever thread runs which part.
constexpr Index kPartRows = 1024;
constexpr Index kMaxParts = 8;

template <class Spec>
void chunkedGram(Eigen::MatrixXd& G, const Eigen::MatrixXd& M, Index count, const VectorXd* mu, const Spec& spec,
                 WorkerPool* pool, PartTeam* team) {
  const Index parts = std::clamp<Index>(count / kPartRows, 1, kMaxParts);
  if (parts == 1) {
    gramRange(G, M, 0, count, mu, spec);
    return;
  }
  const auto first = [&](Index k) { return count * k / parts; };
  std::vector<Eigen::MatrixXd> partial(parts, Eigen::MatrixXd::Zero(G.rows(), G.cols()));
  const auto run = [&](Index lo, Index hi) {
    for (Index k = lo; k < hi; ++k) gramRange(partial[k], M, first(k), first(k + 1), mu, spec);
  };
  if (pool)
    pool->parallelFor(0, parts, 1, run);
  else
    runParts(team, parts, [&](Index k) { run(k, k + 1); });
  for (const Eigen::MatrixXd& part : partial) G.triangularView<Eigen::Lower>() += part;
}

// coef = ±s²  →  the row √|coef|·m_r with that sign (a NaN passes through to G, where the
// caller's finiteness check reports it).
GramRow weightedRow(Index row, double coef, double offsetToo) {
  const double s = std::sqrt(std::abs(coef));
  return {row, s, offsetToo * s, coef > 0 ? 1 : coef < 0 ? -1 : (coef == 0 ? 0 : 1)};
}

// [SECTION] value and gradient, streamed ------------------------------------------------

// ½‖z − b‖²: ∇ = z − b.
double linearValue(Eigen::Ref<VectorXd> z, const ConstVec& b, bool gradient) {
  if (!gradient) return halfSquaredNorm(z.array() - b.array());
  z -= b;
  return halfSquaredNorm(z.array());
}

// ½‖u − b‖², u = exp(z): ∇ = u∘(u − b).
double expValue(Eigen::Ref<VectorXd> z, const ConstVec& b, bool gradient) {
  double value = 0.0;
  Piece u, r;
  for (Index start = 0; start < z.size(); start += kPiece) {
    const Index len = std::min(kPiece, z.size() - start);
    expInto(z.segment(start, len), 0.0, u);
    r = u - b.segment(start, len).array();
    value += halfSquaredNorm(r);
    if (gradient) z.segment(start, len) = u * r;
  }
  return value;
}

// The softmax kinds, with f = softmax(z), c = f − b, h = C c = c − ⟨f, c⟩1, β = Σb:
//   ½‖f − b‖²        ∇ = f∘h          ∇² = Cᵀ diag(f∘(f + h)) C
//   −⟨b, log f⟩      ∇ = βf − b       ∇² = Cᵀ diag(βf) C = β(diag f − ffᵀ)      (002 Lemma C.14)
//   ½‖diag(w) z‖²    ∇ = w²∘z         ∇² = diag(w²)
// (the first Hessian expanded is diag(g − ⟨c,f⟩f) − g fᵀ − f gᵀ + (‖f‖² + 2⟨c,f⟩) f fᵀ,
// g = f∘(f + c)). −⟨b, log f⟩ is summed as Σ_j b_j (z_top − z_j) + β·log1p(τ): no large
// cancelling terms at z ≈ ±740. h is (c − c_top) + D with D = Σ_j f_j (c_top − c_j), so that
// h_top = D comes out of small terms when f is nearly one-hot.
struct SoftmaxTerms {
  bool squared, crossEntropy, weighted;
  explicit SoftmaxTerms(RowModel model)
      : squared(model != RowModel::CrossEntropy),
        crossEntropy(model != RowModel::Softmax),
        weighted(model == RowModel::InfoPrompt) {}
};

// One block is one part: the same steps as the vector kinds' parts take (row_losses.hpp). With
// `hessian`, the block's Hessian comes out of the same pass: f is formed anyway, and
// h = (c − c_top) + D, the centred residual q needs, is the gradient's.
double softmaxFamilyValue(RowModel model, Eigen::Ref<VectorXd> z, const ConstVec& b, const VectorXd* w,
                          bool gradient, BlockEval* hessian) {
  const Index n = z.size();
  VectorXd e(n);  // exp(z − max z), formed once: the pass below would otherwise cost another exp
  const SoftmaxPart part = startSoftmaxPart(z, b, 0, n, e);
  if (!part.finite) return std::numeric_limits<double>::quiet_NaN();  // the caller reports it
  const SoftmaxBlock block = combineSoftmaxParts(model, {part}, z, b);
  BlockEval scratch;
  BlockEval& out = hessian ? *hessian : scratch;
  startSoftmaxEval(block, n, hessian != nullptr, out);
  const SoftmaxPartSums sums = finishSoftmaxPart(block, 0, 0, n, z, b, w, e, gradient, hessian != nullptr, out);
  const SoftmaxTotals totals = softmaxTotals(block, {sums}, w);
  if (SoftmaxTerms(model).squared && totals.D != 0.0) {
    if (gradient) z += totals.D * out.f;
    if (hessian) out.q += totals.D * out.f;
  }
  if (gradient) z[block.top] = totals.gTop;
  return totals.value;
}

// ½‖u − αb‖², u = exp(z), α = Σu: with r = u − αb = (I − b1ᵀ)u and K = (I − b1ᵀ) diag(u) its
// Jacobian, ∇ = Kᵀr = u∘(r − ⟨r,b⟩) and ∇² = KᵀK + diag(u∘(r − ⟨r,b⟩)) (expanded:
// diag(u∘(r − ⟨r,b⟩ + u)) + ‖b‖² uuᵀ − (u∘b)uᵀ − u(u∘b)ᵀ). Everything is quadratic in u, so it
// is computed with ê = exp(z − max z) and scaled by e^{2·max z} once, at the very end. The top
// entry of r − ⟨r,b⟩1 is r_top(1 − b_top) − Σ_{j≠top} b_j r_j, which cancels nothing at b_top ≈ 1.
double rescaledValue(Eigen::Ref<VectorXd> z, const ConstVec& b, bool gradient, double& logScale) {
  VectorXd eAll;  // exp(z − max z), formed once
  const Shifted s = shiftedExp(z, eAll);
  const Index top = s.top;
  const double alpha = 1.0 + s.tail, rTop = rescaledResidualTop(s, b[top]);
  logScale = 2.0 * s.max;
  Piece e, r;
  const auto residualPiece = [&](Index start, Index len) {  // ê and r on [start, start + len)
    e = eAll.segment(start, len).array();
    r = e - alpha * b.segment(start, len).array();
    if (top >= start && top < start + len) r[top - start] = 0.0;  // kept out of rbRest; restored below
  };
  double value = 0.5 * rTop * rTop, rbRest = 0.0;
  for (Index start = 0; start < z.size(); start += kPiece) {
    const Index len = std::min(kPiece, z.size() - start);
    residualPiece(start, len);
    value += halfSquaredNorm(r);
    rbRest += (b.segment(start, len).array() * r).sum();
  }
  if (!gradient) return value;

  const double rb = rbRest + b[top] * rTop;
  const double gTop = rTop * (1.0 - b[top]) - rbRest;  // ê_top = 1
  for (Index start = 0; start < z.size(); start += kPiece) {
    const Index len = std::min(kPiece, z.size() - start);
    residualPiece(start, len);
    z.segment(start, len) = (e * (r - rb)).matrix();
  }
  z[top] = gTop;
  return value;
}

// [SECTION] Hessian factors -------------------------------------------------------------

// The Hessian alone: softmaxFamilyValue's passes without the gradient, on a copy of z (the same
// numbers as the Hessian that comes with a gradient).
void softmaxFamilyHessian(RowModel model, const ConstVec& z, const ConstVec& b, const VectorXd* w, BlockEval& out) {
  VectorXd logits = z;
  softmaxFamilyValue(model, logits, b, w, false, &out);
}

void rescaledHessian(const ConstVec& z, const ConstVec& b, BlockEval& out) {
  const Shifted s = shiftedExp(z, out.ku);
  out.top = s.top;
  out.logScale = 2.0 * s.max;
  out.c = out.ku - (1.0 + s.tail) * b;
  out.c[s.top] = rescaledResidualTop(s, b[s.top]);
  projectOutTransposed(b, s.top, 1.0 - b[s.top], out.c);  // r → r − ⟨r,b⟩1
  out.delta = out.ku.cwiseProduct(out.c);                  // u∘(r − ⟨r,b⟩)
  out.kb = b;
}

}  // namespace

// [SECTION] the interface of row_losses.hpp ---------------------------------------------

SoftmaxPart startSoftmaxPart(const ConstVec& z, const ConstVec& b, Index begin, Index end, VectorXd& e) {
  SoftmaxPart part;
  part.bSum = b.segment(begin, end - begin).sum();
  if (begin == end) {  // an empty part (more parts than rows): nothing joins the tail
    part.max = -std::numeric_limits<double>::infinity();
    return part;
  }
  // Two passes find the range and whether it is finite: a NaN makes the max NaN.
  const auto zk = z.segment(begin, end - begin);
  const double zMax = zk.maxCoeff<Eigen::PropagateNaN>(), zMin = zk.minCoeff();
  part.finite = std::isfinite(zMax) && std::isfinite(zMin);
  if (!part.finite) return part;
  const Index top = std::find(zk.data(), zk.data() + zk.size(), zMax) - zk.data();
  auto ek = e.segment(begin, end - begin);
  expInto(zk, zMax, zMin, zMax, ek);
  ek[top] = 0.0;
  part.tail = ek.sum();
  ek[top] = 1.0;
  part.max = zMax;
  part.top = begin + top;
  return part;
}

// The first part holding the largest max is the block's top (its first index, as maxCoeff would
// find); every other part's exponentials, its own top's 1 among them, join the tail scaled.
SoftmaxBlock combineSoftmaxParts(RowModel model, const std::vector<SoftmaxPart>& parts, const ConstVec& z,
                                 const ConstVec& b) {
  SoftmaxBlock block;
  block.model = model;
  std::size_t first = 0;
  for (std::size_t k = 1; k < parts.size(); ++k)
    if (parts[k].max > parts[first].max) first = k;
  block.max = parts[first].max;
  block.top = parts[first].top;
  block.partScale.resize(parts.size());
  for (std::size_t k = 0; k < parts.size(); ++k) {
    const double scale = k == first ? 1.0 : std::exp(parts[k].max - block.max);
    block.partScale[k] = scale;
    block.tail += k == first ? parts[k].tail : (1.0 + parts[k].tail) * scale;
    block.beta += parts[k].bSum;
  }
  block.zTop = z[block.top];
  block.bTop = b[block.top];
  if (!SoftmaxTerms(model).crossEntropy) block.beta = 0.0;
  block.fTop = 1.0 / (1.0 + block.tail);
  Shifted s;
  s.top = block.top;
  s.max = block.max;
  s.tail = block.tail;
  block.cTop = softmaxResidualTop(s, block.bTop);
  return block;
}

void startSoftmaxEval(const SoftmaxBlock& block, Index n, bool curvature, BlockEval& out) {
  out.logScale = 0.0;
  out.top = block.top;
  out.sigma = block.sigma();
  out.f.resize(n);
  out.q.resize(curvature ? n : 0);
  out.delta.resize(curvature && SoftmaxTerms(block.model).weighted ? n : 0);
  out.ku.resize(0);
  out.kb.resize(0);
}

// ½Σc², D and the cross-entropy's Σ b_j (z_top − z_j) go into the part's sums; g⁰ and q⁰ are
// ∇ and q without their D·f terms (rows/pieces of kPiece keep f, c and their products in L1).
SoftmaxPartSums finishSoftmaxPart(const SoftmaxBlock& block, Index k, Index begin, Index end, Eigen::Ref<VectorXd> z,
                                  const ConstVec& b, const VectorXd* w, const VectorXd& e, bool gradient,
                                  bool curvature, BlockEval& out) {
  const SoftmaxTerms terms(block.model);
  const Index top = block.top;
  const double scale = block.partScale[k] * block.fTop;  // 1/α once: a vector division costs ~16 cycles per 8
  const double cTop = block.cTop, beta = block.beta;
  SoftmaxPartSums sums;
  Piece f, c, g;
  for (Index start = begin; start < end; start += kPiece) {
    const Index len = std::min(kPiece, end - start);
    const auto bs = b.segment(start, len).array();
    const auto zs = z.segment(start, len).array();
    f = e.segment(start, len).array() * scale;
    c = f - bs;
    const bool hasTop = top >= start && top < start + len;
    if (hasTop) {
      f[top - start] = block.fTop;
      c[top - start] = cTop;
    }
    if (terms.squared) {
      sums.value += halfSquaredNorm(c);
      sums.D += (f * (cTop - c)).sum();
    }
    if (terms.crossEntropy) {
      sums.value += (bs * (block.max - zs)).sum();
      sums.bRest += sumWithout(b.segment(start, len), hasTop ? top - start : -1);  // not Σb − b_top: b_top may be ≈ 1
    }
    if (terms.weighted) sums.value += halfSquaredNorm(w->segment(start, len).array() * zs);
    out.f.segment(start, len) = f.matrix();
    if (curvature) {
      auto q = out.q.segment(start, len).array();
      if (terms.squared)
        q = f * (f + (c - cTop)) + beta * f;
      else
        q = beta * f;
      if (terms.weighted) out.delta.segment(start, len) = w->segment(start, len).array().square().matrix();
    }
    if (!gradient) continue;
    if (terms.squared)
      g = f * (c - cTop);
    else
      g.setZero(len);
    if (terms.crossEntropy) g += beta * f - bs;
    if (terms.weighted) g += w->segment(start, len).array().square() * zs;
    z.segment(start, len) = g.matrix();
    if (hasTop) z[top] = 0.0;
  }
  return sums;
}

SoftmaxTotals softmaxTotals(const SoftmaxBlock& block, const std::vector<SoftmaxPartSums>& parts, const VectorXd* w) {
  const SoftmaxTerms terms(block.model);
  SoftmaxTotals totals;
  double bRest = 0.0;
  for (const SoftmaxPartSums& part : parts) {
    totals.value += part.value;
    totals.D += part.D;
    bRest += part.bRest;
  }
  if (terms.crossEntropy) totals.value += block.beta * std::log1p(block.tail);
  if (terms.squared) totals.gTop = block.fTop * totals.D;
  if (terms.crossEntropy)  // β f_top − b_top = Σ_{j≠top} b_j − β(1 − f_top) when f_top ≈ 1
    totals.gTop += block.sigma() < 0.5 ? bRest - block.beta * block.sigma() : block.beta * block.fTop - block.bTop;
  if (terms.weighted) totals.gTop += (*w)[block.top] * (*w)[block.top] * block.zTop;
  return totals;
}

double sumWithout(const ConstVec& v, Index top) {
  if (top < 0 || top >= v.size()) return v.sum();
  return v.head(top).sum() + v.tail(v.size() - top - 1).sum();
}

RowModel rowModel(Kind kind) {
  switch (kind) {
    case Kind::Linear: return RowModel::Linear;
    case Kind::Exp: return RowModel::Exp;
    case Kind::Softmax: return RowModel::Softmax;
    case Kind::Rescaled: return RowModel::Rescaled;
    case Kind::CrossEntropy: return RowModel::CrossEntropy;
    case Kind::InfoPrompt: return RowModel::InfoPrompt;
    case Kind::AttentionNormalized: return RowModel::Softmax;
    case Kind::AttentionRescaled: return RowModel::Rescaled;
  }
  return RowModel::Linear;
}

bool hasConstantDelta(RowModel model) { return model == RowModel::Linear || model == RowModel::InfoPrompt; }

double blockValue(RowModel model, Eigen::Ref<VectorXd> z, const ConstVec& b, const VectorXd* w, bool gradient,
                  double& logScale, BlockEval* hessian) {
  logScale = 0.0;
  const bool softmaxFamily = model == RowModel::Softmax || model == RowModel::CrossEntropy || model == RowModel::InfoPrompt;
  if (hessian && !softmaxFamily) evaluateBlockHessian(model, z, b, w, *hessian);  // while z holds the logits
  switch (model) {
    case RowModel::Linear: return linearValue(z, b, gradient);
    case RowModel::Exp: return expValue(z, b, gradient);
    case RowModel::Rescaled: return rescaledValue(z, b, gradient, logScale);
    case RowModel::Softmax:
    case RowModel::CrossEntropy:
    case RowModel::InfoPrompt: return softmaxFamilyValue(model, z, b, w, gradient, hessian);
  }
  return 0.0;
}

void evaluateBlockHessian(RowModel model, const ConstVec& z, const ConstVec& b, const VectorXd* w, BlockEval& out) {
  out.logScale = 0.0;
  out.delta.resize(0);
  out.q.resize(0);
  out.ku.resize(0);
  out.kb.resize(0);
  switch (model) {
    case RowModel::Linear: out.delta.setOnes(z.size()); break;
    case RowModel::Exp:  // ∇² = diag(u∘(2u − b))
      expInto(z, 0.0, out.delta);
      out.delta.array() *= 2.0 * out.delta.array() - b.array();
      break;
    case RowModel::Rescaled: rescaledHessian(z, b, out); break;
    case RowModel::Softmax:
    case RowModel::CrossEntropy:
    case RowModel::InfoPrompt: softmaxFamilyHessian(model, z, b, w, out); break;
  }
}

void applyBlockHessian(const BlockEval& blk, const ConstVec& y, Eigen::Ref<VectorXd> out, VectorXd& scratch) {
  if (blk.delta.size() > 0)
    out = blk.delta.cwiseProduct(y);
  else
    out.setZero();
  if (blk.q.size() > 0) {  // Cᵀ diag(q) C y
    scratch = y;
    centre(blk.f, blk.top, scratch);
    scratch.array() *= blk.q.array();
    projectOut(blk.f, blk.top, blk.sigma, scratch);
    out += scratch;
  }
  if (blk.ku.size() > 0) {  // Kᵀ K y = diag(u)(I − 1bᵀ)(I − b1ᵀ)(u∘y)
    const double oneMinusTop = 1.0 - blk.kb[blk.top];
    scratch = blk.ku.cwiseProduct(y);
    projectOut(blk.kb, blk.top, oneMinusTop, scratch);
    projectOutTransposed(blk.kb, blk.top, oneMinusTop, scratch);
    out += blk.ku.cwiseProduct(scratch);
  }
}

void addBlockGram(const BlockEval& blk, const Eigen::MatrixXd& M, Eigen::MatrixXd& G, DiagonalPart part,
                  WorkerPool* pool, PartTeam* team) {
  const Index m = M.rows(), top = blk.top;
  const bool diagonal = blk.delta.size() > 0 && part == DiagonalPart::Include;
  // Rows j < m: the factored part, centred on `mean` and without the dominant row, which is
  // added apart from `topRow`; rows m + j: the diagonal part, √|delta_j|·m_j. One stream, so
  // that both fill the same SYRK chunks.
  VectorXd mean, topRow;
  std::function<GramRow(Index)> factoredRow;
  if (blk.q.size() > 0) {
    // Mᵀ Cᵀ diag(q) C M = Σ_j q_j (m_j − m̄)(m_j − m̄)ᵀ, m̄ = Mᵀf. The dominant row's
    // m_top − m̄ = Σ_{j≠top} f_j (m_top − m_j) = σ·m_top − Mᵀf_rest (f_rest: f without its top
    // entry, σ = Σ_{j≠top} f_j) is O(1 − f_top): formed from the small terms alone, never as
    // m_top − m̄. One GEMV over M gives both (a second pass over M costs as much as the GEMV).
    VectorXd fRest = blk.f;
    fRest[top] = 0.0;
    const VectorXd restMean = M.transpose() * fRest;
    mean = restMean + blk.f[top] * M.row(top).transpose();
    topRow = fRest.sum() * M.row(top).transpose() - restMean;
    factoredRow = [&](Index j) { return weightedRow(j, blk.q[j], 1.0); };
  } else if (blk.ku.size() > 0) {
    // (KM)ᵀ(KM): rows u_j m_j − b_j ū, ū = Mᵀu; the dominant one as
    // (1 − b_top) u_top m_top − b_top Σ_{j≠top} u_j m_j, which cancels nothing when b_top ≈ 1.
    VectorXd uRest = blk.ku;
    uRest[top] = 0.0;
    const VectorXd meanRest = M.transpose() * uRest;
    mean = meanRest + blk.ku[top] * M.row(top).transpose();
    topRow = (1.0 - blk.kb[top]) * blk.ku[top] * M.row(top).transpose() - blk.kb[top] * meanRest;
    factoredRow = [&](Index j) { return GramRow{j, blk.ku[j], blk.kb[j], 1}; };
  }
  const Index factored = factoredRow ? m : 0;
  chunkedGram(G, M, factored + (diagonal ? m : 0), factored ? &mean : nullptr, [&](Index t) {
    if (t >= factored) return weightedRow(t - factored, blk.delta[t - factored], 0.0);
    return t == top ? GramRow{} : factoredRow(t);
  }, pool, team);
  if (factored) G.selfadjointView<Eigen::Lower>().rankUpdate(topRow, blk.q.size() > 0 ? blk.q[top] : 1.0);
}

void expandBlockHessian(const BlockEval& blk, Eigen::Ref<VectorXd> delta, Eigen::MatrixXd& U, Eigen::MatrixXd& S) {
  const Index m = delta.size();
  delta.setZero();
  if (blk.delta.size() > 0) delta += blk.delta;
  if (blk.q.size() > 0) {
    delta += blk.q;
    U.resize(m, 2);
    U << blk.f, blk.q;
    S.resize(2, 2);
    S << blk.q.sum(), -1.0, -1.0, 0.0;
  } else if (blk.ku.size() > 0) {
    delta += blk.ku.cwiseAbs2();
    U.resize(m, 2);
    U << blk.ku, blk.ku.cwiseProduct(blk.kb);
    S.resize(2, 2);
    S << blk.kb.squaredNorm(), -1.0, -1.0, 0.0;
  } else {
    U.resize(m, 0);
    S.resize(0, 0);
  }
}

void addWeightedGram(Eigen::MatrixXd& G, const Eigen::MatrixXd& M, const ConstVec& coef, const int* rows,
                     WorkerPool* pool, PartTeam* team) {
  chunkedGram(G, M, coef.size(), nullptr, [&](Index t) { return weightedRow(rows ? rows[t] : t, coef[t], 0.0); }, pool,
              team);
}

ExpScale::ExpScale(double t) {
  if (t == 0.0) return;
  // Beyond ±3000 every nonzero double scales to 0 or ±inf anyway; keeps k an int.
  t = std::clamp(t, -3000.0, 3000.0);
  constexpr double kLn2 = 0.6931471805599453;
  constexpr double kLn2Hi = 6.93147180369123816490e-01;  // 32 significant bits: k·kLn2Hi is exact
  constexpr double kLn2Lo = 1.90821492927058770002e-10;
  const double k = std::nearbyint(t / kLn2);
  mantissa_ = std::exp((t - k * kLn2Hi) - k * kLn2Lo);
  exponent_ = static_cast<int>(k);
}

double ExpScale::operator()(double v) const { return std::ldexp(v * mantissa_, exponent_); }

}  // namespace attnlab::detail
