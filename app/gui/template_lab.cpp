// [SECTION] jobs: what to recompute, and what the status bar says
// [SECTION] the parameter panel
// [SECTION] plots
#include "app/gui/template_lab.hpp"

#include <imgui.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <string>
#include <variant>

#include "app/gui/figure_view.hpp"
#include "app/gui/widgets.hpp"
#include "core/errors.hpp"
#include "core/figure/ticks.hpp"
#include "core/labs/json_fields.hpp"

namespace attnlab::gui {
namespace {

constexpr std::array<TaskKind, 5> kTasks = {TaskKind::SameDifferent, TaskKind::AbaAbb, TaskKind::AbabAabb,
                                            TaskKind::Majority, TaskKind::Random};

std::string_view taskTitleOf(TaskKind task) {
  switch (task) {
    case TaskKind::SameDifferent: return "αα vs αβ (same / different)";
    case TaskKind::AbaAbb: return "αβα vs αββ";
    case TaskKind::AbabAabb: return "αβαβ vs ααββ";
    case TaskKind::Majority: return "majority, length k";
    case TaskKind::Random: return "random templates";
  }
  return "";
}

std::string jobName(const TemplateLabParams& p) {
  return "Unseen symbols: " + std::string(taskKindName(p.task)) + ", n up to " +
         std::to_string(p.trainSizes.empty() ? 0 : *std::max_element(p.trainSizes.begin(), p.trainSizes.end())) +
         ", " + std::to_string(p.samples) + " draws";
}

const char* kernelHelp(TemplateKernel kernel) {
  switch (kernel) {
    case TemplateKernel::Transformer:
      return "K_trans (001 Eq. 4): a random-features attention layer followed by a random-features MLP "
             "layer φ(t) = cos(b₁t + b₂). Monte Carlo over the attention scores.";
    case TemplateKernel::Attention:
      return "K_attn(X, Y) = E[smax(β m(X))ᵀ (XYᵀ + γ²I) smax(β m(Y))]: the attention layer alone.";
    case TemplateKernel::Mlp:
      return "The inner-product baseline (001 §3.3, App. I): an MLP on the flattened string. It sees only how "
             "many positions two strings share, so on unseen symbols every pair looks alike: N is singular.";
  }
  return "";
}

}  // namespace

TemplateLab::TemplateLab(WorkerPool& pool, TemplateLabParams params, Theme theme)
    : pool_(pool), params_(std::move(params)), theme_(theme) {
  setParams(params_);
}

TemplateLab::~TemplateLab() { cancel(); }

// [SECTION] jobs: what to recompute, and what the status bar says

// The copying sweep runs only once its view is shown: the tab opens on the regression.
void TemplateLab::update(Theme theme) {
  theme_ = theme;
  job_.noteFinished("template experiment", message_);
  copy_.noteFinished("copying task", message_);
  const bool experiment = !job_.current(params_, theme);
  const bool copying = params_.view == TemplateView::Copying && !copy_.current(params_, theme);
  if (!experiment && !copying) return;
  try {
    validate(params_);
  } catch (const InputError& e) {
    message_ = {e.what(), true};
    job_.refuse(params_, theme);  // do not retry every frame; the next edit tries again
    copy_.refuse(params_, theme);
    return;
  }
  if (experiment)
    job_.restart(pool_, jobName(params_), templateLabJob(params_, theme, snapshots_->picture.latest(), pool_, snapshots_),
                 params_, theme);
  if (copying)
    copy_.restart(pool_, "Copying task at d_emb = " + json_fields::formatWholeList(params_.copy.embeddings),
                  copyTaskJob(params_, theme, snapshots_->copy.latest(), pool_, snapshots_), params_, theme);
}

bool TemplateLab::idle() const {
  if (!job_.started()) return true;  // never asked to compute (the tab was not opened)
  const bool copyDone = params_.view != TemplateView::Copying || copy_.current(params_, theme_);
  return !busy() && job_.current(params_, theme_) && copyDone;
}

StatusInfo TemplateLab::status() const {
  StatusInfo info;
  info.job = job_.running() ? job_.running() : copy_.running();
  info.message = message_.text;
  info.error = message_.error;
  return info;
}

void TemplateLab::setParams(const TemplateLabParams& params) {
  params_ = params;
  trainSizesInput_ = json_fields::formatWholeList(params_.trainSizes);
  embeddingsInput_ = json_fields::formatWholeList(params_.copy.embeddings);
}

void TemplateLab::applyJson(const nlohmann::json& json) { setParams(templateLabParamsFromJson(json, params_)); }

// [SECTION] the parameter panel

void TemplateLab::drawParameters(const LabContext& context) {
  formLabel("experiment", "Kernel regression: template tasks learned by the transformer's random-features "
                          "kernel (001 §3, Figs 1, 4).\nCopying: one attention layer trained by gradient "
                          "descent to output its input token, with and without b·I (001 §4, Fig. 5).");
  int view = params_.view == TemplateView::Copying ? 1 : 0;
  if (ImGui::RadioButton("regression", &view, 0)) params_.view = TemplateView::Regression;
  ImGui::SameLine();
  if (ImGui::RadioButton("copying", &view, 1)) params_.view = TemplateView::Copying;
  if (params_.view == TemplateView::Copying) {
    drawCopySection(context);
    return;
  }
  drawTaskSection(context);
  drawKernelSection(context);
  drawDataSection(context);
  drawEstimateSection(context);
}

void TemplateLab::drawCopySection(const LabContext& context) {
  CopyTaskLabParams& c = params_.copy;
  sectionHeading("Copying task", context.fonts->bold);
  std::string error;
  wholeNumberList("widths d_emb", embeddingsInput_, c.embeddings, "templates", "copy.embeddings", true, &error,
                  "Embedding widths, comma-separated; Enter applies. Thm 4.1: without b the unseen tokens' loss "
                  "stays nearer log V the wider the embedding.");
  if (!error.empty()) message_ = {error, true};
  sliderInt("train tokens", c.trainTokens, 1, 256, true, "The training alphabet: each token is one example.");
  sliderInt("unseen tokens", c.testTokens, 1, 256, true,
            "In the vocabulary (so in every softmax) but never an input in training.");
  sliderInt("heads", c.heads, 1, 16, false, "Attention heads; each has W_V, W_O and, with b, its own scalar b_h.");
  sliderInt("head dim", c.headDim, 1, 64, true, "Columns of each W_V, W_O.");
  sliderInt("steps", c.steps, 1, 2000, true, "Full-batch gradient descent steps.");
  sliderDouble("lr η", c.lr, 1e-3, 10.0, "%.3g", true, "Gradient descent step size.");
  seedField("seed", params_.seed, "Draws the initial weights (entries N(0, 1/d_emb)).");
  drawJobControls(copy_);
}

// Cancel and progress while a job runs; once cancelled, a button to run it again.
void TemplateLab::drawJobControls(LabJob<TemplateLabParams>& job) {
  const auto handle = job.job();
  if (handle && !handle->done()) {
    if (ImGui::Button("Cancel")) job.cancel();
    ImGui::SameLine();
    ImGui::ProgressBar(static_cast<float>(handle->fraction()), ImVec2(-1.0f, 0.0f));
  } else if (handle && handle->status() == Status::Cancelled && ImGui::Button("Run again")) {
    job.forget();  // update() starts it
  }
}

void TemplateLab::drawTaskSection(const LabContext& context) {
  TemplateLabParams& p = params_;
  sectionHeading("Task", context.fonts->bold);
  comboOf("task", p.task, kTasks, taskTitleOf,
          "A template is a string of wildcards α, β, … with a label. Training strings fill the wildcards "
          "from one alphabet, test strings from a disjoint one: every test symbol is unseen (001 §2).");
  const bool majority = p.task == TaskKind::Majority, random = p.task == TaskKind::Random;
  ImGui::BeginDisabled(!majority && !random);
  sliderInt("length k", p.length, majority ? 2 : 1, majority ? 12 : 16, false,
            "Length of the strings (majority: α followed by k − 1 of α, β; 2^(k−1) templates).");
  ImGui::EndDisabled();
  ImGui::BeginDisabled(!random);
  sliderInt("templates r", p.templates, 2, 64, false, "Random task: r disjoint templates with Gaussian labels.");
  sliderInt("wildcards", p.wildcards, 1, 24, false, "Random task: |W|, the wildcards a template may use.");
  sliderInt("tokens", p.tokens, 0, 26, false, "Random task: |R|, fixed tokens shared by every string.");
  ImGui::EndDisabled();
}

void TemplateLab::drawKernelSection(const LabContext& context) {
  sectionHeading("Kernels", context.fonts->bold);
  for (TemplateKernel kernel : kAllTemplateKernels) {
    bool shown = showsKernel(params_, kernel);
    const ImVec4 colour = [&] {
      const Rgba c = kernelColour(kernel, context.theme);
      return ImVec4(c.r, c.g, c.b, 1.0f);
    }();
    colorSwatch(ImGui::ColorConvertFloat4ToU32(colour));
    if (ImGui::Checkbox(kernelTitle(kernel).c_str(), &shown)) setKernelShown(params_, kernel, shown);
    helpMarker(kernelHelp(kernel));
  }
  TemplateLabParams& p = params_;
  sliderDouble("β", p.beta, 0.0, 20.0, "%.3g", false, "Softmax inverse temperature of the attention scores.");
  sliderDouble("γ", p.gamma, 0.0, 10.0, "%.3g", false, "Size of the positional embeddings.");
  sliderDouble("scaling a", p.kqIdentity, -4.0, 4.0, "%.3g", false,
               "001 Obs 1.2: adding a·I to W_K W_Qᵀ puts the incidence matrix XXᵀ into the scores, so "
               "attention can see which positions hold the same symbol — fewer samples needed. (The value "
               "perturbation b·I only rescales XYᵀ here and is left out.)");
  sliderDouble("b₁", p.b1, 0.0, 4.0, "%.3g", false, "MLP layer φ(t) = cos(b₁t + b₂): frequency.");
  sliderDouble("b₂", p.b2, -3.2, 3.2, "%.3g", false, "MLP layer φ(t) = cos(b₁t + b₂): phase.");
}

void TemplateLab::drawDataSection(const LabContext& context) {
  TemplateLabParams& p = params_;
  sectionHeading("Data", context.fonts->bold);
  std::string error;
  wholeNumberList("train sizes n", trainSizesInput_, p.trainSizes, "templates", "train_sizes", false, &error,
                  "Nested: each is a prefix of one draw. The alphabet has as many symbols as the largest n "
                  "(001 App. B). Comma-separated; Enter applies.");
  if (!error.empty()) message_ = {error, true};
  sliderInt("test size", p.testSize, 1, kMaxTemplateLabTestSize, true, "Test strings, over the unseen alphabet.");
  formLabel("embedding", "one-hot (001's choice): distinct symbols are orthogonal.\n"
                         "Gaussian: random vectors of dimension d, nearly orthogonal for large d.");
  int embedding = p.embedding == EmbeddingKind::OneHot ? 0 : 1;
  if (ImGui::RadioButton("one-hot", &embedding, 0)) p.embedding = EmbeddingKind::OneHot;
  ImGui::SameLine();
  if (ImGui::RadioButton("Gaussian", &embedding, 1)) p.embedding = EmbeddingKind::Gaussian;
  ImGui::BeginDisabled(p.embedding != EmbeddingKind::Gaussian);
  sliderInt("dim d", p.dim, 1, kMaxTemplateLabDim, true, "Dimension of the Gaussian embedding.");
  ImGui::EndDisabled();
}

void TemplateLab::drawEstimateSection(const LabContext& context) {
  TemplateLabParams& p = params_;
  sectionHeading("Estimate", context.fonts->bold);
  sliderInt("samples", p.samples, 2, kMaxTemplateLabSamples, true,
            "Monte Carlo draws of the attention scores. The bands are ±1 standard error (jackknife over 16 "
            "batches); they shrink like 1/√samples.");
  sliderDouble("ridge λ", p.ridge, 1e-8, 10.0, "%.2g", true,
               "Kernel ridge regression f̂(X) = yᵀ(K̂ + λI)⁻¹k(X) (001 Prop 3.1), the limit of training "
               "with weight decay.");
  seedField("seed", p.seed, "Draws the strings, the random task and the Monte Carlo scores.");
  drawJobControls(job_);
}

// [SECTION] plots

// What the shown run says at a glance, above the plots: the error on unseen symbols at the
// smallest and the largest n per kernel, whether each N is invertible, and how it was
// estimated (stale while a new run computes: it says so).
void TemplateLab::drawSummary(const TemplatePicture& picture, const LabContext& context) {
  const std::string line = testErrorSummary(picture.experiment, picture.params.trainSizes) + ". " +
                           conditionSummary(picture.experiment) + ".";
  const bool monteCarlo = std::any_of(picture.experiment.kernels.begin(), picture.experiment.kernels.end(),
                                      [](const TemplateKernelResult& k) { return k.monteCarlo; });
  char how[200];
  std::snprintf(how, sizeof how, "  %s%s, %s s%s",
                monteCarlo ? (std::to_string(picture.samples) + " draws, bands ±1 s.e.").c_str() : "exact (no Monte Carlo)",
                picture.coarse ? " (coarse, refining…)" : "", formatNumber(picture.seconds, 2).c_str(),
                !sameExperiment(picture.params, params_) ? " — for the previous settings" : "");
  ImGui::PushStyleColor(ImGuiCol_Text, context.ui->muted);
  ImGui::TextWrapped("%s%s", line.c_str(), how);
  ImGui::PopStyleColor();
}

void TemplateLab::draw(const LabContext& context) {
  exportMenu_ = context.exportMenu;
  update(context.theme);
  labColumns("templates", [&] { drawParameters(context); }, [&] { drawPlots(context); });
}

void TemplateLab::drawPlots(const LabContext& context) {
  if (params_.view == TemplateView::Copying) {
    drawCopyPlots(context);
    return;
  }
  const auto picture = snapshots_->picture.latest();
  if (!picture) {
    centredText("Running the template experiment…", ImGui::GetContentRegionAvail());
    return;
  }
  drawSummary(*picture, context);
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const TemplateFigures& f = picture->figures;
  // On screen the legend names the lines only: the bands' entries (kept in the files, whose
  // CSV names every series) would double its size over the plot; the summary says what they are.
  Figure testError = f.testError;
  for (Series& s : testError.series)
    if (auto* band = std::get_if<AreaSeries>(&s)) band->label.clear();
  // Right-click exports write the whole figure, legend entries and all, not the screen's cut.
  const FigureMenu exportTestError = [this, &f](const Figure&) { if (exportMenu_) exportMenu_(f.testError); };
  const FigureMenu exportSpectrum = [this, &f](const Figure&) { if (exportMenu_) exportMenu_(f.templateSpectrum); };
  const ImVec2 gap = ImGui::GetStyle().ItemSpacing;
  const float em = ImGui::GetFontSize();
  const float minHeight = 14.0f * em;  // below this a plot's title, ticks and labels collide
  // Narrow (a projector's large type, a small window): one figure per row, scrolling.
  if (avail.x < 46.0f * em) {
    const float height = std::max(minHeight, std::floor(avail.y * 0.6f));
    DrawFigure(testError, ImVec2(avail.x, height), nullptr, exportTestError);
    DrawFigure(f.kernelMatrix, ImVec2(avail.x, std::max(height, avail.x * 0.8f)), nullptr, exportMenu_);
    DrawFigure(f.templateSpectrum, ImVec2(avail.x, height), nullptr, exportMenu_);  // room for its legend here
    drawTemplateMatrices(*picture, ImVec2(avail.x, 0.0f), context);
    return;
  }
  // The test error (the lab's point) wide on the top left, the kernel matrix — square —
  // beside it; below, the spectrum of N beside N itself.
  const float topHeight = std::max(minHeight, std::floor((avail.y - gap.y) * 0.58f));
  // The matrix's plot square beside its colorbar and tick labels.
  const float matrixWidth = std::min(std::floor(avail.x * 0.45f), std::floor(topHeight * 1.3f));
  const float errorWidth = avail.x - matrixWidth - gap.x;
  DrawFigure(testError, ImVec2(errorWidth, topHeight), nullptr, exportTestError);
  ImGui::SameLine(0.0f, gap.x);
  DrawFigure(f.kernelMatrix, ImVec2(matrixWidth, topHeight), nullptr, exportMenu_);
  // What the top row left, measured rather than added up.
  const float bottomHeight = std::max(minHeight, std::floor(ImGui::GetContentRegionAvail().y));
  const float spectrumWidth = std::floor(avail.x * 0.55f);
  // On screen the panel beside it names the kernels, their colours and κ(N); its legend
  // would cover points of so small a plot. Exported files keep it.
  Figure spectrum = f.templateSpectrum;
  spectrum.legend.visible = false;
  DrawFigure(spectrum, ImVec2(spectrumWidth, bottomHeight), nullptr, exportSpectrum);
  ImGui::SameLine(0.0f, gap.x);
  drawTemplateMatrices(*picture, ImVec2(avail.x - spectrumWidth - gap.x, bottomHeight), context);
}

// N per kernel as numbers, ± its Monte Carlo standard error: the entries the kernel matrix's
// blocks approach, and what the spectrum plot decomposes.
void TemplateLab::drawTemplateMatrices(const TemplatePicture& picture, ImVec2 size, const LabContext& context) {
  ImGui::BeginChild("##templateMatrices", size, true);
  const TemplateExperiment& e = picture.experiment;
  ImGui::PushFont(context.fonts->bold);
  ImGui::TextUnformatted("Template matrix N (001 Lemma 3.5)");
  ImGui::PopFont();
  ImGui::PushStyleColor(ImGuiCol_Text, context.ui->muted);
  ImGui::TextWrapped("N_ij = K(sub(z_i, s), sub(z_j, s')) for substitutions s, s' with no symbol in common. "
                     "N invertible ⇒ ridge regression generalises to unseen symbols.");
  ImGui::PopStyleColor();
  const int r = int(e.task.templates.size());
  // Large r: the spectrum says it better than r² numbers.
  const int shown = std::min(r, 6);
  for (const TemplateKernelResult& k : e.kernels) {
    ImGui::Spacing();
    const Rgba c = kernelColour(k.kernel, context.theme);
    colorSwatch(ImGui::ColorConvertFloat4ToU32(ImVec4(c.r, c.g, c.b, 1.0f)));
    const std::string zeros = zeroSingularValuesNote(k.NCondition);
    ImGui::TextWrapped("%s — %s%s%s", kernelTitle(k.kernel).c_str(), conditionText(k.NCondition).c_str(),
                       zeros.empty() ? "" : ", ", zeros.c_str());
    if (ImGui::BeginTable(templateKernelName(k.kernel).data(), shown + 1,
                          ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_BordersInnerV)) {
      // Widths from the text itself: a fit to the content would need a frame to measure it,
      // and a screenshot may be that first frame.
      float nameWidth = 0.0f;
      for (int i = 0; i < shown; ++i)
        nameWidth = std::max(nameWidth, ImGui::CalcTextSize(patternName(e.task.templates[std::size_t(i)]).c_str()).x);
      ImGui::PushFont(context.fonts->mono);
      const float valueWidth = ImGui::CalcTextSize(k.monteCarlo ? "-0.0000 ± 0.0e-00" : "-0.0000").x;
      ImGui::PopFont();
      ImGui::TableSetupColumn("##template", ImGuiTableColumnFlags_WidthFixed, nameWidth);
      for (int j = 0; j < shown; ++j) ImGui::TableSetupColumn(nullptr, ImGuiTableColumnFlags_WidthFixed, valueWidth);
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      for (int j = 0; j < shown; ++j) {
        ImGui::TableNextColumn();
        ImGui::TextDisabled("%s", patternName(e.task.templates[std::size_t(j)]).c_str());
      }
      for (int i = 0; i < shown; ++i) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextDisabled("%s", patternName(e.task.templates[std::size_t(i)]).c_str());
        for (int j = 0; j < shown; ++j) {
          ImGui::TableNextColumn();
          ImGui::PushFont(context.fonts->mono);
          if (k.monteCarlo)
            ImGui::Text("%.4f ± %.1e", k.N(i, j), k.NStderr(i, j));
          else
            ImGui::Text("%.4f", k.N(i, j));
          ImGui::PopFont();
        }
      }
      ImGui::EndTable();
    }
    if (shown < r) ImGui::TextDisabled("(the first %d of %d templates)", shown, r);
  }
  ImGui::EndChild();
}

