#include "core/attention/attention_weights.hpp"

namespace attnlab {
namespace {

// Zero the keys query i may not see.
void maskFuture(RowMatrix<double>& scores) {
  const CausalRule rule{scores.rows(), scores.cols()};
  for (Index i = 0; i < scores.rows(); ++i) {
    const Index end = rule.keyEnd(i);
    scores.row(i).tail(scores.cols() - end).setZero();
  }
}

void normaliseRows(RowMatrix<double>& W) {
  for (Index i = 0; i < W.rows(); ++i) {
    const double sum = W.row(i).sum();
    if (sum > 0) W.row(i) /= sum;
  }
}

}  // namespace

RowMatrix<double> softmaxAttentionWeights(const RowMatrix<double>& Q, const RowMatrix<double>& K, double scale,
                                          bool causal) {
  RowMatrix<double> W = scale * (Q * K.transpose());
  const CausalRule rule{Q.rows(), K.rows()};
  for (Index i = 0; i < W.rows(); ++i) {
    const Index end = causal ? rule.keyEnd(i) : W.cols();
    const double top = W.row(i).head(end).maxCoeff();
    W.row(i).head(end) = (W.row(i).head(end).array() - top).exp().matrix();
  }
  if (causal) maskFuture(W);
  normaliseRows(W);
  return W;
}

RowMatrix<double> kernelAttentionWeights(const FeatureMap<double>& map, const RowMatrix<double>& Q,
                                         const RowMatrix<double>& K, bool causal) {
  RowMatrix<double> phiQ, phiK;
  map.queries(Q, phiQ);
  map.keys(K, phiK);
  RowMatrix<double> W = phiQ * phiK.transpose();
  if (causal) maskFuture(W);
  normaliseRows(W);
  return W;
}

}  // namespace attnlab
