// The copying task of paper 001 (core/templates/copy_task): every gradient against central
// differences, finite losses at logits near ±700, and the two theorems as the trained model
// shows them — without b the unseen tokens' loss stays at log V as the embedding widens
// (Thm 4.1); with the trainable b·I it falls and the unseen tokens are copied (Thm 4.2).
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <variant>
#include <vector>

#include "core/errors.hpp"
#include "core/random.hpp"
#include "core/labs/copy_task_figures.hpp"
#include "core/templates/copy_task.hpp"

namespace attnlab {
namespace {

CopyTaskParams tiny(bool identity) {
  CopyTaskParams p;
  p.trainTokens = 5;
  p.testTokens = 3;
  p.embedding = 6;
  p.heads = 2;
  p.headDim = 2;
  p.identityScalings = identity;
  p.seed = 3;
  return p;
}

// Weights away from the initial point (b ≠ 0, larger mixing), where every term matters.
CopyTaskWeights generic(const CopyTaskParams& p) {
  CopyTaskWeights w = initialCopyTaskWeights(p);
  Random rng(11);
  for (auto* group : {&w.value, &w.output})
    for (Eigen::MatrixXd& m : *group) m = m.unaryExpr([&](double x) { return 3.0 * x + 0.2 * rng.normal(); });
  w.b = {0.7, -0.3};
  return w;
}

// Central difference of the loss along one parameter of `w` (a reference into it).
double numericDerivative(const CopyTaskParams& p, const CopyTaskWeights& w, double& parameter, int first, int count) {
  const double h = 1e-6, keep = parameter;
  parameter = keep + h;
  const double up = copyTaskLoss(p, w, first, count);
  parameter = keep - h;
  const double down = copyTaskLoss(p, w, first, count);
  parameter = keep;
  return (up - down) / (2 * h);
}

TEST(CopyTask, GradientMatchesCentralDifferences) {
  for (const bool identity : {false, true})
    for (const auto& [first, count] : {std::pair{0, 5}, std::pair{5, 3}}) {
      const CopyTaskParams p = tiny(identity);
      CopyTaskWeights w = generic(p), g;
      copyTaskLoss(p, w, first, count, &g);
      double worst = 0.0;
      const auto check = [&](double& parameter, double analytic) {
        const double numeric = numericDerivative(p, w, parameter, first, count);
        worst = std::max(worst, std::abs(numeric - analytic) / (1e-6 + std::abs(numeric)));
      };
      for (Eigen::Index i = 0; i < w.embedding.size(); ++i) check(w.embedding.data()[i], g.embedding.data()[i]);
      for (std::size_t h = 0; h < w.value.size(); ++h)
        for (Eigen::Index i = 0; i < w.value[h].size(); ++i) {
          check(w.value[h].data()[i], g.value[h].data()[i]);
          check(w.output[h].data()[i], g.output[h].data()[i]);
        }
      for (std::size_t h = 0; h < w.b.size(); ++h) {
        if (identity) check(w.b[h], g.b[h]);
        else EXPECT_EQ(g.b[h], 0.0);  // b is not a parameter then
      }
      EXPECT_LT(worst, 1e-6) << "identity=" << identity << " first=" << first;
    }
}

TEST(CopyTask, MixingInLowRankEqualsTheDenseMatrix) {
  const CopyTaskParams p = tiny(true);
  const CopyTaskWeights w = generic(p);
  const Eigen::MatrixXd Y = w.embedding.transpose();
  EXPECT_LT((w.mix(Y) - w.mixing() * Y).norm(), 1e-13 * (w.mixing() * Y).norm());
}

TEST(CopyTask, LogitsNear700StayFinite) {
  const CopyTaskParams p = tiny(true);
  CopyTaskWeights w = generic(p);
  w.b = {350.0, 350.0};  // own logit ≈ 700·‖e‖², others far below: one-hot softmax
  w.embedding *= 1.0 / w.embedding.rowwise().norm().maxCoeff();
  CopyTaskWeights g;
  const double loss = copyTaskLoss(p, w, 0, 5, &g);
  EXPECT_TRUE(std::isfinite(loss));
  EXPECT_GE(loss, 0.0);
  EXPECT_TRUE(g.embedding.allFinite());
  w.b = {-350.0, -350.0};  // now the own logit is the smallest: a huge but finite loss
  EXPECT_TRUE(std::isfinite(copyTaskLoss(p, w, 0, 5)));
  EXPECT_GT(copyTaskLoss(p, w, 0, 5), 10.0);
}

CopyTaskRun trained(int embedding, bool identity) {
  CopyTaskParams p;
  p.trainTokens = 32;
  p.testTokens = 32;
  p.embedding = embedding;
  p.identityScalings = identity;
  p.steps = 150;
  return trainCopyTask(p);
}

TEST(CopyTask, WithoutBTheUnseenTokensAreNotLearnedAndWiderIsWorse) {
  const double logV = std::log(64.0);
  const CopyTaskRun narrow = trained(32, false), wide = trained(512, false);
  for (const CopyTaskRun* r : {&narrow, &wide}) {
    EXPECT_NEAR(r->trainLoss.front(), logV, 0.25);  // small random logits at the start
    EXPECT_LT(r->trainLoss.back(), 0.05 * logV);  // the training tokens are learned
    EXPECT_EQ(r->b.back(), 0.0);
  }
  EXPECT_GT(wide.testLoss.back(), 0.95 * logV);  // Thm 4.1: no progress on unseen tokens
  EXPECT_EQ(wide.testAccuracy.back(), 0.0);
  EXPECT_LT(narrow.testLoss.back(), wide.testLoss.back());  // the failure grows with d_emb
}

TEST(CopyTask, WithBTheUnseenTokensAreCopied) {
  const double logV = std::log(64.0);
  for (const int embedding : {32, 512}) {
    const CopyTaskRun r = trained(embedding, true);
    EXPECT_LT(r.testLoss.back(), 0.1 * logV) << embedding;  // Thm 4.2
    EXPECT_GT(r.testAccuracy.back(), 0.95) << embedding;
    EXPECT_GT(r.b.back(), 1.0) << embedding;  // learned by gradient descent from 0
  }
}

TEST(CopyTask, BadParamsAreNamedAndCancelStops) {
  CopyTaskParams p;
  p.embedding = 0;
  try {
    trainCopyTask(p);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().field, "copy.embedding");
  }
  Progress progress;
  progress.requestCancel();
  EXPECT_TRUE(trainCopyTask(CopyTaskParams{}, &progress).cancelled);
}

TEST(CopyTask, SweepRunsEveryWidthBothWaysAndTheFiguresHoldTheLosses) {
  CopyTaskParams p;
  p.trainTokens = 16;
  p.testTokens = 16;
  p.steps = 60;
  WorkerPool pool(2);
  Progress progress;
  const CopyTaskSweep sweep = sweepCopyTask(p, {16, 128}, pool, progress);
  ASSERT_FALSE(sweep.cancelled);
  EXPECT_EQ(sweep.vocabulary, 32);
  for (std::size_t i = 0; i < 2; ++i) {
    CopyTaskParams one = p;
    one.embedding = sweep.embeddings[i];
    EXPECT_EQ(sweep.plain[i].testLoss, trainCopyTask(one).testLoss);  // the pool changes nothing
    one.identityScalings = true;
    EXPECT_EQ(sweep.identity[i].testLoss, trainCopyTask(one).testLoss);
  }
  const Figure perStep = copyTaskFigure(sweep, Theme::Light), width = copyTaskWidthFigure(sweep, Theme::Light);
  EXPECT_TRUE(figureProblems(perStep).empty());
  EXPECT_TRUE(figureProblems(width).empty());
  const auto& plain = std::get<LineSeries>(width.series[0]);
  const auto& identity = std::get<LineSeries>(width.series[1]);
  EXPECT_EQ(plain.ys, (std::vector<double>{sweep.plain[0].testLoss.back(), sweep.plain[1].testLoss.back()}));
  EXPECT_EQ(identity.ys, (std::vector<double>{sweep.identity[0].testLoss.back(), sweep.identity[1].testLoss.back()}));
  EXPECT_EQ(std::get<LineSeries>(perStep.series[3]).ys, sweep.identity[1].testLoss);
  EXPECT_THROW(sweepCopyTask(p, {}, pool, progress), InputError);
}

}  // namespace
}  // namespace attnlab
