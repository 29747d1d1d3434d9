// A positive feature map φ for kernelized attention (math.md §3, paper 004):
//   Att_φ(Q, K, V)_i = φ(q_i)ᵀ Σ_j φ(k_j) v_jᵀ / φ(q_i)ᵀ Σ_j φ(k_j).
// Maps are applied to blocks of rows, so features are never stored for all L tokens.
//
// Exponential maps (FAVOR+) need a shift in the exponent to stay finite, and only shifts
// that cancel in the ratio are allowed: any positive factor on one query row (it scales
// numerator and denominator of that row alike), and one common factor on all keys. So a
// block of key features comes back as exp(shift)·φ̃ with one shift for the whole block;
// the attention sums combine blocks with a running maximum of the shifts.
#pragma once
#include "core/attention/attention_matrix.hpp"

namespace attnlab {

template <class T>
class FeatureMap {
 public:
  virtual ~FeatureMap() = default;
  virtual Index inputDim() const = 0;  // d: columns of Q and K
  virtual Index features() const = 0;  // m: columns of φ

  // phi ← φ(X) up to a positive factor per row (resized to X.rows() × m).
  virtual void queries(const ConstRowsRef<T>& X, RowMatrix<T>& phi) const = 0;
  // phi ← exp(−shift)·φ(X) with one shift for the block; returns the shift.
  virtual T keys(const ConstRowsRef<T>& X, RowMatrix<T>& phi) const = 0;
};

// φ(x) = elu(x) + 1 (Katharopoulos et al. 2020): x + 1 for x > 0, exp(x) otherwise.
// Applied to Q and K unscaled (cli.md), m = d, no shift needed (φ ≤ x + 1).
template <class T>
class EluFeatures final : public FeatureMap<T> {
 public:
  explicit EluFeatures(Index d) : d_(d) {}
  Index inputDim() const override { return d_; }
  Index features() const override { return d_; }
  void queries(const ConstRowsRef<T>& X, RowMatrix<T>& phi) const override { apply(X, phi); }
  T keys(const ConstRowsRef<T>& X, RowMatrix<T>& phi) const override {
    apply(X, phi);
    return T(0);
  }

  static void apply(const ConstRowsRef<T>& X, RowMatrix<T>& phi) {
    phi.resize(X.rows(), X.cols());
    // elu(x) + 1 = max(x, 0) + exp(min(x, 0)): branch-free, so Eigen vectorises the exp
    // (a select() would evaluate it one scalar at a time).
    phi.array() = X.array().max(T(0)) + X.array().min(T(0)).exp();
  }

 private:
  Index d_;
};

}  // namespace attnlab
