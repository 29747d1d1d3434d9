// [SECTION] jobs: what to recompute, and what the status bar says
// [SECTION] the parameter panel
// [SECTION] plots
#include "app/gui/bounds_lab.hpp"

#include <imgui.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <string>
#include <variant>
#include <vector>

#include "app/gui/figure_view.hpp"
#include "app/gui/legend_strip.hpp"
#include "app/gui/plot.hpp"
#include "app/gui/widgets.hpp"
#include "core/errors.hpp"
#include "core/figure/ticks.hpp"

namespace attnlab::gui {
namespace {

constexpr std::array<Kind, 6> kVectorKinds = {Kind::Linear,   Kind::Exp,          Kind::Softmax,
                                              Kind::Rescaled, Kind::CrossEntropy, Kind::InfoPrompt};
constexpr std::array<AttentionUpdate, 3> kUpdates = {AttentionUpdate::Gradient, AttentionUpdate::LinearSelfAttention,
                                                     AttentionUpdate::Random};
constexpr std::array<SweepAxis, 3> kSweepAxes = {SweepAxis::R, SweepAxis::N, SweepAxis::StepSize};

std::string_view updateTitle(AttentionUpdate u) {
  switch (u) {
    case AttentionUpdate::Gradient: return "gd: gradient step on A";
    case AttentionUpdate::LinearSelfAttention: return "lsa: linear self-attention";
    case AttentionUpdate::Random: return "random: ‖G‖ = s";
  }
  return "";
}

std::string_view sweepAxisTitle(SweepAxis a) {
  switch (a) {
    case SweepAxis::R: return "R (‖A‖ = ‖x₀‖)";
    case SweepAxis::N: return "n (rows of A)";
    case SweepAxis::StepSize: return "step size η (and s)";
  }
  return "";
}

std::string jobName(const BoundsLabParams& p) {
  return "Bounds: " + std::string(kindName(p.kind)) + ", n = " + std::to_string(p.n) + ", " +
         (p.shift == Shift::Weight ? "weight shift" : "data shift");
}

// The "(?)" beside each bound's legend entry: its statement and source and — where the
// paper's printed statement is used — the erratum of math.md, one hover away.
const char* boundHelp(const std::string& label) {
  namespace L = bounds_labels;
  if (label == L::kPart1)
    return "‖δb,1‖ ≤ 2β⁻² n¹·⁵ R exp(2R²)·‖Δ‖ — 000 Lemma 5.5 / 7.5, Part 1.\n\n"
           "Erratum (math.md): the printed statement drops the factor R; its proof has it. "
           "Plotted with R.";
  if (label == L::kPart2)
    return "‖δb,2‖ ≤ 2β⁻¹ √n R exp(R²)·‖Δ‖ — 000 Lemma 5.5 / 7.5, Part 2.\n\n"
           "Erratum (math.md): the proof writes exp(2R²) where the statement's exp(R²) is right. "
           "Plotted with exp(R²).";
  if (label == L::kLemma)
    return "‖δb‖ ≤ 4β⁻² n¹·⁵ R exp(2R²)·‖Δ‖ — 000 Lemma 5.5 / 7.5, Part 3, as printed.\n\n"
           "Erratum (math.md): §5.1 prints x_{t+1} = x_t + η·g; gradient descent subtracts, and so does the lab.";
  if (label == L::kTheorem)
    return "‖b̃ − b‖² ≤ M·‖Δx‖² (Thm 8.1),  ‖b̂ − b‖² ≤ M·‖ΔA‖ (Thm 8.2),  M = n¹·⁵ exp(10R²).\n"
           "The bounds plot draws √ of the right side against ‖δb‖; the slack plots compare the right "
           "side with ‖δb‖².\n\n"
           "Erratum (math.md): Thm 8.1 squares ‖b̃ − b‖ but its proof chains Lemma 5.5, which bounds the "
           "unsquared norm: the printed inequality does not follow for large n (the chain breaks for "
           "n > 4.6·10⁷ at R = 4). It is still true, through the sharp bound: ‖δb‖² ≤ (R²/4)‖Δ‖² ≤ M‖Δ‖². "
           "Thm 8.2 mixes a squared left side with an unsquared ‖ΔA‖; plotted as printed.";
  if (label == L::kSharp)
    return "‖δb‖ ≤ ½‖A‖·‖Δx‖ (weight shift) or ½‖ΔA·x‖ (data shift).\n\n"
           "Not in the paper: the softmax Jacobian has spectral norm ≤ ½. It needs no hypotheses.";
  if (label == L::kMeasured)
    return "δb = f(x_{t+1}) − f(x_t), or f_{A_{t+1}}(x) − f_{A_t}(x): how far one step moves the "
           "prediction. β = min(α_t, α_{t+1}), α = ⟨exp(Ax), 1⟩.";
  if (label == L::kFailStep || label == L::kFailR || label == L::kFailA || label == L::kFailX)
    return "At these steps a hypothesis of Lemma 5.5 / 7.5 fails: the bounds are drawn but not "
           "guaranteed. Hover a marker for the numbers.";
  return nullptr;
}

// The label of the same bound on the slack and sweep figures (they name bounds shortly).
std::string slackLabelOf(const std::string& label) {
  namespace L = bounds_labels;
  if (label == L::kPart1) return "Part 1";
  if (label == L::kPart2) return "Part 2";
  if (label == L::kLemma) return "lemma";
  if (label == L::kTheorem) return "theorem (vs ‖δb‖²)";
  if (label == L::kSharp) return "sharp";
  return label;
}

// The figure without the series the legend strip hid — the view then fits what is left, so
// hiding the theorem's line brings the others into focus. On the slack and sweep figures,
// markers sitting on a hidden line (the sweep's rings) go with it.
Figure withoutHidden(Figure figure, const std::set<std::string>& hidden, bool slackLabels) {
  if (hidden.empty()) return figure;
  const auto isHidden = [&](const std::string& label) {
    for (const std::string& h : hidden)
      if (label == (slackLabels ? slackLabelOf(h) : h)) return true;
    return false;
  };
  std::vector<std::pair<double, double>> hiddenPoints;
  for (const Series& s : figure.series)
    if (const auto* l = std::get_if<LineSeries>(&s); l && isHidden(l->label))
      for (std::size_t i = 0; i < l->xs.size(); ++i) hiddenPoints.emplace_back(l->xs[i], l->ys[i]);
  std::vector<Series> kept;
  for (Series& s : figure.series) {
    if (isHidden(seriesLabel(s))) continue;
    if (auto* m = std::get_if<MarkerSeries>(&s); m && slackLabels) {
      MarkerSeries left = *m;
      left.xs.clear();
      left.ys.clear();
      for (std::size_t i = 0; i < m->xs.size(); ++i)
        if (std::find(hiddenPoints.begin(), hiddenPoints.end(), std::make_pair(m->xs[i], m->ys[i])) ==
            hiddenPoints.end()) {
          left.xs.push_back(m->xs[i]);
          left.ys.push_back(m->ys[i]);
        }
      kept.push_back(std::move(left));
      continue;
    }
    kept.push_back(std::move(s));
  }
  figure.series = std::move(kept);
  return figure;
}

// The failing step nearest the mouse on the bounds figure, within reach; null if none.
const StepBounds* hoveredFailure(const BoundsResult& run) {
  if (!plot::IsPlotHovered()) return nullptr;
  const ImVec2 m = ImGui::GetIO().MousePos;
  const float reach = 10.0f * plot::GetPixelScale();
  const StepBounds* best = nullptr;
  float bestDistance2 = reach * reach;
  for (const StepBounds& s : run.steps) {
    if (s.hypotheses.all()) continue;
    const ImVec2 p = plot::PlotToPixels(static_cast<double>(s.t), markerHeight(run, s));
    const float d2 = (p.x - m.x) * (p.x - m.x) + (p.y - m.y) * (p.y - m.y);
    if (d2 <= bestDistance2) {
      bestDistance2 = d2;
      best = &s;
    }
  }
  return best;
}

}  // namespace

// The plot's own read-out (the nearest point's values) follows these lines in the same tooltip.
bool failureTooltip(const BoundsResult& run) {
  const StepBounds* step = hoveredFailure(run);
  if (!step) return false;
  ImGui::BeginTooltip();
  ImGui::Text("Step t = %lld: the bounds are not guaranteed", step->t);
  for (const std::string& why : failedHypotheses(*step, run.R, run.shift)) ImGui::BulletText("%s", why.c_str());
  ImGui::Separator();
  ImGui::EndTooltip();
  return true;
}

BoundsLab::BoundsLab(WorkerPool& pool, BoundsLabParams params, Theme theme)
    : pool_(pool), params_(std::move(params)), theme_(theme), sweepValuesInput_(formatSweepValues(params_.sweepValues)) {}

BoundsLab::~BoundsLab() { cancel(); }

// [SECTION] jobs: what to recompute, and what the status bar says

void BoundsLab::update(Theme theme) {
  theme_ = theme;
  runs_.noteFinished("runs", message_);
  sweep_.noteFinished("sweep", message_);
  const bool runs = !runs_.current(params_, theme), sweep = !sweep_.current(params_, theme);
  if (!runs && !sweep) return;
  try {
    validate(params_);
  } catch (const InputError& e) {
    message_ = {e.what(), true};
    runs_.refuse(params_, theme);  // do not retry every frame; the next edit tries again
    sweep_.refuse(params_, theme);
    return;
  }
  if (runs)
    runs_.restart(pool_, jobName(params_), boundsRunsJob(params_, theme, snapshots_->runs.latest(), snapshots_), params_,
                  theme);
  if (sweep)
    sweep_.restart(pool_, "Slack sweep over " + std::string(sweepAxisName(params_.sweepAxis)),
                   slackSweepJob(params_, theme, snapshots_->sweep.latest(), pool_, snapshots_), params_, theme);
}

bool BoundsLab::idle() const {
  if (!runs_.started() && !sweep_.started()) return true;  // never asked to compute (the tab was not opened)
  return !busy() && runs_.current(params_, theme_) && sweep_.current(params_, theme_);
}

void BoundsLab::cancel() {
  runs_.cancel();
  sweep_.cancel();
}

StatusInfo BoundsLab::status() const {
  StatusInfo info;
  info.job = runs_.running() ? runs_.running() : sweep_.running();
  info.message = message_.text;
  info.error = message_.error;
  return info;
}

void BoundsLab::applyJson(const nlohmann::json& json) {
  params_ = boundsParamsFromJson(json, params_);
  sweepValuesInput_ = formatSweepValues(params_.sweepValues);
}

// [SECTION] the parameter panel

void BoundsLab::drawParameters(const LabContext& context) {
  drawProblemSection(context);
  drawShiftSection(context);
  drawSweepSection(context);
}

void BoundsLab::drawProblemSection(const LabContext& context) {
  BoundsLabParams& p = params_;
  sectionHeading("Problem", context.fonts->bold);
  comboOf("kind", p.kind, kVectorKinds, kindName,
          "The bounds concern f(x) = softmax(Ax) (the paper states them for softmax); every vector "
          "kind moves x by its own loss.");
  sliderInt("n", p.n, 1, kMaxBoundsN, true, "Rows of A: the tokens of the document.");
  sliderInt("d", p.d, 1, kMaxBoundsD, true, "Columns of A: the parameters x.");
  sliderDouble("R", p.R, 0.1, 20.0, "%.3g", false,
               "‖A‖ = ‖x₀‖ = R. The bounds grow like exp(10R²): from R ≈ 8.4 they leave double "
               "precision, which is why every bound is held as a log₁₀.");
  seedField("seed", p.seed, "Draws A, b, the start x₀ and the lsa / random updates.");
}

void BoundsLab::drawShiftSection(const LabContext& context) {
  BoundsLabParams& p = params_;
  sectionHeading("Shift", context.fonts->bold);
  formLabel("shift", "weight x: gradient descent on x (000 §5, Thm 8.1).\n"
                     "data A: x fixed, the document A moves (000 §7, Thm 8.2) — in-context learning.\n"
                     "Both run: the targets plot shows the two side by side.");
  int shift = p.shift == Shift::Weight ? 0 : 1;
  if (ImGui::RadioButton("weight x", &shift, 0)) p.shift = Shift::Weight;
  ImGui::SameLine();
  if (ImGui::RadioButton("data A", &shift, 1)) p.shift = Shift::Data;
  comboOf("data update", p.update, kUpdates, updateTitle,
          "How the data shift moves A:\n gd: A ← A − η∇_A L\n lsa: A ← A + η·(AW_V)(AW_K)ᵀ(AW_Q)/n\n"
          " random: A ← A + G, ‖G‖ = s (Gaussian, from the seed)");
  sliderDouble("lr η", p.lr, 1e-6, 100.0, "%.3g", true, "The step of gradient descent on x or A, and the lsa scale.");
  sliderInt("steps", p.steps, 1, kMaxBoundsLabSteps, true, "T steps; each is measured against every bound.");
  ImGui::BeginDisabled(p.update != AttentionUpdate::Random);
  sliderDouble("scale s", p.scale, 1e-8, 1.0, "%.2g", true, "Spectral norm of each random perturbation of A.");
  ImGui::EndDisabled();
  formLabel("R of bounds", "auto: max(4, ‖A_t‖, ‖x_t‖) over the run, so ‖A‖ ≤ R and ‖x‖ ≤ R hold.\n"
                           "Fix it to see the bounds at another R — and the hypotheses fail.");
  bool automatic = !p.fixR;
  if (ImGui::Checkbox("auto", &automatic)) p.fixR = !automatic;
  if (p.fixR) {
    ImGui::SameLine();
    ImGui::SetNextItemWidth(-1.0f);
    static constexpr double kLo = 0.5, kHi = 20.0;
    ImGui::SliderScalar("##boundsR", ImGuiDataType_Double, &p.boundsR, &kLo, &kHi, "R = %.3g");
  }
  drawRunSummary(context);
}

// What the last run says at a glance: the R the bounds used, the hypotheses, the tightest slack.
void BoundsLab::drawRunSummary(const LabContext& context) {
  const auto runs = snapshots_->runs.latest();
  if (!runs || !sameRuns(runs->params, params_)) return;
  const BoundsResult& run = runs->shown();
  const long long held = std::count_if(run.steps.begin(), run.steps.end(),
                                       [](const StepBounds& s) { return s.hypotheses.all(); });
  const BoundSlack slack = minimalSlack(run.steps);
  ImGui::PushFont(context.fonts->small);
  ImGui::PushStyleColor(ImGuiCol_Text, held == static_cast<long long>(run.steps.size()) ? context.ui->muted : context.ui->error);
  ImGui::TextWrapped("R = %s; hypotheses hold at %lld of %zu steps", formatNumber(run.R, 4).c_str(), held,
                     run.steps.size());
  ImGui::PopStyleColor();
  ImGui::PushStyleColor(ImGuiCol_Text, context.ui->muted);
  ImGui::TextWrapped("smallest slack: lemma %s, sharp %s orders of magnitude", formatNumber(slack.lemma, 3).c_str(),
                     formatNumber(slack.sharp, 3).c_str());
  ImGui::PopStyleColor();
  ImGui::PopFont();
}

void BoundsLab::drawSweepSection(const LabContext& context) {
  BoundsLabParams& p = params_;
  sectionHeading("Slack sweep", context.fonts->bold);
  if (comboOf("against", p.sweepAxis, kSweepAxes, sweepAxisTitle,
              "Each point runs the shift on `instances` seeded problems and keeps each bound's smallest "
              "slack over every instance and step: how close the bound comes to the truth.")) {
    p.sweepValues = defaultSweepValues(p.sweepAxis);
    sweepValuesInput_ = formatSweepValues(p.sweepValues);
  }
  formLabel("values", "Comma-separated; Enter applies.");
  char buffer[512];
  std::snprintf(buffer, sizeof buffer, "%s", sweepValuesInput_.c_str());
  ImGui::SetNextItemWidth(-1.0f);
  if (ImGui::InputText("##values", buffer, sizeof buffer, ImGuiInputTextFlags_EnterReturnsTrue)) {
    try {
      p.sweepValues = parseSweepValues(buffer);
    } catch (const InputError& e) {
      message_ = {e.what(), true};
    }
  }
  sweepValuesInput_ = buffer;
  sliderInt("instances", p.sweepInstances, 1, kMaxSweepInstances, true, "Seeded problems per point.");
  const auto job = sweep_.job();
  if (job && !job->done()) {
    if (ImGui::Button("Cancel sweep")) sweep_.cancel();
    ImGui::SameLine();
    ImGui::ProgressBar(static_cast<float>(job->fraction()), ImVec2(-1.0f, 0.0f));
  } else if (job && job->status() == Status::Cancelled && ImGui::Button("Run the sweep again")) {
    sweep_.forget();  // update() starts it
  }
}

// [SECTION] plots

void BoundsLab::draw(const LabContext& context) {
  exportMenu_ = context.exportMenu;
  update(context.theme);
  labColumns("bounds", [&] { drawParameters(context); }, [&] { drawPlots(context); });
}

void BoundsLab::drawPlots(const LabContext& context) {
  const auto runs = snapshots_->runs.latest();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  if (!runs) {
    centredText("Running both shifts…", avail);
    return;
  }
  const auto sweep = snapshots_->sweep.latest();
  // The figures keep their legends for export; on screen one strip under the top row names
  // every line of the bounds, slack and sweep plots (they share the colours), so no legend
  // covers a line.
  std::vector<LegendEntry> entries = legendEntries(runs->figures.bounds, context.theme);
  Figure bounds = withoutHidden(runs->figures.bounds, hidden_, false);
  Figure slack = withoutHidden(runs->figures.slack, hidden_, true);
  bounds.legend.visible = slack.legend.visible = false;
  if (sweep)
    for (LegendEntry& e : legendEntries(sweep->figure, context.theme))
      if (e.label == bounds_labels::kNotGuaranteed) entries.push_back(std::move(e));

  const ImVec2 gap = ImGui::GetStyle().ItemSpacing;
  const float em = ImGui::GetFontSize();
  const float minHeight = 14.0f * em;  // below this a plot's title, ticks and labels collide
  // Narrow (a projector's large type, a small window): one figure per row, scrolling.
  if (avail.x < 46.0f * em) {
    const float height = std::max(minHeight, std::floor(avail.y * 0.6f));
    drawBoundsFigure(*runs, bounds, ImVec2(avail.x, height));
    toggleHidden(drawLegendStrip(entries, avail.x, *context.ui, boundHelp, hidden_));
    DrawFigure(slack, ImVec2(avail.x, height), nullptr, exportMenu_);
    DrawFigure(runs->figures.targets, ImVec2(avail.x, height), nullptr, exportMenu_);
    drawSweepFigure(ImVec2(avail.x, height));
    return;
  }
  // Two rows of plots: the bounds (wide) beside the slack, the legend strip, then the
  // targets beside the sweep; scrolling only when even that leaves the plots too small.
  const float stripHeight =
      static_cast<float>(legendRows(entries, avail.x, boundHelp)) * (ImGui::GetTextLineHeight() + gap.y);
  const float plotsHeight = avail.y - stripHeight - 2.0f * gap.y;
  const float topHeight = std::max(minHeight, std::floor(plotsHeight * 0.55f));
  const float bottomHeight = std::max(minHeight, plotsHeight - topHeight);
  const float boundsWidth = std::floor(avail.x * 0.58f);
  drawBoundsFigure(*runs, bounds, ImVec2(boundsWidth, topHeight));
  ImGui::SameLine(0.0f, gap.x);
  DrawFigure(slack, ImVec2(avail.x - boundsWidth - gap.x, topHeight), nullptr, exportMenu_);
  toggleHidden(drawLegendStrip(entries, avail.x, *context.ui, boundHelp, hidden_));
  const float targetsWidth = std::floor((avail.x - gap.x) * 0.5f);
  DrawFigure(runs->figures.targets, ImVec2(targetsWidth, bottomHeight), nullptr, exportMenu_);
  ImGui::SameLine(0.0f, gap.x);
  drawSweepFigure(ImVec2(avail.x - targetsWidth - gap.x, bottomHeight));
}

// The figure, and over a step whose hypotheses fail a tooltip saying which and by how much.
void BoundsLab::drawBoundsFigure(const BoundsRuns& runs, const Figure& figure, ImVec2 size) {
  const BoundsResult& run = runs.shown();
  DrawFigure(figure, size, nullptr, exportMenu_, [&run](const Figure&) { failureTooltip(run); });
}

void BoundsLab::toggleHidden(const std::optional<std::string>& label) {
  if (!label) return;
  if (!hidden_.erase(*label)) hidden_.insert(*label);
}

void BoundsLab::drawSweepFigure(ImVec2 size) {
  const auto sweep = snapshots_->sweep.latest();
  if (!sweep) {
    centredText("Sweeping the slack…", size);
    return;
  }
  Figure figure = withoutHidden(sweep->figure, hidden_, true);
  figure.legend.visible = false;  // the strip above names its lines
  DrawFigure(figure, size, nullptr, exportMenu_);
}

}  // namespace attnlab::gui
