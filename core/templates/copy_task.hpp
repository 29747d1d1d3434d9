// The copying task of paper 001 (§4, Thms 4.1 and 4.2, Fig. 5): the template "α" labelled
// "α" — output the input token — trained on one alphabet and tested on tokens never seen in
// training. The model is 001's one attention layer on a string of length k = 1, where every
// softmax outputs 1, with the embedding and unembedding tied:
//   logits(x) = W_E M W_Eᵀ e_x,   M = Σ_h W_V^h W_O^hᵀ  (+ Σ_h b_h·I, 001's reparametrisation),
// trained by full-batch gradient descent on the cross-entropy. Without b, M learns only in
// the span of the training embeddings, nearly orthogonal to an unseen token's when the
// embedding is wide: the test loss stays at log V (Thm 4.1). With a trainable b per head the
// attention-modulated skip connection b·I copies any token, seen or not (Thm 4.2).
#pragma once
#include <Eigen/Dense>
#include <cstdint>
#include <vector>

#include "core/jobs/progress.hpp"
#include "core/jobs/worker_pool.hpp"

namespace attnlab {

struct CopyTaskParams {
  int trainTokens = 64;   // the training alphabet: each token once per step (full batch)
  int testTokens = 64;    // unseen: in the vocabulary (and the softmax), never a training input
  int embedding = 128;    // d_emb
  int heads = 4;
  int headDim = 16;
  bool identityScalings = false;  // add the trainable b_h·I of Thm 4.2 (initialised at 0)
  double learningRate = 0.5;
  int steps = 300;
  std::uint64_t seed = 0;  // the initial weights: entries N(0, 1/d_emb)
};

// The trainable parameters: W_E (V×d_emb, V = train + test tokens; training tokens first),
// per head W_V, W_O (d_emb×headDim) and b.
struct CopyTaskWeights {
  Eigen::MatrixXd embedding;
  std::vector<Eigen::MatrixXd> value, output;
  std::vector<double> b;

  // M = Σ_h W_V^h W_O^hᵀ + Σ_h b_h·I, and M·Y computed without forming M.
  Eigen::MatrixXd mixing() const;
  Eigen::MatrixXd mix(const Eigen::MatrixXd& Y) const;
};

CopyTaskWeights initialCopyTaskWeights(const CopyTaskParams& params);

// Mean cross-entropy of predicting each of `tokens` from itself; with `gradient`, its
// gradient in the weights' layout (b's entries stay 0 unless params.identityScalings).
double copyTaskLoss(const CopyTaskParams& params, const CopyTaskWeights& weights, int firstToken, int count,
                    CopyTaskWeights* gradient = nullptr);

struct CopyTaskRun {
  std::vector<double> trainLoss;     // per step 0 … steps (before each update, and the last)
  std::vector<double> testLoss;      // on the unseen tokens
  std::vector<double> testAccuracy;  // unseen tokens whose largest logit is their own
  std::vector<double> b;             // Σ_h b_h per step
  bool cancelled = false;
};

// Throws InputError naming the field ("copy.embedding", …) of a bad value.
void validateCopyTask(const CopyTaskParams& params);
// Stops (cancelled = true) between steps once progress asks; its fraction is the caller's.
CopyTaskRun trainCopyTask(const CopyTaskParams& params, const Progress* progress = nullptr);

// 001 Fig. 5: the same training at each embedding width, without and with b.
struct CopyTaskSweep {
  std::vector<int> embeddings;
  std::vector<CopyTaskRun> plain;     // W_V W_Oᵀ: per embedding
  std::vector<CopyTaskRun> identity;  // W_V W_Oᵀ + b·I: per embedding
  int vocabulary = 0;                 // V: chance is log V
  bool cancelled = false;
};

// The runs are independent: they share the pool, each seeded alike.
CopyTaskSweep sweepCopyTask(const CopyTaskParams& params, const std::vector<int>& embeddings, WorkerPool& pool,
                            Progress& progress);

}  // namespace attnlab
