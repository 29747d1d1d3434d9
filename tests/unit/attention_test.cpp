// core/attention: every fast kernel against a plain O(L²) computation written here, the
// fitting gradients against central differences, FAVOR+ against its expectation.
// Sizes stay small: the whole file runs in a few seconds under AddressSanitizer.
#include <gtest/gtest.h>

#include <cmath>
#include <algorithm>
#include <limits>
#include <utility>
#include <vector>

#include "core/attention/attention_lab.hpp"
#include "core/attention/exact_attention.hpp"
#include "core/attention/favor.hpp"
#include "core/attention/feedforward_kernels.hpp"
#include "core/attention/linear_attention.hpp"
#include "core/attention/perturbed_head.hpp"
#include "core/errors.hpp"
#include "core/jobs/worker_pool.hpp"
#include "core/random.hpp"
#include "unit/attention_testing.hpp"

namespace attnlab {
namespace {

using Mat = RowMatrix<double>;

WorkerPool& pool() { return testing::attentionPool(); }
using testing::gaussian;
using testing::relativeError;

// The whole Lq×Lk score matrix, masked, max-shifted row by row: the definition.
Mat naiveSoftmaxAttention(const Mat& Q, const Mat& K, const Mat& V, double s, bool causal) {
  const CausalRule rule{Q.rows(), K.rows()};
  Mat out(Q.rows(), V.cols());
  for (Index i = 0; i < Q.rows(); ++i) {
    const Index keys = causal ? rule.keyEnd(i) : K.rows();
    Eigen::VectorXd scores(keys);
    for (Index j = 0; j < keys; ++j) scores[j] = s * Q.row(i).dot(K.row(j));
    const Eigen::VectorXd w = (scores.array() - scores.maxCoeff()).exp();
    out.row(i) = (w.transpose() * V.topRows(keys)) / w.sum();
  }
  return out;
}

// Kernelized attention from explicit features, every pair formed: Σ_j (φq_i·φk_j) v_j / Σ_j φq_i·φk_j.
Mat naiveLinearAttention(const Mat& phiQ, const Mat& phiK, const Mat& V, bool causal) {
  const CausalRule rule{phiQ.rows(), phiK.rows()};
  Mat out(phiQ.rows(), V.cols());
  for (Index i = 0; i < phiQ.rows(); ++i) {
    const Index keys = causal ? rule.keyEnd(i) : phiK.rows();
    Eigen::RowVectorXd num = Eigen::RowVectorXd::Zero(V.cols());
    double den = 0;
    for (Index j = 0; j < keys; ++j) {
      const double w = phiQ.row(i).dot(phiK.row(j));
      num += w * V.row(j);
      den += w;
    }
    out.row(i) = num / den;
  }
  return out;
}

Mat eluPlusOne(const Mat& X) {
  return X.unaryExpr([](double x) { return x > 0 ? x + 1 : std::exp(x); });
}

// Unstabilised FAVOR+ features exp(ω_r·√s x − s‖x‖²/2)/√m, straight from the definition.
Mat favorFeatures(const Eigen::MatrixXd& W, const Mat& X, double s) {
  Mat phi(X.rows(), W.rows());
  for (Index i = 0; i < X.rows(); ++i)
    for (Index r = 0; r < W.rows(); ++r)
      phi(i, r) = std::exp(std::sqrt(s) * W.row(r).dot(X.row(i)) - 0.5 * s * X.row(i).squaredNorm()) /
                  std::sqrt(double(W.rows()));
  return phi;
}

SoftmaxAttentionOptions exactOptions(double scale, bool causal, AttentionTiles tiles = {}) {
  SoftmaxAttentionOptions o;
  o.scale = scale;
  o.causal = causal;
  o.tiles = tiles;
  return o;
}

// ---------------------------------------------------------------- exact attention

struct ExactCase {
  Index Lq, Lk, d, dv;
  AttentionTiles tiles;
};

TEST(SoftmaxAttention, TiledEqualsNaiveInDouble) {
  const std::vector<ExactCase> cases = {
      {1, 1, 3, 2, {}},         {7, 7, 5, 3, {4, 3}},      {64, 64, 8, 8, {16, 16}},
      {100, 37, 6, 9, {16, 8}}, {37, 100, 6, 1, {8, 48}},  {511, 511, 16, 16, {64, 100}},
      {512, 512, 16, 8, {}},    {300, 512, 4, 4, {512, 7}}};
  for (const auto& c : cases)
    for (const bool causal : {false, true}) {
      if (causal && c.Lq > c.Lk) continue;
      const Mat Q = gaussian(c.Lq, c.d, 1), K = gaussian(c.Lk, c.d, 2), V = gaussian(c.Lk, c.dv, 3);
      const double s = 1.0 / std::sqrt(double(c.d));
      const Mat fast = softmaxAttention(Q, K, V, pool(), exactOptions(s, causal, c.tiles));
      const Mat slow = naiveSoftmaxAttention(Q, K, V, s, causal);
      EXPECT_LT(relativeError(fast, slow), 1e-12) << "Lq=" << c.Lq << " Lk=" << c.Lk << " causal=" << causal;
    }
}

TEST(SoftmaxAttention, FloatWithinOneInAHundredThousand) {
  for (const bool causal : {false, true}) {
    // Inputs rounded to float first, so both sides see the same numbers.
    const Mat Q = gaussian(200, 16, 4).cast<float>().cast<double>();
    const Mat K = gaussian(200, 16, 5).cast<float>().cast<double>();
    const Mat V = gaussian(200, 12, 6).cast<float>().cast<double>();
    const RowMatrix<float> fast = softmaxAttention<float>(Q.cast<float>(), K.cast<float>(), V.cast<float>(), pool(),
                                                          exactOptions(0.25, causal, {32, 48}));
    EXPECT_LT(relativeError(fast.cast<double>(), naiveSoftmaxAttention(Q, K, V, 0.25, causal)), 1e-5);
  }
}

TEST(SoftmaxAttention, HugeScoresStayFinite) {
  // |s·qᵀk| ≈ 740: exp overflows double without the running max; the softmax is one-hot.
  const Mat Q = gaussian(33, 4, 7, 14.0), K = gaussian(45, 4, 8, 14.0), V = gaussian(45, 3, 9);
  const Mat fast = softmaxAttention(Q, K, V, pool(), exactOptions(1.0, false, {8, 16}));
  ASSERT_TRUE(fast.allFinite());
  EXPECT_LT(relativeError(fast, naiveSoftmaxAttention(Q, K, V, 1.0, false)), 1e-12);
}

TEST(SoftmaxAttention, CausalFirstRowCopiesItsKeyWhenLengthsAreEqual) {
  const Mat Q = gaussian(9, 4, 10), K = gaussian(9, 4, 11), V = gaussian(9, 2, 12);
  const Mat out = softmaxAttention(Q, K, V, pool(), exactOptions(1.0, true, {4, 4}));
  EXPECT_LT((out.row(0) - V.row(0)).norm(), 1e-15);
}

TEST(SoftmaxAttention, SameBitsWhateverTheTiling) {
  // Different tilings reorder sums, so only closeness is expected between them; the same
  // tiling run twice (on any number of threads) must give identical bits.
  const Mat Q = gaussian(300, 8, 13), K = gaussian(300, 8, 14), V = gaussian(300, 8, 15);
  const Mat a = softmaxAttention(Q, K, V, pool(), exactOptions(0.3, false, {16, 64}));
  const Mat b = softmaxAttention(Q, K, V, pool(), exactOptions(0.3, false, {16, 64}));
  EXPECT_EQ((a - b).cwiseAbs().maxCoeff(), 0.0);
}

// ---------------------------------------------------------------- kernelized attention

TEST(LinearAttention, EluEqualsDirectForm) {
  for (const bool causal : {false, true})
    for (const Index Lq : {1, 63, 64, 65, 300}) {
      const Index Lk = causal ? Lq + 13 : 171;
      const Mat Q = gaussian(Lq, 6, 16), K = gaussian(Lk, 6, 17), V = gaussian(Lk, 5, 18);
      LinearAttentionOptions o;
      o.causal = causal;
      o.blockRows = 32;
      o.causalChunkRows = 16;
      const Mat fast = linearAttention(EluFeatures<double>(6), Q, K, V, pool(), o);
      const Mat slow = naiveLinearAttention(eluPlusOne(Q), eluPlusOne(K), V, causal);
      EXPECT_LT(relativeError(fast, slow), 1e-12) << "Lq=" << Lq << " causal=" << causal;
    }
}

TEST(LinearAttention, EluAcrossManySegmentsInFloat) {
  // More than one 1024-row segment, so the segment sums and their scan are exercised.
  const Mat Q = gaussian(2100, 4, 19).cast<float>().cast<double>();
  const Mat K = gaussian(2100, 4, 20).cast<float>().cast<double>();
  const Mat V = gaussian(2100, 3, 21).cast<float>().cast<double>();
  for (const bool causal : {false, true}) {
    LinearAttentionOptions o;
    o.causal = causal;
    const RowMatrix<float> fast =
        linearAttention(EluFeatures<float>(4), RowMatrix<float>(Q.cast<float>()), RowMatrix<float>(K.cast<float>()),
                        RowMatrix<float>(V.cast<float>()), pool(), o);
    EXPECT_LT(relativeError(fast.cast<double>(), naiveLinearAttention(eluPlusOne(Q), eluPlusOne(K), V, causal)),
              1e-5);
  }
}

TEST(LinearAttention, FavorStabilisedEqualsUnstabilisedFeatures) {
  // The query and key shifts must cancel exactly, causal prefix and segments included.
  const double s = 0.5;
  const Mat Q = gaussian(1100, 5, 22), K = gaussian(1150, 5, 23), V = gaussian(1150, 4, 24);
  const Eigen::MatrixXd W = favorProjection(24, 5, 7, true);
  for (const bool causal : {false, true}) {
    LinearAttentionOptions o;
    o.causal = causal;
    o.blockRows = 100;
    o.causalChunkRows = 48;
    const Mat fast = linearAttention(FavorFeatures<double>(W, s), Q, K, V, pool(), o);
    const Mat slow = naiveLinearAttention(favorFeatures(W, Q, s), favorFeatures(W, K, s), V, causal);
    EXPECT_LT(relativeError(fast, slow), 1e-10) << "causal=" << causal;
  }
}

TEST(LinearAttention, FavorKeysWithVeryDifferentNormsStayFinite) {
  // Key shifts differ by ~400 between blocks: without a running maximum, exp overflows or
  // the early blocks vanish; with it the result matches the log-domain definition.
  Mat K = gaussian(96, 3, 25);
  K.bottomRows(32) *= 30.0;
  const Mat Q = gaussian(96, 3, 26), V = gaussian(96, 2, 27);
  const Eigen::MatrixXd W = favorProjection(16, 3, 8, false);
  LinearAttentionOptions o;
  o.causal = true;
  o.causalChunkRows = 16;
  const Mat fast = linearAttention(FavorFeatures<double>(W, 1.0), Q, K, V, pool(), o);
  ASSERT_TRUE(fast.allFinite());
  // Reference: weights exp(ω_r·(q+k) − ‖k‖²/2) per pair, shifted by the row's largest.
  Mat slow(96, 2);
  for (Index i = 0; i < 96; ++i) {
    Eigen::VectorXd logw(16 * (i + 1));
    for (Index j = 0; j <= i; ++j)
      for (Index r = 0; r < 16; ++r)
        logw[j * 16 + r] = W.row(r).dot(Q.row(i) + K.row(j)) - 0.5 * K.row(j).squaredNorm();
    const Eigen::VectorXd w = (logw.array() - logw.maxCoeff()).exp();
    Eigen::RowVectorXd num = Eigen::RowVectorXd::Zero(2);
    for (Index j = 0; j <= i; ++j) num += w.segment(j * 16, 16).sum() * V.row(j);
    slow.row(i) = num / w.sum();
  }
  EXPECT_LT(relativeError(fast, slow), 1e-10);
}

// ---------------------------------------------------------------- FAVOR+

TEST(Favor, UnbiasedForTheSoftmaxKernel) {
  const Eigen::VectorXd q = gaussian(1, 6, 28, 0.4).row(0).transpose();
  const Eigen::VectorXd k = gaussian(1, 6, 29, 0.4).row(0).transpose();
  const double s = 0.8, truth = std::exp(s * q.dot(k));
  for (const bool orthogonal : {false, true}) {
    const int seeds = 2000;
    double sum = 0, sum2 = 0;
    for (int seed = 0; seed < seeds; ++seed) {
      const double e = favorKernelEstimate(favorProjection(8, 6, std::uint64_t(seed), orthogonal), q, k, s);
      sum += e;
      sum2 += e * e;
    }
    const double mean = sum / seeds, sd = std::sqrt((sum2 - seeds * mean * mean) / (seeds - 1));
    // 4 standard errors: a false alarm once in ~16000 runs (the seeds are fixed anyway).
    EXPECT_LT(std::abs(mean - truth), 4 * sd / std::sqrt(double(seeds)))
        << "orthogonal=" << orthogonal << " mean " << mean << " truth " << truth;
  }
}

TEST(Favor, ErrorFallsLikeOneOverRootM) {
  // Small ‖x‖: the features' variance grows like exp(‖√s(q + k)‖²), and with large norms
  // m = 1024 is not yet in the 1/√m regime (slope ≈ −0.35 at entries of size 0.7).
  const Mat Q = gaussian(48, 4, 30, 0.3), K = gaussian(48, 4, 31, 0.3), V = gaussian(48, 3, 32);
  const double s = 1.0;
  const Mat exact = naiveSoftmaxAttention(Q, K, V, s, false);
  std::vector<double> logM, logErr;
  for (Index m = 16; m <= 1024; m *= 2) {
    double err = 0;
    const int seeds = 12;
    for (int seed = 0; seed < seeds; ++seed) {
      const FavorFeatures<double> map(favorProjection(m, 4, std::uint64_t(1000 * m + seed), false), s);
      err += relativeError(linearAttention(map, Q, K, V, pool()), exact) / seeds;
    }
    logM.push_back(std::log(double(m)));
    logErr.push_back(std::log(err));
  }
  // Least-squares slope of log error against log m.
  const Eigen::Map<const Eigen::VectorXd> x(logM.data(), Index(logM.size())), y(logErr.data(), Index(logErr.size()));
  const double slope = ((x.array() - x.mean()) * (y.array() - y.mean())).sum() / (x.array() - x.mean()).square().sum();
  EXPECT_NEAR(slope, -0.5, 0.15);
}

TEST(Favor, OrthogonalBlocksAreOrthogonalAndSeeded) {
  const Eigen::MatrixXd W = favorProjection(10, 4, 3, true);
  for (Index r0 : {0, 4})  // two full blocks of d = 4 rows; rows 8, 9 start a third
    for (Index a = r0; a < r0 + 4; ++a)
      for (Index b = a + 1; b < r0 + 4; ++b) EXPECT_NEAR(W.row(a).dot(W.row(b)), 0.0, 1e-12);
  EXPECT_EQ((W - favorProjection(10, 4, 3, true)).norm(), 0.0);
  EXPECT_GT((W - favorProjection(10, 4, 4, true)).norm(), 0.1);
}

// ---------------------------------------------------------------- feedforward kernels (004)

FeedforwardBatch smallBatch(std::uint64_t seed) {
  return makeFeedforwardBatch(gaussian(4, 3, seed), gaussian(6, 3, seed + 1), gaussian(6, 2, seed + 2), 0.7);
}

TEST(FeedforwardKernels, GradientMatchesCentralDifferences) {
  for (const FeedforwardKind kind : {FeedforwardKind::Softplus, FeedforwardKind::Glu, FeedforwardKind::Aoglu}) {
    FeedforwardParams p = initialFeedforwardParams(kind, 3, 8, 5);
    // Move off the orthogonal start so the penalty's gradient is not zero.
    Eigen::VectorXd theta = p.flatten() + 0.3 * gaussian(p.flatten().size(), 1, 6).col(0);
    p.unflatten(theta);
    const FeedforwardBatch batch = smallBatch(40);
    Eigen::VectorXd g;
    feedforwardLoss(p, batch, 0.1, &g);
    Eigen::VectorXd fd(theta.size());
    const double h = 1e-6;
    for (Index i = 0; i < theta.size(); ++i) {
      FeedforwardParams plus = p, minus = p;
      Eigen::VectorXd t = theta;
      t[i] += h;
      plus.unflatten(t);
      t[i] -= 2 * h;
      minus.unflatten(t);
      fd[i] = (feedforwardLoss(plus, batch, 0.1) - feedforwardLoss(minus, batch, 0.1)) / (2 * h);
    }
    EXPECT_LT((g - fd).norm(), 1e-6 * (1 + fd.norm())) << "kind " << int(kind);
  }
}

TEST(FeedforwardKernels, OrthogonalInitialisation) {
  const FeedforwardParams wide = initialFeedforwardParams(FeedforwardKind::Aoglu, 4, 16, 1);
  EXPECT_LT((wide.Wf * wide.Wf.transpose() - Eigen::MatrixXd::Identity(4, 4)).norm(), 1e-12);
  EXPECT_EQ(wide.U.cols(), aogluRank(4, 16));
  EXPECT_EQ(wide.V.rows(), 1);
  const FeedforwardParams tall = initialFeedforwardParams(FeedforwardKind::Glu, 16, 4, 1);
  EXPECT_LT((tall.Wf.transpose() * tall.Wf - Eigen::MatrixXd::Identity(4, 4)).norm(), 1e-12);
}

TEST(FeedforwardKernels, FeaturesMatchTheirDefinition) {
  const FeedforwardParams p = initialFeedforwardParams(FeedforwardKind::Aoglu, 5, 12, 2);
  const Mat X = gaussian(7, 5, 3);
  RowMatrix<double> phi;
  FeedforwardFeatures<double>(p).queries(X, phi);
  const Eigen::MatrixXd F = X * p.Wf, G = X * p.U * p.V;
  for (Index i = 0; i < 7; ++i)
    for (Index r = 0; r < 12; ++r)
      EXPECT_NEAR(phi(i, r), std::log1p(std::exp(F(i, r))) / (1 + std::exp(-G(i, r))), 1e-14);
}

TEST(FeedforwardKernels, TrainingReducesTheErrorAgainstSoftmax) {
  const Mat Q = gaussian(96, 8, 33), K = gaussian(96, 8, 34), V = gaussian(96, 4, 35);
  const double s = 1.0 / std::sqrt(8.0);
  const Mat exact = naiveSoftmaxAttention(Q, K, V, s, false);
  for (const FeedforwardKind kind : {FeedforwardKind::Softplus, FeedforwardKind::Glu, FeedforwardKind::Aoglu}) {
    FeedforwardTraining t;
    t.steps = 150;
    t.queryBatch = 32;
    t.keyBatch = 64;
    t.seed = 9;
    const FeedforwardFit fit = fitFeedforwardMap(kind, 16, Q, K, V, s, t);
    const double before =
        relativeError(linearAttention(FeedforwardFeatures<double>(initialFeedforwardParams(kind, 8, 16, 9)), Q, K, V, pool()), exact);
    const double after = relativeError(linearAttention(FeedforwardFeatures<double>(fit.params), Q, K, V, pool()), exact);
    EXPECT_EQ(fit.steps, 150);
    EXPECT_LT(fit.finalLoss, fit.initialLoss);
    EXPECT_LT(after, 0.8 * before) << "kind " << int(kind) << ": " << before << " -> " << after;
  }
}

TEST(FeedforwardKernels, FitIsDeterministic) {
  const Mat Q = gaussian(40, 4, 36), K = gaussian(40, 4, 37), V = gaussian(40, 2, 38);
  FeedforwardTraining t;
  t.steps = 20;
  t.queryBatch = 16;
  t.keyBatch = 16;
  const FeedforwardFit a = fitFeedforwardMap(FeedforwardKind::Glu, 8, Q, K, V, 0.5, t);
  const FeedforwardFit b = fitFeedforwardMap(FeedforwardKind::Glu, 8, Q, K, V, 0.5, t);
  EXPECT_EQ((a.params.flatten() - b.params.flatten()).norm(), 0.0);
}

// ---------------------------------------------------------------- identity-perturbed heads (001)

TEST(PerturbedHead, EqualsTheLiteralFormula) {
  PerturbedHead head;
  head.WK = gaussian(6, 3, 39);
  head.WQ = gaussian(6, 3, 40);
  head.WV = gaussian(6, 2, 41);
  head.WO = gaussian(6, 2, 42);
  head.a = 0.7;
  head.b = -0.4;
  head.scale = 0.5;
  const Mat X = gaussian(9, 6, 43);
  const Eigen::MatrixXd I = Eigen::MatrixXd::Identity(6, 6);
  const Eigen::MatrixXd scores = head.scale * X * (head.WK * head.WQ.transpose() + head.a * I) * X.transpose();
  Eigen::MatrixXd A = (scores.colwise() - scores.rowwise().maxCoeff()).array().exp();
  A.array().colwise() /= A.rowwise().sum().array();
  const Eigen::MatrixXd literal = A * X * (head.WV * head.WO.transpose() + head.b * I);
  EXPECT_LT((perturbedHead(head, X, pool()) - literal).norm() / literal.norm(), 1e-13);
}

TEST(PerturbedHead, ZeroWeightsWithBOneCopyTheAttendedTokens) {
  // W = 0, a = 0: uniform attention; b = 1: the values are X itself, so every row is X's mean.
  PerturbedHead head;
  head.WK = head.WQ = head.WV = head.WO = Eigen::MatrixXd::Zero(4, 2);
  head.b = 1.0;
  const Mat X = gaussian(5, 4, 44);
  const Mat out = perturbedHead(head, X, pool());
  for (Index i = 0; i < 5; ++i) EXPECT_LT((out.row(i) - X.colwise().mean()).norm(), 1e-14);
}

// ---------------------------------------------------------------- the lab (CLI's compute function)

AttentionInput smallInput(Index Lq, Index Lk, Index d, Index dv) {
  return {gaussian(Lq, d, 45), gaussian(Lk, d, 46), gaussian(Lk, dv, 47)};
}

TEST(AttentionLab, EveryKernelRunsAndReportsItsError) {
  const AttentionInput in = smallInput(40, 40, 6, 3);
  for (const AttentionKernel kernel : {AttentionKernel::Softmax, AttentionKernel::Elu, AttentionKernel::Favor,
                                       AttentionKernel::Softplus, AttentionKernel::Glu, AttentionKernel::Aoglu})
    for (const AttentionDtype dtype : {AttentionDtype::Float64, AttentionDtype::Float32}) {
      AttentionParams p;
      p.kernel = kernel;
      p.dtype = dtype;
      p.features = 16;
      p.scale = 0.4;
      p.training.steps = 5;
      Progress progress;
      const AttentionResult r = runAttention(p, in, pool(), progress);
      EXPECT_EQ(r.status, Status::Success);
      EXPECT_EQ(r.out.rows(), 40);
      EXPECT_EQ(r.out.cols(), 3);
      EXPECT_EQ(r.errorVsSoftmax.has_value(), isApproximate(kernel));
      EXPECT_EQ(r.fit.has_value(), usesFeatures(kernel) && kernel != AttentionKernel::Favor);
      if (r.errorVsSoftmax) {
        EXPECT_TRUE(std::isfinite(*r.errorVsSoftmax));
        EXPECT_LT(*r.errorVsSoftmax, 2.0);
      }
    }
}

// Causal attention computed by the fast paths (tiles that stop at the diagonal, prefix sums
// of features) against the definition: query i attends, unmasked, to the keys it may see
// and no others — the same query run non-causally over the first keyEnd(i) keys only.
TEST(AttentionLab, CausalEqualsMasked) {
  const std::pair<Index, Index> shapes[] = {{70, 70}, {33, 90}};  // Lq = Lk, and queries at the end
  for (const auto& [Lq, Lk] : shapes)
    // favor's map depends on the seed only; the fitted maps, fitted to their data, follow.
    for (const AttentionKernel kernel : {AttentionKernel::Softmax, AttentionKernel::Elu, AttentionKernel::Favor})
      for (const AttentionDtype dtype : {AttentionDtype::Float64, AttentionDtype::Float32}) {
        const AttentionInput in = smallInput(Lq, Lk, 5, 3);
        AttentionParams p;
        p.kernel = kernel;
        p.dtype = dtype;
        p.features = 12;
        p.scale = 0.5;
        p.compareWithSoftmax = false;
        p.causal = true;
        p.tiles = {8, 16};  // the diagonal crosses many tiles
        Progress progress;
        const Mat causal = runAttention(p, in, pool(), progress).out;
        p.causal = false;
        const CausalRule rule{Lq, Lk};
        double worst = 0;
        for (Index i = 0; i < Lq; i += 4) {
          const Index keys = rule.keyEnd(i);
          const AttentionInput masked{in.Q.row(i), in.K.topRows(keys), in.V.topRows(keys)};
          const Mat row = runAttention(p, masked, pool(), progress).out;
          worst = std::max(worst, (causal.row(i) - row).norm() / row.norm());
        }
        EXPECT_LT(worst, dtype == AttentionDtype::Float64 ? 1e-12 : 1e-5)
            << attentionKernelName(kernel) << " Lq=" << Lq << " Lk=" << Lk;
      }
}

// The fitted maps depend on the data they are fitted to, so for them causal-equals-masked
// holds the map fixed: prefix sums against the explicit masked weight matrix.
TEST(AttentionLab, CausalPrefixSumsEqualTheMaskedWeightMatrix) {
  const AttentionInput in = smallInput(50, 64, 6, 4);
  AttentionParams p;
  p.kernel = AttentionKernel::Glu;
  p.features = 10;
  p.training.steps = 3;
  const auto map = makeFeatureMap<double>(p, in.Q, in.K, in.V);
  LinearAttentionOptions o;
  o.causal = true;
  o.causalChunkRows = 7;
  const Mat fast = linearAttention(*map, in.Q, in.K, in.V, pool(), o);
  // φ(Q)φ(K)ᵀ with the future set to zero, rows normalised: the masked matrix itself.
  Mat phiQ, phiK;
  map->queries(in.Q, phiQ);
  map->keys(in.K, phiK);
  Mat W = phiQ * phiK.transpose();
  const CausalRule rule{50, 64};
  for (Index i = 0; i < W.rows(); ++i) {
    W.row(i).tail(W.cols() - rule.keyEnd(i)).setZero();
    W.row(i) /= W.row(i).sum();
  }
  EXPECT_LT(relativeError(fast, W * in.V), 1e-12);
}

TEST(AttentionLab, Float32ComputesInFloat) {
  const AttentionInput in = smallInput(30, 30, 4, 2);
  AttentionParams p;
  Progress progress;
  const Mat f64 = runAttention(p, in, pool(), progress).out;
  p.dtype = AttentionDtype::Float32;
  const Mat f32 = runAttention(p, in, pool(), progress).out;
  const double err = relativeError(f32, f64);
  EXPECT_GT(err, 0.0);  // float rounding happened
  EXPECT_LT(err, 1e-5);
  for (Index i = 0; i < f32.rows(); ++i)
    for (Index j = 0; j < f32.cols(); ++j) EXPECT_EQ(f32(i, j), double(float(f32(i, j))));
}

TEST(AttentionLab, SeedChoosesFavorFeatures) {
  const AttentionInput in = smallInput(20, 20, 4, 2);
  AttentionParams p;
  p.kernel = AttentionKernel::Favor;
  p.features = 8;
  Progress progress;
  const Mat a = runAttention(p, in, pool(), progress).out, b = runAttention(p, in, pool(), progress).out;
  p.seed = 1;
  const Mat c = runAttention(p, in, pool(), progress).out;
  EXPECT_EQ((a - b).norm(), 0.0);
  EXPECT_GT((a - c).norm(), 0.0);
}

void expectInputError(const AttentionParams& p, const AttentionInput& in, const std::string& field) {
  try {
    validateAttention(p, in);
    ADD_FAILURE() << "accepted bad input (field " << field << ")";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().field, field) << e.what();
  }
}

TEST(AttentionLab, RejectsBadInput) {
  const AttentionParams ok;
  AttentionInput in = smallInput(5, 6, 3, 2);
  EXPECT_NO_THROW(validateAttention(ok, in));
  expectInputError(ok, {in.Q, gaussian(6, 4, 1), in.V}, "K");
  expectInputError(ok, {in.Q, in.K, gaussian(5, 2, 1)}, "V");
  expectInputError(ok, {Mat(0, 3), in.K, in.V}, "Q");
  Mat nan = in.K;
  nan(2, 1) = std::numeric_limits<double>::quiet_NaN();
  try {
    validateAttention(ok, {in.Q, nan, in.V});
    ADD_FAILURE();
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().row, 2);
    EXPECT_EQ(e.where().column, 1);
  }
  AttentionParams p;
  p.features = 0;
  p.kernel = AttentionKernel::Favor;
  expectInputError(p, in, "features");
  p.features = 4;
  p.scale = -1;
  expectInputError(p, in, "scale");
  p = ok;
  p.causal = true;
  expectInputError(p, {in.K, in.Q.topRows(4), in.V.topRows(4)}, "causal");  // Lq = 6 > Lk = 4
  p = ok;
  p.dtype = AttentionDtype::Float32;
  Mat big = in.V;
  big(0, 0) = 1e300;
  expectInputError(p, {in.Q, in.K, big}, "V");
  p = ok;
  p.kernel = AttentionKernel::Softplus;
  p.features = Index(1) << 40;
  expectInputError(p, in, "features");
}

