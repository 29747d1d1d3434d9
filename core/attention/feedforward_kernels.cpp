#include "core/attention/feedforward_kernels.hpp"

#include <cmath>
#include <numeric>
#include <vector>

#include "core/random.hpp"

namespace attnlab {
namespace {

using Eigen::MatrixXd;
using Eigen::VectorXd;

// Softplus(x) = log(1 + eˣ) without overflow: max(x, 0) + log1p(e^(−|x|)).
template <class In, class Out>
void softplus(const In& x, Out& y) {
  y = x.max(0) + (-x.abs()).exp().log1p();
}

// Haar-random rows×cols matrix with orthonormal rows (rows ≤ cols) or columns.
MatrixXd orthonormal(Index rows, Index cols, Random& rng) {
  const Index big = std::max(rows, cols), small = std::min(rows, cols);
  MatrixXd G(big, small);
  for (Index i = 0; i < big; ++i)
    for (Index j = 0; j < small; ++j) G(i, j) = rng.normal();
  const Eigen::HouseholderQR<MatrixXd> qr(G);
  MatrixXd Q = qr.householderQ() * MatrixXd::Identity(big, small);
  for (Index j = 0; j < small; ++j)
    if (qr.matrixQR()(j, j) < 0) Q.col(j) = -Q.col(j);
  return rows <= cols ? MatrixXd(Q.transpose()) : Q;
}

// Pre-activations and features of one set of rows, kept for the backward pass.
struct MapForward {
  Eigen::ArrayXXd F, softF, G, XU;  // X W_f, Softplus(X W_f), gate pre-activation, X U
  MatrixXd phi;
};

void forward(const FeedforwardParams& p, const MatrixXd& X, MapForward& f) {
  f.F = (X * p.Wf).array();
  softplus(f.F, f.softF);
  if (p.kind == FeedforwardKind::Softplus) {
    f.phi = f.softF.matrix();
    return;
  }
  if (p.kind == FeedforwardKind::Glu) {
    f.G = (X * p.Wg).array();
  } else {
    f.XU = (X * p.U).array();
    f.G = (f.XU.matrix() * p.V).array();
  }
  f.phi = (f.softF * f.G.logistic()).matrix();
}

FeedforwardParams zerosLike(const FeedforwardParams& p) {
  FeedforwardParams g;
  g.kind = p.kind;
  g.Wf = MatrixXd::Zero(p.Wf.rows(), p.Wf.cols());
  g.Wg = MatrixXd::Zero(p.Wg.rows(), p.Wg.cols());
  g.U = MatrixXd::Zero(p.U.rows(), p.U.cols());
  g.V = MatrixXd::Zero(p.V.rows(), p.V.cols());
  return g;
}

// Adds ∂ℓ/∂params given dphi = ∂ℓ/∂φ(X). Softplus' = σ; σ' = σ(1 − σ).
void backward(const FeedforwardParams& p, const MatrixXd& X, const MapForward& f, const MatrixXd& dphi,
              FeedforwardParams& g) {
  const Eigen::ArrayXXd sigmaF = f.F.logistic();
  if (p.kind == FeedforwardKind::Softplus) {
    g.Wf.noalias() += X.transpose() * (dphi.array() * sigmaF).matrix();
    return;
  }
  const Eigen::ArrayXXd sigmaG = f.G.logistic();
  g.Wf.noalias() += X.transpose() * (dphi.array() * sigmaG * sigmaF).matrix();
  const MatrixXd dG = (dphi.array() * f.softF * sigmaG * (1 - sigmaG)).matrix();
  if (p.kind == FeedforwardKind::Glu) {
    g.Wg.noalias() += X.transpose() * dG;
  } else {
    g.V.noalias() += f.XU.matrix().transpose() * dG;
    g.U.noalias() += X.transpose() * (dG * p.V.transpose());
  }
}

// Orthogonality of W's directions, whatever its scale: with G the smaller Gram matrix
// (W Wᵀ or WᵀW, n×n) and c = tr(G)/n, P = ‖G/c − I‖²_F. The paper's transformer can rescale
// q and k through W_Q, W_K; here the inputs are given, so the map must keep its scale (the
// kernel's temperature) free. ∂P/∂G = H = 2E/c − (2/(n c²))⟨E, G⟩ I with E = G/c − I, and
// ∂P/∂W = 2 H W (or 2 W H).
double orthogonalityPenalty(const MatrixXd& W, MatrixXd* gradient) {
  const bool rows = W.rows() <= W.cols();
  const MatrixXd G = rows ? MatrixXd(W * W.transpose()) : MatrixXd(W.transpose() * W);
  const double n = double(G.rows()), c = G.trace() / n;
  const MatrixXd E = G / c - MatrixXd::Identity(G.rows(), G.cols());
  if (gradient) {
    MatrixXd H = (2 / c) * E;
    H.diagonal().array() -= 2 / (n * c * c) * (E.cwiseProduct(G)).sum();
    *gradient = rows ? MatrixXd(2 * H * W) : MatrixXd(2 * W * H);
  }
  return E.squaredNorm();
}

// Row-wise softmax(s·QKᵀ)V, max-shifted; a batch is small, so directly.
MatrixXd exactAttention(const MatrixXd& Q, const MatrixXd& K, const MatrixXd& V, double scale) {
  MatrixXd P = scale * Q * K.transpose();
  P = (P.colwise() - P.rowwise().maxCoeff()).array().exp();
  P.array().colwise() /= P.rowwise().sum().array();
  return P * V;
}

// Draws n of the rows [0, L) without replacement (all of them, in order, when n ≥ L):
// a partial Fisher–Yates shuffle of a permutation kept between draws.
class RowSampler {
 public:
  RowSampler(Index rows, Index n) : perm_(rows), n_(std::min(n, rows)) {
    std::iota(perm_.begin(), perm_.end(), Index(0));
  }
  std::vector<Index> draw(Random& rng) {
    const Index L = Index(perm_.size());
    if (n_ < L)
      for (Index i = 0; i < n_; ++i) std::swap(perm_[i], perm_[i + Index(rng.below(std::uint64_t(L - i)))]);
    return {perm_.begin(), perm_.begin() + n_};
  }

