// The attention lab's core (core/labs/attention_lab_*, core/attention/attention_weights):
// the explicit weight matrices against the fast kernels, the params in sessions, the
// crossover, and the figures holding the numbers they claim to. Small sizes throughout.
#include <gtest/gtest.h>

#include <cmath>
#include <variant>

#include "core/attention/attention_weights.hpp"
#include "core/attention/favor.hpp"
#include "core/attention/linear_attention.hpp"
#include "core/errors.hpp"
#include "core/labs/attention_lab_compute.hpp"
#include "core/labs/attention_lab_figures.hpp"
#include "core/labs/json_fields.hpp"
#include "core/labs/session.hpp"
#include "core/random.hpp"
#include "unit/attention_testing.hpp"

namespace attnlab {
namespace {

using Mat = RowMatrix<double>;

WorkerPool& pool() { return testing::attentionPool(); }
using testing::gaussian;
using testing::relativeError;

// ---------------------------------------------------------------- weight matrices

TEST(AttentionWeights, SoftmaxWeightsTimesVIsExactAttention) {
  for (const bool causal : {false, true}) {
    const Mat Q = gaussian(37, 5, 1), K = gaussian(50, 5, 2), V = gaussian(50, 3, 3);
    const Mat W = softmaxAttentionWeights(Q, K, 0.7, causal);
    SoftmaxAttentionOptions o;
    o.scale = 0.7;
    o.causal = causal;
    EXPECT_LT(relativeError(W * V, softmaxAttention(Q, K, V, pool(), o)), 1e-12);
    EXPECT_LT((W.rowwise().sum().array() - 1.0).abs().maxCoeff(), 1e-14);
    EXPECT_GE(W.minCoeff(), 0.0);
    if (causal)  // query 0 sees keys 0 … Lk − Lq
      EXPECT_EQ(W.row(0).tail(50 - 14).cwiseAbs().maxCoeff(), 0.0);
  }
}

TEST(AttentionWeights, OneHotSoftmaxAtScoresNear740StaysFinite) {
  const Mat Q = gaussian(12, 4, 4, 14.0), K = gaussian(12, 4, 5, 14.0);
  const Mat W = softmaxAttentionWeights(Q, K, 1.0, false);
  ASSERT_TRUE(W.allFinite());
  EXPECT_GT(W.maxCoeff(), 1.0 - 1e-12);  // some row is one-hot
}

TEST(AttentionWeights, KernelWeightsTimesVIsLinearAttention) {
  const Mat Q = gaussian(40, 6, 6, 1.5), K = gaussian(40, 6, 7, 1.5), V = gaussian(40, 4, 8);
  const EluFeatures<double> elu(6);
  const FavorFeatures<double> favor(favorProjection(32, 6, 9, true), 0.4);
  const FeatureMap<double>* maps[] = {&elu, &favor};
  for (const FeatureMap<double>* map : maps)
    for (const bool causal : {false, true}) {
      LinearAttentionOptions o;
      o.causal = causal;
      const Mat W = kernelAttentionWeights(*map, Q, K, causal);
      EXPECT_LT(relativeError(W * V, linearAttention(*map, Q, K, V, pool(), o)), 1e-12);
    }
}

// ---------------------------------------------------------------- params

AttentionLabParams small() {
  AttentionLabParams p;
  p.d = 8;
  p.scale = 0.35;
  p.length = 32;
  p.features = 16;
  p.fitSteps = 10;
  p.sweepKernels = {AttentionKernel::Elu, AttentionKernel::Favor, AttentionKernel::Glu};
  p.lengths = {16, 32, 64};
  p.featureCounts = {4, 16, 64};
  return p;
}

TEST(AttentionLabParams, RoundTripsThroughASession) {
  Session s;
  s.lab = LabId::Attention;
  s.attention = small();
  s.attention.causal = true;
  s.attention.kernel = AttentionKernel::Aoglu;
  s.attention.keysAreQueries = false;
  const Session back = sessionFromJson(sessionToJson(s), ".");
  EXPECT_EQ(back.lab, LabId::Attention);
  EXPECT_EQ(back.attention, s.attention);
  EXPECT_EQ(sessionToJson(back).dump(), sessionToJson(s).dump());
}

TEST(AttentionLabParams, BadFieldsAreNamed) {
  const auto field = [](const nlohmann::json& j) -> std::string {
    try {
      attentionParamsFromJson(j, AttentionLabParams{});
    } catch (const InputError& e) {
      return e.where().field;
    }
    return "accepted";
  };
  EXPECT_EQ(field({{"length", 0}}), "attention.length");
  EXPECT_EQ(field({{"length", 100000}}), "attention.length");
  EXPECT_EQ(field({{"kernel", "softmax"}}), "attention.kernel");
  EXPECT_EQ(field({{"kernel", "rbf"}}), "attention.kernel");
  EXPECT_EQ(field({{"sigma", -1}}), "attention.sigma");
  EXPECT_EQ(field({{"d", "eight"}}), "attention.d");
  EXPECT_EQ(field({{"d", 2.5}}), "attention.d");  // not silently 2
  EXPECT_EQ(field({{"sweep", {{"lengths", {64, 128.5}}}}}), "attention.sweep.lengths");
  EXPECT_EQ(field({{"sweep", {{"lengths", {64, 32}}}}}), "attention.sweep.lengths");
  EXPECT_EQ(field({{"sweep", {{"kernels", {"softmax"}}}}}), "attention.sweep.kernels");
  EXPECT_EQ(field({{"sweep", {{"features", nlohmann::json::array()}}}}), "attention.sweep.features");
  EXPECT_EQ(field({{"sweep", {{"lengths", {64, 128}}}}}), "accepted");
}

TEST(AttentionLabParams, LongerInputsExtendShorterOnes) {
  const AttentionLabParams p = small();
  const AttentionInput a = attentionLabInput(p, 10), b = attentionLabInput(p, 25);
  EXPECT_EQ((a.Q - b.Q.topRows(10)).norm(), 0.0);
  EXPECT_EQ((a.K - b.K.topRows(10)).norm(), 0.0);
  EXPECT_EQ((a.V - b.V.topRows(10)).norm(), 0.0);
  EXPECT_EQ((a.Q - a.K).norm(), 0.0);  // self-attention by default
  AttentionLabParams apart = p;
  apart.keysAreQueries = false;
  const AttentionInput c = attentionLabInput(apart, 10);
  EXPECT_GT((c.Q - c.K).norm(), 0.0);
  EXPECT_EQ((c.Q - a.Q).norm(), 0.0);
}

TEST(AttentionLabParams, IntegerListsParseAndNameTheirField) {
  EXPECT_EQ(json_fields::parseWholeList("attention", "sweep.lengths", "64, 128 ;256"), (std::vector<int>{64, 128, 256}));
  EXPECT_EQ(json_fields::formatWholeList({8, 16}), "8, 16");
  try {
    json_fields::parseWholeList("attention", "sweep.lengths", "64, 1e3");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().field, "attention.sweep.lengths");
  }
}

// ---------------------------------------------------------------- crossover

TEST(AttentionLab, CrossoverIsWhereTheKernelTurnsFaster) {
  const std::vector<double> L{100, 200, 400, 800};
  // exact ∝ L², kernel ∝ L: equal at L = 400 exactly.
  std::vector<double> exact, kernel;
  for (double l : L) exact.push_back(l * l / 400.0), kernel.push_back(l);
  kernel[2] *= 1.0 + 1e-9;  // just slower at 400: the crossing lies between 400 and 800
  const auto at = crossoverLength(L, exact, kernel);
  ASSERT_TRUE(at.has_value());
  EXPECT_NEAR(*at, 400.0, 1e-3);
  // Always faster, never faster, or faster then slower again: no crossover to mark.
  EXPECT_FALSE(crossoverLength(L, {10, 20, 40, 80}, {1, 2, 4, 8}).has_value());
  EXPECT_FALSE(crossoverLength(L, {1, 2, 4, 8}, {10, 20, 40, 80}).has_value());
  EXPECT_FALSE(crossoverLength(L, {1, 2, 4, 8}, {2, 1, 5, 9}).has_value());
}

TEST(AttentionLab, ExactFlopsCountTwoProducts) {
  EXPECT_EQ(exactAttentionFlops(10, 20, 4, 3, false), 2.0 * 10 * 20 * 7);
  EXPECT_EQ(exactAttentionFlops(10, 10, 4, 4, true), 2.0 * 50 * 8);
}

// ---------------------------------------------------------------- matrices and figures

const HeatmapSeries& heatmapOf(const Figure& f) {
  for (const Series& s : f.series)
    if (const auto* h = std::get_if<HeatmapSeries>(&s)) return *h;
  throw std::runtime_error("no heatmap in " + f.name);
}

TEST(AttentionLab, MatricesAgreeWithTheKernelRunOnTheSameInput) {
  for (const AttentionKernel kernel : {AttentionKernel::Elu, AttentionKernel::Favor, AttentionKernel::Softplus}) {
    AttentionLabParams p = small();
    p.kernel = kernel;
    Progress progress;
    const auto m = computeAttentionMatrices(p, Theme::Light, progress);
    ASSERT_TRUE(m);
    // The same error by the other road: runAttention's fast kernel against its own exact.
    const AttentionResult r = runAttention(attentionParamsFor(p, kernel, p.features, AttentionDtype::Float64),
                                           attentionLabInput(p, p.length), pool(), progress);
    ASSERT_TRUE(r.errorVsSoftmax);
    EXPECT_NEAR(m->outputError, *r.errorVsSoftmax, 1e-10 * (1 + *r.errorVsSoftmax)) << attentionKernelName(kernel);
    EXPECT_EQ(m->fit.has_value(), kernel == AttentionKernel::Softplus);
    EXPECT_NEAR(m->largestWeightError, (m->kernel - m->exact).cwiseAbs().maxCoeff(), 0.0);

    // Each heatmap holds its matrix, query 0 on the top grid row.
    const HeatmapSeries& h = heatmapOf(m->figures.exact);
    ASSERT_EQ(h.rows, p.length);
    EXPECT_EQ(h.at(p.length - 1, 5), m->exact(0, 5));
    EXPECT_EQ(h.at(0, 7), m->exact(p.length - 1, 7));
    EXPECT_EQ(heatmapOf(m->figures.kernel).at(3, 4), m->kernel(p.length - 4, 4));
    EXPECT_EQ(heatmapOf(m->figures.difference).at(2, 9), m->kernel(p.length - 3, 9) - m->exact(p.length - 3, 9));
    const Range reach = *heatmapOf(m->figures.difference).valueRange;  // symmetric: white is 0
    EXPECT_EQ(reach.min, -reach.max);
    EXPECT_EQ(reach.max, m->largestWeightError);
    // Exact and kernel share one colour scale, so the eye can compare them.
    EXPECT_EQ(*heatmapOf(m->figures.exact).valueRange, *heatmapOf(m->figures.kernel).valueRange);
    for (const Figure* f : {&m->figures.exact, &m->figures.kernel, &m->figures.difference})
      EXPECT_TRUE(figureProblems(*f).empty()) << f->name;
  }
}

TEST(AttentionLab, SweepsHoldTheirNumbers) {
  const AttentionLabParams p = small();
  Progress progress;
  const auto s = computeAttentionSweeps(p, Theme::Dark, pool(), progress);
  ASSERT_TRUE(s);
  ASSERT_EQ(s->kernels.size(), 3u);
  ASSERT_EQ(s->exactSeconds.size(), 3u);
  for (double t : s->exactSeconds) EXPECT_GT(t, 0.0);
  const KernelSweep& elu = s->kernels[0];
  EXPECT_TRUE(elu.errorVsFeatures.empty());  // elu has m = d
  // elu's error at L = 32 is runAttention's in float32 on the same first 32 tokens.
  AttentionLabParams at = p;
  const AttentionResult r = runAttention(attentionParamsFor(p, AttentionKernel::Elu, p.features, AttentionDtype::Float32),
                                         attentionLabInput(at, 32), pool(), progress);
  EXPECT_NEAR(elu.errorVsLength[1], *r.errorVsSoftmax, 1e-5);
  // ... and its level in the error-vs-m figure is runAttention's in double at the matrices' L,
  // whether or not that L is one of the swept lengths.
  const double eluAtLength =
      *runAttention(attentionParamsFor(p, AttentionKernel::Elu, p.features, AttentionDtype::Float64),
                    attentionLabInput(p, p.length), pool(), progress)
           .errorVsSoftmax;
  EXPECT_NEAR(elu.errorAtLength, eluAtLength, 1e-12);
  // favor's error against m is the mean over four draws of W, at the matrices' L, in double.
  const KernelSweep& favor = s->kernels[1];
  ASSERT_EQ(favor.errorVsFeatures.size(), 3u);
  double mean = 0;
  for (int draw = 0; draw < 4; ++draw) {
    AttentionParams a = attentionParamsFor(p, AttentionKernel::Favor, 16, AttentionDtype::Float64);
    a.seed = p.seed + draw;
    mean += *runAttention(a, attentionLabInput(p, p.length), pool(), progress).errorVsSoftmax / 4;
  }
  EXPECT_NEAR(favor.errorVsFeatures[1], mean, 1e-10);
  EXPECT_LT(favor.errorVsFeatures[2], favor.errorVsFeatures[0]);  // more features, less error

  // The figures: one line per kernel (plus exact attention's time, favor's 1/√m slope).
  // By the start of its label: the time figure's labels end with the crossover, if any.
  const auto line = [](const Figure& f, const std::string& label) -> const LineSeries& {
    for (const Series& series : f.series)
      if (const auto* l = std::get_if<LineSeries>(&series); l && l->label.rfind(label, 0) == 0) return *l;
    throw std::runtime_error("no line '" + label + "' in " + f.name);
  };
  EXPECT_EQ(line(s->errorVsLength, "favor").ys, favor.errorVsLength);
  EXPECT_EQ(line(s->errorVsFeatures, "glu").ys, s->kernels[2].errorVsFeatures);
  EXPECT_EQ(line(s->errorVsFeatures, "elu").ys, std::vector<double>(2, elu.errorAtLength));
  AttentionLabParams unswept = p;
  unswept.length = 40;  // not among the lengths 16, 32, 64
  const auto u = computeAttentionSweeps(unswept, Theme::Dark, pool(), progress);
  ASSERT_TRUE(u);
  EXPECT_TRUE(std::isfinite(line(u->errorVsFeatures, "elu").ys[0]));
  EXPECT_EQ(line(s->timeVsLength, "exact softmax").ys, s->exactSeconds);
  EXPECT_EQ(line(s->timeVsLength, "elu (m = d = 8)").ys, elu.secondsVsLength);
  const std::vector<double> Ls(p.lengths.begin(), p.lengths.end());
  for (const KernelSweep& k : s->kernels) {
    const bool crosses = crossoverLength(Ls, s->exactSeconds, k.secondsVsLength).has_value();
    const std::string& label = line(s->timeVsLength, std::string(attentionKernelName(k.kernel))).label;
    EXPECT_EQ(label.find("faster from L ≈") != std::string::npos, crosses) << label;
  }
  const LineSeries& slope = line(s->errorVsFeatures, "∝ 1/√m");
  EXPECT_NEAR(slope.ys[2] / slope.ys[0], 0.25, 1e-12);  // m from 4 to 64
  for (const Figure* f : {&s->errorVsLength, &s->errorVsFeatures, &s->timeVsLength})
    EXPECT_TRUE(figureProblems(*f).empty()) << f->name;
}

TEST(AttentionLab, CancelledJobsPublishNothing) {
  Progress progress;
  progress.requestCancel();
  EXPECT_EQ(computeAttentionSweeps(small(), Theme::Light, pool(), progress), nullptr);
  AttentionLabParams p = small();
  p.kernel = AttentionKernel::Softplus;
  EXPECT_EQ(computeAttentionMatrices(p, Theme::Light, progress), nullptr);
}

}  // namespace
}  // namespace attnlab