TEST(AttentionLab, OverflowIsReportedNotPrinted) {
  // Scores ~1e40 fit a double but not a float: float32 refuses them, float64 computes.
  AttentionInput in = smallInput(4, 4, 2, 2);
  in.Q *= 1e20;
  in.K *= 1e20;
  AttentionParams p;
  Progress progress;
  EXPECT_TRUE(runAttention(p, in, pool(), progress).out.allFinite());
  p.dtype = AttentionDtype::Float32;
  EXPECT_THROW(runAttention(p, in, pool(), progress), InputError);
  in.Q *= 1e150;
  in.K *= 1e150;
  p.dtype = AttentionDtype::Float64;
  EXPECT_THROW(runAttention(p, in, pool(), progress), OverflowError);
}

TEST(AttentionLab, HonoursCancel) {
  AttentionParams p;
  Progress progress;
  progress.requestCancel();
  EXPECT_EQ(runAttention(p, smallInput(300, 300, 4, 4), pool(), progress).status, Status::Cancelled);
}

TEST(AttentionLab, KernelAndDtypeNames) {
  for (const char* name : {"softmax", "elu", "favor", "softplus", "glu", "aoglu"})
    EXPECT_EQ(attentionKernelName(*parseAttentionKernel(name)), name);
  EXPECT_FALSE(parseAttentionKernel("linear").has_value());
  EXPECT_EQ(parseAttentionDtype("float32"), AttentionDtype::Float32);
  EXPECT_FALSE(parseAttentionDtype("float16").has_value());
}

}  // namespace
}  // namespace attnlab