 private:
  std::vector<Index> perm_;
  Index n_;
};

MatrixXd gather(const RowMatrix<double>& X, const std::vector<Index>& rows) {
  MatrixXd out(Index(rows.size()), X.cols());
  for (std::size_t i = 0; i < rows.size(); ++i) out.row(Index(i)) = X.row(rows[i]);
  return out;
}

// Adam (Kingma & Ba 2015) with bias correction.
class Adam {
 public:
  Adam(Index n, double lr) : m_(VectorXd::Zero(n)), v_(VectorXd::Zero(n)), lr_(lr) {}
  void step(VectorXd& theta, const VectorXd& g) {
    constexpr double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
    ++t_;
    m_ = beta1 * m_ + (1 - beta1) * g;
    v_ = beta2 * v_ + (1 - beta2) * g.cwiseAbs2();
    const double c1 = 1 - std::pow(beta1, t_), c2 = 1 - std::pow(beta2, t_);
    theta.array() -= lr_ * (m_.array() / c1) / ((v_.array() / c2).sqrt() + eps);
  }

 private:
  VectorXd m_, v_;
  double lr_;
  int t_ = 0;
};

}  // namespace

Index aogluRank(Index d, Index m) { return std::max<Index>(1, std::min(d, m) / 4); }

Eigen::VectorXd FeedforwardParams::flatten() const {
  VectorXd theta(Wf.size() + Wg.size() + U.size() + V.size());
  Index at = 0;
  for (const MatrixXd* w : {&Wf, &Wg, &U, &V}) {
    theta.segment(at, w->size()) = w->reshaped();
    at += w->size();
  }
  return theta;
}

void FeedforwardParams::unflatten(const Eigen::VectorXd& theta) {
  Index at = 0;
  for (MatrixXd* w : {&Wf, &Wg, &U, &V}) {
    w->reshaped() = theta.segment(at, w->size());
    at += w->size();
  }
}

FeedforwardParams initialFeedforwardParams(FeedforwardKind kind, Index d, Index m, std::uint64_t seed) {
  Random rng(seed);
  FeedforwardParams p;
  p.kind = kind;
  p.Wf = orthonormal(d, m, rng);
  if (kind == FeedforwardKind::Glu) p.Wg = orthonormal(d, m, rng);
  if (kind == FeedforwardKind::Aoglu) {
    const Index r = aogluRank(d, m);
    p.U = orthonormal(d, r, rng);
    p.V = orthonormal(r, m, rng);
  }
  return p;
}

FeedforwardBatch makeFeedforwardBatch(MatrixXd Q, MatrixXd K, MatrixXd V, double scale) {
  MatrixXd target = exactAttention(Q, K, V, scale);
  return {std::move(Q), std::move(K), std::move(V), std::move(target)};
}

double feedforwardLoss(const FeedforwardParams& p, const FeedforwardBatch& b, double orthogonality,
                       Eigen::VectorXd* gradient) {
  MapForward fq, fk;
  forward(p, b.Q, fq);
  forward(p, b.K, fk);
  const MatrixXd KV = fk.phi.transpose() * b.V;                // Σ_j φ(k_j) v_jᵀ
  const VectorXd ks = fk.phi.colwise().sum().transpose();      // Σ_j φ(k_j)
  const VectorXd den = fq.phi * ks;
  const MatrixXd out = (fq.phi * KV).array().colwise() / den.array();
  const double targetNorm2 = b.target.squaredNorm();
  const MatrixXd residual = out - b.target;
  MatrixXd penaltyGradient;
  const double loss = residual.squaredNorm() / targetNorm2 +
                      orthogonality * orthogonalityPenalty(p.Wf, gradient ? &penaltyGradient : nullptr);
  if (!gradient) return loss;

  // out = N / den row-wise, N = φ(Q) KV, den = φ(Q) ks.
  const MatrixXd dOut = (2 / targetNorm2) * residual;
  const MatrixXd dN = dOut.array().colwise() / den.array();
  const VectorXd dDen = -(dOut.cwiseProduct(out)).rowwise().sum().cwiseQuotient(den);
  const MatrixXd dPhiQ = dN * KV.transpose() + dDen * ks.transpose();
  const MatrixXd dKV = fq.phi.transpose() * dN;
  const VectorXd dKs = fq.phi.transpose() * dDen;
  MatrixXd dPhiK = b.V * dKV.transpose();
  dPhiK.rowwise() += dKs.transpose();
  FeedforwardParams g = zerosLike(p);
  backward(p, b.Q, fq, dPhiQ, g);
  backward(p, b.K, fk, dPhiK, g);
  g.Wf += orthogonality * penaltyGradient;
  *gradient = g.flatten();
  return loss;
}

FeedforwardFit fitFeedforwardMap(FeedforwardKind kind, Index m, const RowMatrix<double>& Q,
                                 const RowMatrix<double>& K, const RowMatrix<double>& V, double scale,
                                 const FeedforwardTraining& training, Progress* progress) {
  FeedforwardFit fit;
  fit.params = initialFeedforwardParams(kind, Q.cols(), m, training.seed);
  // A separate stream for the batches, so the initialisation does not depend on them.
  Random rng(training.seed ^ 0x5bd1e995a5a5a5a5ULL);
  RowSampler queries(Q.rows(), training.queryBatch), keys(K.rows(), training.keyBatch);
  auto draw = [&] {
    const std::vector<Index> k = keys.draw(rng);
    return makeFeedforwardBatch(gather(Q, queries.draw(rng)), gather(K, k), gather(V, k), scale);
  };
  const FeedforwardBatch evaluation = draw();
  fit.initialLoss = feedforwardLoss(fit.params, evaluation, training.orthogonality);
  VectorXd theta = fit.params.flatten(), gradient;
  Adam adam(theta.size(), training.learningRate);
  for (int t = 0; t < training.steps; ++t) {
    if (progress && progress->cancelled()) {
      fit.cancelled = true;
      break;
    }
    feedforwardLoss(fit.params, draw(), training.orthogonality, &gradient);
    adam.step(theta, gradient);
    fit.params.unflatten(theta);
    fit.steps = t + 1;
    if (progress) progress->setFraction(double(t + 1) / training.steps);
  }
  fit.finalLoss = feedforwardLoss(fit.params, evaluation, training.orthogonality);
  return fit;
}

template <class T>
FeedforwardFeatures<T>::FeedforwardFeatures(const FeedforwardParams& p)
    : kind_(p.kind), Wf_(p.Wf.cast<T>()), Wg_(p.Wg.cast<T>()), U_(p.U.cast<T>()), V_(p.V.cast<T>()) {}

template <class T>
void FeedforwardFeatures<T>::apply(const ConstRowsRef<T>& X, RowMatrix<T>& phi) const {
  RowMatrix<T> F = X * Wf_;
  phi.resize(F.rows(), F.cols());
  auto out = phi.array();
  softplus(F.array(), out);
  if (kind_ == FeedforwardKind::Softplus) return;
  // The gate: σ(X W_g), with AOGLU's W_g = U V applied as (X U) V — r(d + m) per row, not d·m.
  if (kind_ == FeedforwardKind::Glu)
    F.noalias() = X * Wg_;
  else
    F.noalias() = (X * U_) * V_;
  phi.array() *= F.array().logistic();
}

template class FeedforwardFeatures<float>;
template class FeedforwardFeatures<double>;

}  // namespace attnlab
