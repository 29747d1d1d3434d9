// Everything the user can set in the "Unseen symbols" lab (template tasks, paper 001,
// math.md §3): the task, which kernels to compare, the nested training sizes, the test set,
// the Monte Carlo draws, the ridge and the kernel's scalings. A plain, comparable,
// serialisable struct like BoundsLabParams: the lab compares it with the last job's to know
// whether to recompute. No ImGui here, so `attnlab export` can read sessions.
//
// The JSON fields are those of `attnlab template` (template_input.hpp), so an input file of
// the command line pasted under "templates" opens the same experiment in the window.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/templates/copy_task.hpp"
#include "core/templates/template_experiment.hpp"

namespace attnlab {

// The lab's two experiments, shown one at a time: kernel ridge regression on template tasks
// (001 §3, Figs 1 and 4) and the copying task learned by gradient descent (001 §4, Fig. 5).
enum class TemplateView { Regression, Copying };

// The copying task's sweep (core/templates/copy_task.hpp), seeded by the lab's seed.
struct CopyTaskLabParams {
  std::vector<int> embeddings{16, 64, 256, 1024};  // d_emb: Thm 4.1's failure grows with it
  int trainTokens = 32;
  int testTokens = 32;
  int heads = 4;
  int headDim = 16;
  int steps = 200;
  double lr = 0.5;
  bool operator==(const CopyTaskLabParams&) const = default;
};

struct TemplateLabParams {
  // [task] αα vs αβ by default: the paper's first example (001 §1.1, §3.3)
  TaskKind task = TaskKind::SameDifferent;
  int length = 4;      // k: majority and random
  int templates = 4;   // r: random
  int wildcards = 2;   // |W|: random
  int tokens = 0;      // |R|: random

  // [kernels] the transformer against the inner-product baseline that cannot succeed
  std::vector<TemplateKernel> kernels{TemplateKernel::Transformer, TemplateKernel::Mlp};

  // [data] nested prefixes of one draw; the alphabet is the largest size (001 App. B)
  std::vector<int> trainSizes{8, 16, 32, 64, 128};
  int testSize = 200;
  EmbeddingKind embedding = EmbeddingKind::OneHot;
  int dim = 16;  // Gaussian embedding only

  // [estimate]
  int samples = 2000;  // Monte Carlo draws of the attention scores (≈ 0.5 s for the defaults on 2 cores)
  double ridge = 1e-6;
  std::uint64_t seed = 0;

  // [kernel] K_attn's β, γ and a (W_K W_Qᵀ + a·I, 001 Obs 1.2); the MLP layer's b₁, b₂
  double beta = 4.0;
  double gamma = 2.0;
  double kqIdentity = 0.0;
  double b1 = 0.5;
  double b2 = 0.5;

  // [copying]
  TemplateView view = TemplateView::Regression;
  CopyTaskLabParams copy;

  bool operator==(const TemplateLabParams&) const = default;
};

// Ranges the widgets and a session are held to: the window recomputes on every change, so
// a run stays within seconds and a few hundred MiB (the command line allows more).
inline constexpr int kMaxTemplateLabTrainSize = 1024;
inline constexpr int kMaxTemplateLabTrainSizes = 16;
inline constexpr int kMaxTemplateLabTestSize = 2000;
inline constexpr int kMaxTemplateLabSamples = 100000;
inline constexpr int kMaxTemplateLabDim = 512;
inline constexpr double kMaxTemplateLabBytes = 256.0 * 1048576.0;

// The kernels in the order the figures and widgets list them.
inline constexpr TemplateKernel kAllTemplateKernels[] = {TemplateKernel::Transformer, TemplateKernel::Attention,
                                                         TemplateKernel::Mlp};
bool showsKernel(const TemplateLabParams& p, TemplateKernel kernel);
// Adds or removes a kernel, keeping kAllTemplateKernels' order.
void setKernelShown(TemplateLabParams& p, TemplateKernel kernel, bool shown);

// What a change costs: the regression experiment ignores the view and the copying task's
// fields; the copying sweep depends on those and the seed only.
bool sameExperiment(const TemplateLabParams& a, const TemplateLabParams& b);
bool sameCopyTask(const TemplateLabParams& a, const TemplateLabParams& b);

std::string_view templateViewName(TemplateView view);  // "regression", "copying"

// The copying task's parameters at embedding width `embedding`.
CopyTaskParams copyTaskParamsFor(const TemplateLabParams& p, int embedding);

// Throws InputError naming the field ("templates.samples") of the first bad value,
// including what the core refuses and a run larger than kMaxTemplateLabBytes.
void validate(const TemplateLabParams& p);

// The core's parameters for this lab (the training kernel kept for the block figure).
TemplateExperimentParams experimentParamsFor(const TemplateLabParams& p);

// The lab's part of a session: {"task": "aa_ab", "length": 4, "templates": 4, "wildcards": 2,
// "tokens": 0, "kernels": ["transformer", "mlp"], "train_sizes": [8, 16, 32, 64, 128],
// "test_size": 200, "embedding": "one_hot", "dim": 16, "samples": 2000, "ridge": 1e-06,
// "seed": 0, "beta": 4, "gamma": 2, "kq_identity": 0, "b1": 0.5, "b2": 0.5, "view": "regression",
// "copy": {"embeddings": [16, 64, 256, 1024], "train_tokens": 32, "test_tokens": 32, "heads": 4,
// "head_dim": 16, "steps": 200, "lr": 0.5}}.
nlohmann::json toJson(const TemplateLabParams& p);
// Reads the fields present over `base`, then validates. Unknown fields are ignored.
TemplateLabParams templateLabParamsFromJson(const nlohmann::json& json, const TemplateLabParams& base);

}  // namespace attnlab
