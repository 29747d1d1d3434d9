// The "Unseen symbols" lab without a window (core/labs/template_lab_*): its params read and
// write the session JSON and name bad fields; its figures hold exactly the core's numbers
// (lines, bands, the kernel matrix in template order, the singular values of N); and the job
// publishes one snapshot per run, recolours without recomputing, and can be cancelled.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>

#include "core/errors.hpp"
#include "core/jobs/worker_pool.hpp"
#include "core/labs/template_lab_compute.hpp"
#include "core/labs/template_lab_figures.hpp"
#include "core/labs/json_fields.hpp"
#include "core/labs/template_lab_params.hpp"

namespace attnlab {
namespace {

WorkerPool& pool() {
  static WorkerPool workers(2);
  return workers;
}

TemplateLabParams smallLab() {
  TemplateLabParams p;
  p.kernels = {TemplateKernel::Transformer, TemplateKernel::Attention, TemplateKernel::Mlp};
  p.trainSizes = {4, 12, 40};
  p.testSize = 30;
  p.samples = 64;
  p.seed = 5;
  return p;
}

std::string fieldOf(const nlohmann::json& json) {
  try {
    templateLabParamsFromJson(json, TemplateLabParams{});
  } catch (const InputError& e) {
    return e.where().field;
  }
  return "(accepted)";
}

template <class T>
const T* findSeries(const Figure& f, const std::string& label) {
  for (const Series& s : f.series)
    if (const T* t = std::get_if<T>(&s); t && t->label == label) return t;
  return nullptr;
}

const TemplatePicture& smallPicture() {
  static const std::shared_ptr<TemplatePicture> picture = [] {
    Progress progress;
    return computeTemplatePicture(smallLab(), Theme::Light, pool(), progress);
  }();
  return *picture;
}

TEST(TemplateLabParams, JsonRoundTripsEveryField) {
  TemplateLabParams p;
  p.task = TaskKind::Random;
  p.length = 3;
  p.templates = 5;
  p.wildcards = 3;
  p.tokens = 1;
  p.kernels = {TemplateKernel::Attention, TemplateKernel::Mlp};
  p.trainSizes = {10, 20};
  p.testSize = 33;
  p.embedding = EmbeddingKind::Gaussian;
  p.dim = 24;
  p.samples = 77;
  p.ridge = 0.25;
  p.seed = 12345678901234ULL;
  p.beta = 1.5;
  p.gamma = 0.5;
  p.kqIdentity = -0.75;
  p.b1 = 0.3;
  p.b2 = -1.0;
  p.view = TemplateView::Copying;
  p.copy = {{8, 32}, 10, 12, 2, 3, 50, 0.25};
  EXPECT_EQ(templateLabParamsFromJson(toJson(p), TemplateLabParams{}), p);
  // The defaults are the lesson's, and they survive too.
  EXPECT_EQ(templateLabParamsFromJson(toJson(TemplateLabParams{}), p), TemplateLabParams{});
}

TEST(TemplateLabParams, AbsentFieldsKeepTheBaseAndKernelsAreOrdered) {
  TemplateLabParams base;
  base.samples = 300;
  const TemplateLabParams p = templateLabParamsFromJson({{"kernels", {"mlp", "transformer"}}, {"seed", 3}}, base);
  EXPECT_EQ(p.samples, 300);
  EXPECT_EQ(p.seed, 3u);
  EXPECT_EQ(p.kernels, (std::vector<TemplateKernel>{TemplateKernel::Transformer, TemplateKernel::Mlp}));
}

TEST(TemplateLabParams, BadFieldsAreNamed) {
  EXPECT_EQ(fieldOf({{"task", "abc"}}), "templates.task");
  EXPECT_EQ(fieldOf({{"kernels", {"cnn"}}}), "templates.kernels");
  EXPECT_EQ(fieldOf({{"kernels", {"mlp", "mlp"}}}), "templates.kernels");
  EXPECT_EQ(fieldOf({{"kernels", nlohmann::json::array()}}), "templates.kernels");
  EXPECT_EQ(fieldOf({{"train_sizes", nlohmann::json::array()}}), "templates.train_sizes");
  EXPECT_EQ(fieldOf({{"train_sizes", {8, 0}}}), "templates.train_sizes");
  EXPECT_EQ(fieldOf({{"train_sizes", {8, 2.5}}}), "templates.train_sizes");
  EXPECT_EQ(fieldOf({{"train_sizes", {8, 5000}}}), "templates.train_sizes");
  EXPECT_EQ(fieldOf({{"train_sizes", "8, 16"}}), "templates.train_sizes");
  EXPECT_EQ(fieldOf({{"samples", 1}}), "templates.samples");
  EXPECT_EQ(fieldOf({{"samples", 4294967298.0}}), "templates.samples");
  EXPECT_EQ(fieldOf({{"samples", "many"}}), "templates.samples");
  EXPECT_EQ(fieldOf({{"ridge", -1}}), "templates.ridge");
  EXPECT_EQ(fieldOf({{"beta", 1e9}}), "templates.beta");
  EXPECT_EQ(fieldOf({{"embedding", "sparse"}}), "templates.embedding");
  EXPECT_EQ(fieldOf({{"task", "majority"}, {"length", 13}}), "templates.length");
  EXPECT_EQ(fieldOf({{"task", "random"}, {"templates", 1}}), "templates.templates");
  // Too much memory for the window, though the command line would take it.
  EXPECT_EQ(fieldOf({{"task", "majority"}, {"length", 12}, {"train_sizes", {1024}}, {"test_size", 2000}}),
            "templates.test_size");
  EXPECT_THROW(templateLabParamsFromJson(nlohmann::json::array(), TemplateLabParams{}), InputError);
  EXPECT_EQ(fieldOf({{"view", "both"}}), "templates.view");
  EXPECT_EQ(fieldOf({{"copy", 3}}), "templates.copy");
  EXPECT_EQ(fieldOf({{"copy", {{"embeddings", {64, 16}}}}}), "templates.copy.embeddings");
  EXPECT_EQ(fieldOf({{"copy", {{"embeddings", {16.5}}}}}), "templates.copy.embeddings");
  EXPECT_EQ(fieldOf({{"copy", {{"steps", 0}}}}), "templates.copy.steps");
  EXPECT_EQ(fieldOf({{"copy", {{"lr", -1}}}}), "templates.copy.lr");
}

// The copying task's fields and the view never rerun the regression, and vice versa.
TEST(TemplateLabParams, EachExperimentDependsOnItsOwnFields) {
  TemplateLabParams a, b;
  b.view = TemplateView::Copying;
  b.copy.steps = 17;
  EXPECT_TRUE(sameExperiment(a, b));
  EXPECT_FALSE(sameCopyTask(a, b));
  b = a;
  b.samples = 999;
  EXPECT_FALSE(sameExperiment(a, b));
  EXPECT_TRUE(sameCopyTask(a, b));
  b.seed = 4;  // the seed draws both
  EXPECT_FALSE(sameCopyTask(a, b));
  const CopyTaskParams c = copyTaskParamsFor(b, 256);
  EXPECT_EQ(c.embedding, 256);
  EXPECT_EQ(c.seed, 4u);
  EXPECT_EQ(c.steps, b.copy.steps);
}

// The panel's typed lists (json_fields::parseWholeList, as every lab reads them).
TEST(TemplateLabParams, TrainSizesAsText) {
  const auto parse = [](std::string_view text) { return json_fields::parseWholeList("templates", "train_sizes", text); };
  EXPECT_EQ(parse("8, 16 32;64"), (std::vector<int>{8, 16, 32, 64}));
  EXPECT_EQ(json_fields::formatWholeList({8, 16, 32}), "8, 16, 32");
  EXPECT_EQ(parse(json_fields::formatWholeList({1, 1024})), (std::vector<int>{1, 1024}));
  for (const char* bad : {"8, x", "8, -4", "8, 0", "3.5"}) {
    try {
      parse(bad);
      ADD_FAILURE() << bad;
    } catch (const InputError& e) {
      EXPECT_EQ(e.where().field, "templates.train_sizes") << bad;
    }
  }
}

TEST(TemplateLabParams, KernelsShownKeepTheirOrder) {
  TemplateLabParams p;
  setKernelShown(p, TemplateKernel::Attention, true);
  EXPECT_EQ(p.kernels, (std::vector<TemplateKernel>{TemplateKernel::Transformer, TemplateKernel::Attention,
                                                    TemplateKernel::Mlp}));
  setKernelShown(p, TemplateKernel::Transformer, false);
  EXPECT_FALSE(showsKernel(p, TemplateKernel::Transformer));
  EXPECT_EQ(p.kernels.size(), 2u);
}

TEST(TemplateLabFigures, TestErrorHoldsTheCoreNumbers) {
  const TemplatePicture& pic = smallPicture();
  const Figure& f = pic.figures.testError;
  EXPECT_TRUE(figureProblems(f).empty());
  EXPECT_EQ(f.name, "test_error");
  EXPECT_EQ(f.x.scale, Scale::Log10);
  EXPECT_EQ(f.y.scale, Scale::Log10);
  ASSERT_EQ(pic.experiment.kernels.size(), 3u);
  for (const TemplateKernelResult& r : pic.experiment.kernels) {
    const LineSeries* line = findSeries<LineSeries>(f, kernelTitle(r.kernel));
    ASSERT_NE(line, nullptr) << kernelTitle(r.kernel);
    EXPECT_EQ(line->xs, (std::vector<double>{4, 12, 40}));
    EXPECT_EQ(line->ys, r.testError);
    EXPECT_EQ(line->style.color, kernelColour(r.kernel, Theme::Light));
    const AreaSeries* band =
        findSeries<AreaSeries>(f, "± 1 s.e. (" + std::string(templateKernelName(r.kernel)) + ", jackknife)");
    // A band exactly where the kernel is a Monte Carlo estimate.
    ASSERT_EQ(band != nullptr, r.monteCarlo) << kernelTitle(r.kernel);
    if (!band) continue;
    for (std::size_t s = 0; s < r.testError.size(); ++s) {
      EXPECT_DOUBLE_EQ(band->upper[s], r.testError[s] + r.testErrorStderr[s]);
      EXPECT_GT(band->lower[s], 0.0);
      EXPECT_LE(band->lower[s], r.testError[s]);
      if (r.testErrorStderr[s] < 0.5 * r.testError[s]) {
        EXPECT_DOUBLE_EQ(band->lower[s], r.testError[s] - r.testErrorStderr[s]);
      }
    }
  }
  const LineSeries* chance = findSeries<LineSeries>(f, "predicting 0 (MSE 1)");
  ASSERT_NE(chance, nullptr);
  EXPECT_EQ(chance->ys, (std::vector<double>{1.0, 1.0}));
  ASSERT_EQ(f.x.ticks.size(), 3u);
  EXPECT_EQ(f.x.ticks[2].label, "40");
}

// Sizes typed in any order: the core keeps it, the line runs in increasing n.
TEST(TemplateLabFigures, TestErrorRunsInIncreasingN) {
  TemplateLabParams p = smallLab();
  p.kernels = {TemplateKernel::Mlp};
  p.trainSizes = {40, 4, 12};
  Progress progress;
  const auto pic = computeTemplatePicture(p, Theme::Light, pool(), progress);
  const std::vector<double>& err = pic->experiment.kernels[0].testError;
  const LineSeries* line = findSeries<LineSeries>(pic->figures.testError, kernelTitle(TemplateKernel::Mlp));
  ASSERT_NE(line, nullptr);
  EXPECT_EQ(line->xs, (std::vector<double>{4, 12, 40}));
  EXPECT_EQ(line->ys, (std::vector<double>{err[1], err[2], err[0]}));
  EXPECT_NE(testErrorSummary(pic->experiment, p.trainSizes).find("as n goes 4 → 40"), std::string::npos);
}

TEST(TemplateLabFigures, KernelMatrixIsTheTransformerKernelInTemplateOrder) {
  const TemplatePicture& pic = smallPicture();
  const TemplateExperiment& e = pic.experiment;
  const Figure& f = pic.figures.kernelMatrix;
  EXPECT_TRUE(figureProblems(f).empty());
  const TemplateKernelResult& trans = kernelMatrixSource(e);
  ASSERT_EQ(trans.kernel, TemplateKernel::Transformer);
  ASSERT_EQ(trans.trainKernel.rows(), 40);
  const HeatmapSeries* h = nullptr;
  for (const Series& s : f.series)
    if (const auto* p = std::get_if<HeatmapSeries>(&s)) h = p;
  ASSERT_NE(h, nullptr);
  ASSERT_EQ(h->rows, 40);
  ASSERT_EQ(h->cols, 40);
  const std::vector<int> order = stringsByTemplate(e.train, 40);
  for (std::size_t i = 1; i < order.size(); ++i)
    EXPECT_LE(e.train[std::size_t(order[i - 1])].templateIndex, e.train[std::size_t(order[i])].templateIndex);
  // The first string of the order sits in the top row (grid row m−1).
  for (int i = 0; i < 40; ++i)
    for (int j = 0; j < 40; ++j)
      ASSERT_EQ(h->at(39 - i, j), trans.trainKernel(order[std::size_t(i)], order[std::size_t(j)])) << i << "," << j;
  // The colours span exactly the pairs with no symbol in common (the entries of N, 001 Fig. 4).
  double lo = INFINITY, hi = -INFINITY;
  for (int i = 0; i < 40; ++i)
    for (int j = 0; j < 40; ++j)
      if (!shareSymbol(e.train[std::size_t(i)], e.train[std::size_t(j)]))
        lo = std::min(lo, trans.trainKernel(i, j)), hi = std::max(hi, trans.trainKernel(i, j));
  ASSERT_TRUE(h->valueRange.has_value());
  EXPECT_EQ(h->valueRange->min, lo);
  EXPECT_DOUBLE_EQ(h->valueRange->max, hi + 0.2 * (hi - lo));
  EXPECT_LE(trans.N.minCoeff(), hi + 0.1 * (hi - lo));
  EXPECT_GE(trans.N.maxCoeff(), lo - 0.1 * (hi - lo));
  ASSERT_TRUE(f.colorbar.has_value());
  EXPECT_EQ(f.colorbar->range, *h->valueRange);
  // αα vs αβ: two blocks, named at their centres, split by one vertical and one horizontal rule.
  ASSERT_EQ(f.x.ticks.size(), 2u);
  EXPECT_EQ(f.x.ticks[0].label, "αα");
  EXPECT_EQ(f.x.ticks[1].label, "αβ");
  int rules = 0;
  for (const Series& s : f.series) rules += std::holds_alternative<LineSeries>(s);
  EXPECT_EQ(rules, 2);
}

// The point of 001 Fig. 4: on the transformer kernel, the entries of block (a, b) between
// strings with no symbol in common are all ≈ N_ab — the figure shows N — and N's blocks differ.
TEST(TemplateLabFigures, KernelMatrixBlocksAreTheTemplateMatrix) {
  const TemplatePicture& pic = smallPicture();
  const TemplateExperiment& e = pic.experiment;
  const TemplateKernelResult& trans = kernelMatrixSource(e);
  double sums[2][2] = {{0, 0}, {0, 0}};
  int counts[2][2] = {{0, 0}, {0, 0}};
  for (int i = 0; i < 40; ++i)
    for (int j = 0; j < 40; ++j) {
      if (shareSymbol(e.train[std::size_t(i)], e.train[std::size_t(j)])) continue;
      const int a = e.train[std::size_t(i)].templateIndex, b = e.train[std::size_t(j)].templateIndex;
      sums[a][b] += trans.trainKernel(i, j);
      ++counts[a][b];
    }
  for (int a = 0; a < 2; ++a)
    for (int b = 0; b < 2; ++b) {
      ASSERT_GT(counts[a][b], 20);
      const double mean = sums[a][b] / counts[a][b];
      std::printf("block (%d, %d): mean %.5f  N %.5f ± %.5f\n", a, b, mean, trans.N(a, b), trans.NStderr(a, b));
      EXPECT_NEAR(mean, trans.N(a, b), 4.0 * trans.NStderr(a, b) + 1e-3);
    }
  EXPECT_GT(std::fabs(sums[0][0] / counts[0][0] - sums[0][1] / counts[0][1]), 0.01);
}

TEST(TemplateLabFigures, SharedSymbols) {
  EXPECT_TRUE(shareSymbol({{3, 4}, 0, 1.0}, {{5, 3}, 1, -1.0}));
  EXPECT_FALSE(shareSymbol({{3, 3}, 0, 1.0}, {{5, 6}, 1, -1.0}));
}

TEST(TemplateLabFigures, SpectrumHoldsTheSingularValuesAndTheConditionNumbers) {
  const TemplatePicture& pic = smallPicture();
  const Figure& f = pic.figures.templateSpectrum;
  EXPECT_TRUE(figureProblems(f).empty());
  EXPECT_EQ(f.y.scale, Scale::Log10);
  const auto& kernels = pic.experiment.kernels;
  for (const TemplateKernelResult& r : kernels) {
    const MarkerSeries* points = nullptr;
    for (const Series& s : f.series)
      if (const auto* m = std::get_if<MarkerSeries>(&s); m && m->label.rfind(kernelShortName(r.kernel) + ": ", 0) == 0)
        points = m;
    ASSERT_NE(points, nullptr) << kernelTitle(r.kernel);
    EXPECT_NE(points->label.find(conditionText(r.NCondition)), std::string::npos) << points->label;
    EXPECT_EQ(points->color, kernelColour(r.kernel, Theme::Light));
    // Every nonzero singular value, at its index; the zeros named in the label instead.
    const Eigen::VectorXd& sigma = r.NCondition.singularValues;
    std::size_t next = 0;
    for (Eigen::Index i = 0; i < sigma.size(); ++i) {
      if (sigma(i) <= 1e-16 * sigma(0)) {
        EXPECT_NE(points->label.find("= 0 (not drawn)"), std::string::npos) << points->label;
        continue;
      }
      ASSERT_LT(next, points->xs.size());
      EXPECT_EQ(points->xs[next], double(i + 1));
      EXPECT_EQ(points->ys[next], sigma(i));
      ++next;
    }
    EXPECT_EQ(next, points->xs.size());
  }
  // 001 App. I: the MLP's N is singular (σ₂ = 0 for αα vs αβ), the transformer's is not.
  EXPECT_TRUE(kernels[2].NCondition.singular);
  EXPECT_FALSE(kernels[0].NCondition.singular);
  EXPECT_EQ(std::get<MarkerSeries>(f.series[2]).label, "MLP: κ(N) = ∞ (singular), σ₂ = 0 (not drawn)");
  EXPECT_EQ(zeroSingularValuesText(2, 16), "σ₂…σ₁₆ = 0 (not drawn)");
}

TEST(TemplateLabFigures, SummaryQuotesTheNumbers) {
  const TemplatePicture& pic = smallPicture();
  const std::string text = testErrorSummary(pic.experiment, pic.params.trainSizes);
  EXPECT_EQ(text.rfind("transformer test MSE " + formatNumber(pic.experiment.kernels[0].testError.front(), 2), 0), 0u)
      << text;
  EXPECT_NE(text.find("as n goes 4 → 40"), std::string::npos) << text;
  EXPECT_NE(text.find("MLP " + formatNumber(pic.experiment.kernels[2].testError.front(), 2)), std::string::npos) << text;
  // The MLP does not learn the unseen symbols, and the summary says so; the transformer does.
  EXPECT_NE(text.find("(no better than predicting 0)"), std::string::npos) << text;
  EXPECT_EQ(text.find("(no better"), text.rfind("(no better")) << text;
  EXPECT_NE(conditionSummary(pic.experiment).find("MLP κ(N) = "), std::string::npos);
}

TEST(TemplateLabCompute, JobPublishesRecoloursAndCancels) {
  auto snapshots = std::make_shared<TemplateSnapshots>();
  TemplateLabParams p = smallLab();
  p.kernels = {TemplateKernel::Transformer};
  {
    const auto job = runJob(pool(), "templates", templateLabJob(p, Theme::Light, nullptr, pool(), snapshots));
    ASSERT_EQ(job->wait(), Status::Success);
  }
  const auto first = snapshots->picture.latest();
  ASSERT_TRUE(first);
  EXPECT_FALSE(first->coarse);
  EXPECT_EQ(first->samples, p.samples);
  // A theme change reuses the numbers: the same experiment, recoloured figures.
  {
    const auto job = runJob(pool(), "templates", templateLabJob(p, Theme::Dark, first, pool(), snapshots));
    ASSERT_EQ(job->wait(), Status::Success);
  }
  const auto dark = snapshots->picture.latest();
  EXPECT_EQ(dark->theme, Theme::Dark);
  EXPECT_EQ(dark->experiment.kernels[0].testError, first->experiment.kernels[0].testError);
  EXPECT_EQ(std::get<LineSeries>(dark->figures.testError.series.back()).style.color,
            kernelColour(TemplateKernel::Transformer, Theme::Dark));
  // Many draws: a coarse picture first, then the full one.
  p.samples = kCoarseFirstFrom;
  p.trainSizes = {4, 8};
  p.testSize = 10;
  {
    const auto job = runJob(pool(), "templates", templateLabJob(p, Theme::Light, dark, pool(), snapshots));
    ASSERT_EQ(job->wait(), Status::Success);
  }
  EXPECT_EQ(snapshots->picture.version(), 4u);
  EXPECT_EQ(snapshots->picture.latest()->samples, kCoarseFirstFrom);
  // Cancelled: nothing more is published.
  Progress cancelled;
  cancelled.requestCancel();
  EXPECT_EQ(templateLabJob(smallLab(), Theme::Light, nullptr, pool(), snapshots)(cancelled), Status::Cancelled);
  EXPECT_EQ(snapshots->picture.version(), 4u);
}

TEST(TemplateLabCompute, BadParamsFailTheJobWithTheField) {
  TemplateLabParams p = smallLab();
  p.ridge = -1.0;
  auto snapshots = std::make_shared<TemplateSnapshots>();
  const auto job = runJob(pool(), "templates", templateLabJob(p, Theme::Light, nullptr, pool(), snapshots));
  EXPECT_EQ(job->wait(), Status::InvalidInput);
  EXPECT_NE(job->errorMessage().find("ridge"), std::string::npos) << job->errorMessage();
  EXPECT_EQ(snapshots->picture.version(), 0u);
}

}  // namespace
}  // namespace attnlab
