// One run of 001's template experiment: draw a task's training strings (one alphabet) and
// test strings (a disjoint one), fit kernel ridge regression with each kernel on the first
// n training strings for every n asked, and measure the test error on unseen symbols; with
// each kernel's template matrix N and its condition number (Lemma 3.5).
//
// The training sets are nested (the first n of one draw), so one kernel matrix serves every
// n. K_attn and K_trans share one Monte Carlo estimate; their standard errors come from the
// jackknife over its batches. The MLP kernel is exact.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/templates/attention_kernel.hpp"
#include "core/templates/template_matrix.hpp"
#include "core/templates/template_task.hpp"

namespace attnlab {

enum class TaskKind { SameDifferent, AbaAbb, AbabAabb, Majority, Random };
enum class TemplateKernel { Transformer, Attention, Mlp };

std::string_view taskKindName(TaskKind kind);  // "aa_ab", "aba_abb", "abab_aabb", "majority", "random"
std::optional<TaskKind> parseTaskKind(const std::string& name);
std::string_view templateKernelName(TemplateKernel kernel);  // "transformer", "attention", "mlp"
std::optional<TemplateKernel> parseTemplateKernel(const std::string& name);

struct TemplateExperimentParams {
  TaskKind task = TaskKind::SameDifferent;
  int length = 4;     // k: majority and random
  int templates = 4;  // r: random
  int wildcards = 2;  // |W|: random
  int tokens = 0;     // |R|: random
  std::vector<TemplateKernel> kernels{TemplateKernel::Transformer, TemplateKernel::Mlp};
  std::vector<Eigen::Index> trainSizes{8, 16, 32, 64};
  Eigen::Index testSize = 200;
  EmbeddingKind embedding = EmbeddingKind::OneHot;
  Eigen::Index dim = 16;          // Gaussian embedding only
  Eigen::Index alphabet = 0;      // training alphabet; 0: max(train_sizes, |W|) as in 001 App. B
  Eigen::Index testAlphabet = 0;  // 0: the training alphabet's size
  Eigen::Index samples = 2000;    // Monte Carlo draws of the attention scores
  double ridge = 1e-6;            // λ
  std::uint64_t seed = 0;
  AttentionKernelParams attention;
  CosineParams cosine;
  // Keep each kernel's matrix on the training strings (the lab's block-structure figure,
  // 001 Fig. 4); off by default, as the command line never shows it.
  bool keepTrainKernel = false;
};

// Throws InputError naming the field ("train_sizes", "ridge", …) of the first bad value,
// including a kernel matrix that would not fit in memory.
void validateTemplateExperiment(const TemplateExperimentParams& params);

// Bytes of kernel matrices a run holds at its peak (what validateTemplateExperiment limits),
// so that a caller can hold a run to a smaller budget with the same count.
double templateKernelMemoryBytes(const TemplateExperimentParams& params);

// The task the parameters describe (the random one is drawn from the seed).
TemplateTask templateTaskFor(const TemplateExperimentParams& params);

struct TemplateKernelResult {
  TemplateKernel kernel = TemplateKernel::Transformer;
  bool monteCarlo = false;              // the standard errors below are meaningful
  std::vector<double> testError;        // per train size: mean squared error on unseen symbols
  std::vector<double> testErrorStderr;  // jackknife over the Monte Carlo batches
  std::vector<double> trainError;       // per train size
  Eigen::MatrixXd N, NStderr;
  TemplateMatrixCondition NCondition;
  // K(xᵢ, xⱼ) on the largest training set, in the order drawn (empty unless keepTrainKernel).
  Eigen::MatrixXd trainKernel;
};

struct TemplateExperiment {
  Status status = Status::Success;  // Cancelled: nothing else is valid
  TemplateTask task;
  Eigen::Index alphabet = 0, testAlphabet = 0;
  std::vector<TemplateString> train;  // the training strings (symbols, template, label), as drawn
  std::vector<TemplateKernelResult> kernels;
};

TemplateExperiment runTemplateExperiment(const TemplateExperimentParams& params, WorkerPool& pool, Progress& progress);

}  // namespace attnlab
