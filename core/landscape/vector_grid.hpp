// The loss of a vector kind on a grid of a plane (internal to core/landscape).
//
// After one O(nd) pass, a = A·x0, p = A·u, q = A·v, a grid point's logits are z = a + s·p + t·q,
// so a point costs O(n) (architecture.md, Numerics). The separable form does those O(n) per point
// as matrix products (landscape_numpy.py's `separable`, the peer to beat):
//     exp(z_k − m_i − M_j) = exp(a_k + s_i·p_k − m_i) · exp(t_j·q_k − M_j),
// m_i, M_j the maxima over k of the two exponents, so on the whole grid
//     α = Σ_k e^{z_k}, S_b = Σ_k b_k e^{z_k}, S₂ = Σ_k e^{2z_k}   (each times e^{−(m_i+M_j)})
// are three N×n by n×N products, computed here by one register-tiled kernel that reads the
// packed exponentials once for all three. Linear, ridge, ⟨b, z⟩ and ‖diag(w)z‖² terms are
// quadratics in (s, t). Per kind the point's loss follows from (α, S_b, S₂, m_i + M_j):
//     softmax ½S₂/α² − S_b/α + ½‖b‖²;  rescaled ½e^{2σ}(S₂ − 2αS_b + α²‖b‖²);
//     exp ½(e^{2σ}S₂ − 2e^σS_b + ‖b‖²);  cross entropy (Σb)(σ + log α) − ⟨b, z⟩.
// Two kinds of point are recomputed exactly from z (O(n) each, in parallel): those whose shifted
// sums underflow (α ≤ 1e−150 or S₂ ≤ 1e−290: the maxima of the two factors sit at different k,
// which happens for |Ax| in the hundreds), and those where the expanded form's rounding bound —
// 2(n+16)ε times the magnitudes of the terms that cancel — exceeds 1e−10·max|L| (a plane
// near the minimum of a loss that is small against ‖b‖²). Hence max|ΔL| ≤ 1e−9·max|L| against
// Loss::value, with no plot-scale caveat.
#pragma once
#include <Eigen/Dense>

#include "core/jobs/progress.hpp"
#include "core/jobs/worker_pool.hpp"
#include "core/landscape/grid.hpp"
#include "core/landscape/plane.hpp"
#include "core/regression/problem.hpp"
#include "core/status.hpp"

namespace attnlab::detail {

struct VectorGridStats {
  Eigen::Index recomputed = 0;  // points evaluated exactly instead of by the separable form
};

// loss(j, i) = L(x0 + s_i·u + t_j·v) for a vector kind, parallel over the pool and cancellable
// (Status::Cancelled leaves loss unspecified). Throws OverflowError naming the grid point when
// a loss does not fit in a double.
Status vectorGridLoss(const Problem& problem, const Plane& plane, const Eigen::VectorXd& s, const Eigen::VectorXd& t,
                      WorkerPool& pool, Progress& progress, GridValues& loss, VectorGridStats* stats = nullptr);

// One point of the plane in O(n + d) after the O(nd) pass: z = a + s·p + t·q, then the loss of
// z max-shifted (the `precomputed` way). The separable form's exact fallback.
class PlanePointLoss {
 public:
  PlanePointLoss(const Problem& problem, const Plane& plane);
  // z is scratch (n entries), kept by the caller to avoid an allocation per point.
  double operator()(double s, double t, Eigen::ArrayXd& z) const;

 private:
  const Problem& problem_;
  const Plane& plane_;
  Eigen::ArrayXd a_, p_, q_, w2_;
  double beta_ = 0.0;  // Σ b
};

}  // namespace attnlab::detail