// 001 Fig. 5: the unseen tokens' loss per step beside the final loss against the width, and
// one line saying what they show.
void TemplateLab::drawCopyPlots(const LabContext& context) {
  const auto picture = snapshots_->copy.latest();
  if (!picture) {
    centredText("Training the copying task at every width…", ImGui::GetContentRegionAvail());
    return;
  }
  const CopyTaskSweep& sweep = picture->sweep;
  const std::size_t last = sweep.embeddings.size() - 1;
  const double logV = std::log(double(sweep.vocabulary));
  ImGui::PushStyleColor(ImGuiCol_Text, context.ui->muted);
  ImGui::TextWrapped("Unseen tokens at d_emb = %d: without b the test loss ends at %s (chance log V = %s), %s %% "
                     "copied; with b·I it ends at %s, %s %% copied (b = %s learned from 0)%s.",
                     sweep.embeddings[last], formatNumber(sweep.plain[last].testLoss.back(), 3).c_str(),
                     formatNumber(logV, 3).c_str(), formatNumber(100 * sweep.plain[last].testAccuracy.back(), 3).c_str(),
                     formatNumber(sweep.identity[last].testLoss.back(), 3).c_str(),
                     formatNumber(100 * sweep.identity[last].testAccuracy.back(), 3).c_str(),
                     formatNumber(sweep.identity[last].b.back(), 3).c_str(),
                     sameCopyTask(picture->params, params_) ? "" : " — for the previous settings");
  ImGui::PopStyleColor();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const ImVec2 gap = ImGui::GetStyle().ItemSpacing;
  const float em = ImGui::GetFontSize();
  if (avail.x < 46.0f * em) {
    const float height = std::max(14.0f * em, std::floor(avail.y * 0.6f));
    DrawFigure(picture->perStep, ImVec2(avail.x, height), nullptr, exportMenu_);
    DrawFigure(picture->width, ImVec2(avail.x, height), nullptr, exportMenu_);
    return;
  }
  const float left = std::floor((avail.x - gap.x) * 0.58f);
  DrawFigure(picture->perStep, ImVec2(left, avail.y), nullptr, exportMenu_);
  ImGui::SameLine(0.0f, gap.x);
  DrawFigure(picture->width, ImVec2(avail.x - left - gap.x, avail.y), nullptr, exportMenu_);
}

}  // namespace attnlab::gui
