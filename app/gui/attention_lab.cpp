// [SECTION] jobs: what to recompute, and what the status bar says
// [SECTION] the parameter panel
// [SECTION] plots
#include "app/gui/attention_lab.hpp"

#include <imgui.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

#include "app/gui/figure_view.hpp"
#include "app/gui/widgets.hpp"
#include "core/errors.hpp"
#include "core/figure/ticks.hpp"
#include "core/labs/json_fields.hpp"

namespace attnlab::gui {
namespace {

constexpr std::array<AttentionKernel, 5> kApproximateKernels = {AttentionKernel::Elu, AttentionKernel::Favor,
                                                                AttentionKernel::Softplus, AttentionKernel::Glu,
                                                                AttentionKernel::Aoglu};

std::string_view kernelTitle(AttentionKernel k) {
  switch (k) {
    case AttentionKernel::Elu: return "elu: φ = elu(x) + 1";
    case AttentionKernel::Favor: return "favor: FAVOR+ random features";
    case AttentionKernel::Softplus: return "softplus: fitted Softplus(XW)";
    case AttentionKernel::Glu: return "glu: fitted gated (OGLU)";
    case AttentionKernel::Aoglu: return "aoglu: fitted low-rank gate";
    case AttentionKernel::Softmax: break;
  }
  return "softmax";
}

std::string jobName(const AttentionLabParams& p) {
  return "Attention: " + std::string(attentionKernelName(p.kernel)) + " vs exact, L = " + std::to_string(p.length);
}

}  // namespace

AttentionLab::AttentionLab(WorkerPool& pool, AttentionLabParams params, Theme theme)
    : pool_(pool), params_(std::move(params)), theme_(theme) {
  setParams(params_);
}

AttentionLab::~AttentionLab() { cancel(); }

void AttentionLab::setParams(const AttentionLabParams& params) {
  params_ = params;
  lengthsInput_ = json_fields::formatWholeList(params_.lengths);
  featuresInput_ = json_fields::formatWholeList(params_.featureCounts);
}

void AttentionLab::applyJson(const nlohmann::json& json) { setParams(attentionParamsFromJson(json, params_)); }

// [SECTION] jobs: what to recompute, and what the status bar says

void AttentionLab::update(Theme theme) {
  theme_ = theme;
  matrices_.noteFinished("attention matrices", message_);
  sweeps_.noteFinished("sweeps over L and m", message_);
  const bool matrices = !matrices_.current(params_, theme), sweeps = !sweeps_.current(params_, theme);
  if (!matrices && !sweeps) return;
  try {
    validate(params_);
  } catch (const InputError& e) {
    message_ = {e.what(), true};
    matrices_.refuse(params_, theme);  // the next edit tries again
    sweeps_.refuse(params_, theme);
    return;
  }
  if (matrices)
    matrices_.restart(pool_, jobName(params_), attentionMatricesJob(params_, theme, snapshots_->matrices.latest(), snapshots_),
                      params_, theme);
  if (sweeps)
    sweeps_.restart(pool_, "Attention sweeps over L and m",
                    attentionSweepsJob(params_, theme, snapshots_->sweeps.latest(), pool_, snapshots_), params_, theme);
}

bool AttentionLab::idle() const {
  if (!matrices_.started() && !sweeps_.started()) return true;  // the tab was never opened
  return !busy() && matrices_.current(params_, theme_) && sweeps_.current(params_, theme_);
}

void AttentionLab::cancel() {
  matrices_.cancel();
  sweeps_.cancel();
}

StatusInfo AttentionLab::status() const {
  StatusInfo info;
  info.job = matrices_.running() ? matrices_.running() : sweeps_.running();
  info.message = message_.text;
  info.error = message_.error;
  return info;
}

// [SECTION] the parameter panel

void AttentionLab::drawParameters(const LabContext& context) {
  drawInputSection(context);
  drawMatricesSection(context);
  drawSweepsSection(context);
}

void AttentionLab::drawInputSection(const LabContext& context) {
  AttentionLabParams& p = params_;
  sectionHeading("Input", context.fonts->bold);
  if (sliderInt("d", p.d, 1, kMaxAttentionLabD, true, "Width of the queries and keys (and of V)."))
    p.scale = 1.0 / std::sqrt(double(p.d));  // keep s = 1/√d, as a transformer would
  sliderDouble("σ", p.sigma, 0.05, 4.0, "%.3g", true,
               "Q and K have entries N(0, σ²), V has N(0, 1). Larger σ spreads the scores: the softmax "
               "sharpens — and FAVOR+'s variance, which grows like exp(s‖q‖² + s‖k‖²), explodes.");
  sliderDouble("scale s", p.scale, 0.0, 2.0, "%.3g", false,
               "exp(s·qᵀk). Set to 1/√d when d changes. elu and the fitted maps see Q and K unscaled.");
  seedField("seed", p.seed, "Draws Q, K, V, FAVOR+'s projections and the fitted maps' batches.");
  ImGui::Checkbox("K = Q", &p.keysAreQueries);
  helpMarker("Self-attention over one set of tokens: each query scores itself s‖q‖², a diagonal that "
             "sharpens with σ. Off: keys drawn apart from the queries.");
  ImGui::SameLine();
  ImGui::Checkbox("causal", &p.causal);
  helpMarker("Query i sees keys j ≤ i: the exact kernel stops its tiles at the diagonal, the kernelized "
             "ones keep prefix sums of φ(k_j)v_jᵀ.");
}

void AttentionLab::drawMatricesSection(const LabContext& context) {
  AttentionLabParams& p = params_;
  sectionHeading("Attention matrices", context.fonts->bold);
  sliderInt("length L", p.length, 4, kMaxAttentionMatrixLength, true, "Tokens in the matrices (and where error vs m is measured).");
  comboOf("kernel", p.kernel, kApproximateKernels, kernelTitle,
          "Drawn against exact softmax attention:\n"
          " elu: φ(x) = elu(x) + 1 (Katharopoulos et al.)\n"
          " favor: φ(x) = exp(Wx − ‖x‖²/2)/√m, E[φ(q)ᵀφ(k)] = exp(qᵀk) (Performer)\n"
          " softplus, glu, aoglu: feedforward maps of paper 004, fitted here to the exact attention");
  ImGui::BeginDisabled(!usesFeatures(p.kernel));
  sliderInt("features m", p.features, 1, kMaxAttentionFeatures, true, "Columns of φ; elu has m = d.");
  ImGui::EndDisabled();
  ImGui::BeginDisabled(!isFittedMap(p.kernel) &&
                       std::none_of(p.sweepKernels.begin(), p.sweepKernels.end(), isFittedMap));
  sliderInt("fit steps", p.fitSteps, 1, kMaxAttentionFitSteps, true,
            "Adam steps fitting softplus, glu, aoglu to the exact attention on sampled batches.");
  ImGui::EndDisabled();
  drawMatricesSummary(context);
}

void AttentionLab::drawMatricesSummary(const LabContext& context) {
  const auto m = snapshots_->matrices.latest();
  if (!m || !sameMatrices(m->params, params_)) return;
  ImGui::PushFont(context.fonts->small);
  ImGui::PushStyleColor(ImGuiCol_Text, context.ui->muted);
  ImGui::TextWrapped("output error ‖Att_φ − Att‖/‖Att‖ = %s; largest weight error %s",
                     formatNumber(m->outputError, 3).c_str(), formatNumber(m->largestWeightError, 3).c_str());
  if (m->fit)
    ImGui::TextWrapped("fit: loss %s → %s in %d steps", formatNumber(m->fit->initialLoss, 3).c_str(),
                       formatNumber(m->fit->finalLoss, 3).c_str(), m->fit->steps);
  ImGui::PopStyleColor();
  ImGui::PopFont();
}

void AttentionLab::drawSweepsSection(const LabContext& context) {
  AttentionLabParams& p = params_;
  sectionHeading("Sweeps (float32)", context.fonts->bold);
  formLabel("kernels", "Each kernel checked here gets a line in the three plots below the matrices.");
  for (AttentionKernel k : kApproximateKernels) {
    const auto at = std::find(p.sweepKernels.begin(), p.sweepKernels.end(), k);
    bool on = at != p.sweepKernels.end();
    const std::string name(attentionKernelName(k));
    // Five checkboxes do not fit one row of the panel: three, then two.
    if (k != AttentionKernel::Elu && k != AttentionKernel::Glu) ImGui::SameLine();
    if (ImGui::Checkbox(name.c_str(), &on)) {
      if (!on && p.sweepKernels.size() > 1) {
        p.sweepKernels.erase(at);
      } else if (on) {
        p.sweepKernels.push_back(k);
        // In the panel's order, so a kernel keeps its place (and colour) in the legends.
        std::sort(p.sweepKernels.begin(), p.sweepKernels.end(), [](AttentionKernel a, AttentionKernel b) {
          return std::find(kApproximateKernels.begin(), kApproximateKernels.end(), a) <
                 std::find(kApproximateKernels.begin(), kApproximateKernels.end(), b);
        });
      }
    }
  }
  std::string error;
  wholeNumberList("lengths L", lengthsInput_, p.lengths, "attention", "sweep.lengths", true, &error,
                  "Sequence lengths, comma-separated; Enter applies. Every L runs exact attention too, "
                  "so its time is the cost of the sweep.");
  wholeNumberList("features m", featuresInput_, p.featureCounts, "attention", "sweep.features", true, &error,
                  "Feature counts for the error against m (at the matrices' L), comma-separated; Enter applies.");
  if (!error.empty()) message_ = {error, true};
  const auto job = sweeps_.job();
  if (job && !job->done()) {
    if (ImGui::Button("Cancel sweeps")) sweeps_.cancel();
    ImGui::SameLine();
    ImGui::ProgressBar(static_cast<float>(job->fraction()), ImVec2(-1.0f, 0.0f));
  } else if (job && job->status() == Status::Cancelled && ImGui::Button("Run the sweeps again")) {
    sweeps_.forget();  // update() starts them
  }
}

// [SECTION] plots

void AttentionLab::draw(const LabContext& context) {
  exportMenu_ = context.exportMenu;
  update(context.theme);
  labColumns("attention", [&] { drawParameters(context); }, [&] { drawPlots(context); });
}

// Two rows of three: the matrices (exact, kernel, difference), then error vs L, error vs m
// and time vs L. Narrow windows (large type) get one figure per row, scrolling.
void AttentionLab::drawPlots(const LabContext&) {
  const auto matrices = snapshots_->matrices.latest();
  const auto sweeps = snapshots_->sweeps.latest();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const ImVec2 gap = ImGui::GetStyle().ItemSpacing;
  const float em = ImGui::GetFontSize();
  const bool narrow = avail.x < 46.0f * em;
  const float minHeight = 14.0f * em;
  const float width = narrow ? avail.x : std::floor((avail.x - 2.0f * gap.x) / 3.0f);
  const float height = narrow ? std::max(minHeight, std::floor(avail.y * 0.6f))
                              : std::max(minHeight, std::floor((avail.y - gap.y) / 2.0f));
  const ImVec2 size(width, height);
  const auto row = [&](const Figure* a, const Figure* b, const Figure* c, const char* waiting) {
    const Figure* figures[] = {a, b, c};
    for (int i = 0; i < 3; ++i) {
      if (i > 0 && !narrow) ImGui::SameLine(0.0f, gap.x);
      if (figures[i]) DrawFigure(*figures[i], size, nullptr, exportMenu_);
      else centredText(waiting, size);
    }
  };
  if (matrices) row(&matrices->figures.exact, &matrices->figures.kernel, &matrices->figures.difference, "");
  else row(nullptr, nullptr, nullptr, "Computing the attention matrices…");
  if (sweeps) row(&sweeps->errorVsLength, &sweeps->errorVsFeatures, &sweeps->timeVsLength, "");
  else row(nullptr, nullptr, nullptr, "Sweeping L and m…");
}

}  // namespace attnlab::gui
