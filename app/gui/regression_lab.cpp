// [SECTION] jobs: what to recompute, and what the status bar says
// [SECTION] the parameter panel
// [SECTION] plots: layout, the landscape, the surface
#include "app/gui/regression_lab.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/gui/figure_view.hpp"
#include "app/gui/plot.hpp"
#include "core/labs/regression_figures.hpp"
#include "app/gui/widgets.hpp"
#include "core/errors.hpp"
#include "core/figure/ticks.hpp"

namespace attnlab::gui {
namespace {

const char* kindFormula(Kind kind) {
  switch (kind) {
    case Kind::Linear: return "L(x) = ½‖Ax − b‖²";
    case Kind::Exp: return "L(x) = ½‖exp(Ax) − b‖²";
    case Kind::Softmax: return "L(x) = ½‖f(x) − b‖²,   f(x) = softmax(Ax) = exp(Ax) / ⟨exp(Ax), 1⟩";
    case Kind::Rescaled: return "L(x) = ½‖exp(Ax) − α(x)·b‖²,   α(x) = ⟨exp(Ax), 1⟩";
    case Kind::CrossEntropy: return "L(x) = −⟨b, log f(x)⟩,   f(x) = softmax(Ax)";
    case Kind::InfoPrompt: return "L(x) = ½‖f(x) − b‖² − ⟨b, log f(x)⟩ + ½‖diag(w)·Ax‖²";
    case Kind::AttentionNormalized: return "L(X) = ½‖D(X)⁻¹ exp(A₁XA₂ᵀ) − B‖²_F,   D(X) = diag(exp(A₁XA₂ᵀ)·1)";
    case Kind::AttentionRescaled: return "L(X) = ½‖exp(A₁XA₂ᵀ) − D(X)·B‖²_F,   D(X) = diag(exp(A₁XA₂ᵀ)·1)";
  }
  return "";
}

std::string jobName(const RegressionParams& p) {
  return "Regression: " + std::string(kindName(p.kind)) +
         (p.source == DataSource::File ? " from file" : ", n = " + std::to_string(p.n) + ", d = " + std::to_string(p.d));
}

ImU32 solverU32(SolverId id, Theme theme) { return toU32(seriesColor(theme, solverIndex(id))); }

// The picture's isolines and colour range in the shaders' terms.
HeatmapStyle heatmapStyle(const LandscapePicture& picture, const UiPalette& ui) {
  HeatmapStyle style;
  const bool log = picture.params.colorScale == Scale::Log10;
  style.scale = log ? ValueScale::Log : ValueScale::Linear;
  style.lo = static_cast<float>(toScale(picture.params.colorScale, picture.valueRange.min));
  style.hi = static_cast<float>(toScale(picture.params.colorScale, picture.valueRange.max));
  style.levels = picture.levels;
  style.contourColor = ui.isoline;
  const Rgba noData = kNoDataColor;
  style.noDataColor = {noData.r, noData.g, noData.b, noData.a};
  return style;
}

// A path in grid-extent coordinates ((0,0) the first grid point, (1,1) the last).
SurfacePath surfacePath(const SolverRun& run, const LandscapeResult& landscape, Theme theme) {
  SurfacePath path;
  const double s0 = landscape.s(0), s1 = landscape.s(landscape.s.size() - 1);
  const double t0 = landscape.t(0), t1 = landscape.t(landscape.t.size() - 1);
  for (const TrajectoryPoint& q : run.onPlane) {
    const double u = (q.s - s0) / (s1 - s0), v = (q.t - t0) / (t1 - t0);
    // As on the heatmap, a diverging run is drawn until it leaves the grid's neighbourhood.
    if (!(u >= -0.25 && u <= 1.25 && v >= -0.25 && v <= 1.25)) break;
    path.points.emplace_back(static_cast<float>(u), static_cast<float>(v));
  }
  const Rgba c = seriesColor(theme, solverIndex(run.id));
  path.color = {c.r, c.g, c.b, 1.0f};
  return path;
}

// "✓ 5 steps" after a solver's checkbox: how its run ended, at a glance (details on hover).
void drawRunSummary(const SolverRun& run, const FontSet& fonts, const UiPalette& ui) {
  char text[64];
  const char* steps = run.iterations == 1 ? "step" : "steps";
  switch (run.status) {
    case Status::Success: std::snprintf(text, sizeof text, "✓ %d %s", run.iterations, steps); break;
    case Status::NoConvergence: std::snprintf(text, sizeof text, "%d %s", run.iterations, steps); break;
    case Status::NumericalIssue: std::snprintf(text, sizeof text, "✗ overflow at %d", run.iterations); break;
    default: std::snprintf(text, sizeof text, "%s", std::string(statusName(run.status)).c_str()); break;
  }
  const float after = ImGui::GetItemRectMax().x - ImGui::GetWindowPos().x + ImGui::GetStyle().ItemSpacing.x;
  ImGui::PushFont(fonts.small);
  const float width = ImGui::CalcTextSize(text).x;
  ImGui::SameLine(std::max(after, ImGui::GetWindowContentRegionMax().x - width));
  ImGui::AlignTextToFramePadding();
  ImGui::PushStyleColor(ImGuiCol_Text, run.status == Status::NumericalIssue ? ui.error : ui.muted);
  ImGui::TextUnformatted(text);
  ImGui::PopStyleColor();
  ImGui::PopFont();
}

}  // namespace

RegressionLab::RegressionLab(WorkerPool& pool, RegressionParams params, Theme theme, OrbitCamera camera)
    : pool_(pool), params_(std::move(params)), problemFileInput_(params_.problemFile), camera_(camera) {
  update(theme);
}

RegressionLab::~RegressionLab() { slot_.cancel(); }

void RegressionLab::releaseGpu() {
  heatmap_.reset();
  surface_.reset();
  uploadedPicture_ = 0;
}

// [SECTION] jobs: what to recompute, and what the status bar says

// Only what the change invalidated is recomputed: the solve survives a grid or view
// change, and a finished landscape survives a view change.
Reuse RegressionLab::reusable() const {
  Reuse reuse;
  const auto solve = snapshots_->solve.latest();
  if (!solve || !sameSolve(solve->params, params_)) return reuse;
  reuse.solve = solve;
  const auto picture = snapshots_->picture.latest();
  if (picture && !picture->coarse && sameLandscape(picture->params, params_) && sameSolve(picture->solve->params, params_))
    reuse.landscape = picture->landscape;
  return reuse;
}

void RegressionLab::update(Theme theme) {
  noteFinishedJob();
  if (submitted_ && *submitted_ == params_ && submittedTheme_ == theme) return;
  try {
    validate(params_);
  } catch (const InputError& e) {
    message_ = e.what();
    messageIsError_ = true;
    submitted_ = params_;  // do not retry every frame; the next edit tries again
    submittedTheme_ = theme;
    return;
  }
  slot_.restart(pool_, jobName(params_), regressionJob(params_, theme, reusable(), pool_, snapshots_));
  submitted_ = params_;
  submittedTheme_ = theme;
  submittedAt_ = std::chrono::steady_clock::now();
  finishedNoted_ = false;
}

// Once per job: its outcome becomes the status bar's message (an error stays until a job
// succeeds; the last good picture stays on screen meanwhile).
void RegressionLab::noteFinishedJob() {
  const auto job = slot_.current();
  if (finishedNoted_ || !job || !job->done()) return;
  finishedNoted_ = true;
  const Status status = job->status().value_or(Status::Success);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - submittedAt_).count();
  if (status == Status::Success) {
    char text[96];
    std::snprintf(text, sizeof text, "Ready — computed in %.2f s", seconds);
    message_ = text;
    messageIsError_ = false;
  } else if (status == Status::Cancelled) {
    message_ = "Cancelled — the picture shows the last finished stage";
    messageIsError_ = false;
  } else {
    message_ = job->errorMessage().empty() ? std::string(statusName(status)) : job->errorMessage();
    messageIsError_ = true;
  }
}

bool RegressionLab::idle() const {
  return !busy() && submitted_.has_value() && *submitted_ == params_;
}

StatusInfo RegressionLab::status() const {
  StatusInfo info;
  const auto job = slot_.current();
  if (job && !job->done()) info.job = job;
  info.message = message_;
  info.error = messageIsError_;
  return info;
}

// [SECTION] the parameter panel

void RegressionLab::drawParameters(const LabContext& context) {
  drawProblemSection(context);
  drawSolverSection(context);
  drawLandscapeSection(context);
  drawViewSection(context);
}

void RegressionLab::drawProblemSection(const LabContext& context) {
  RegressionParams& p = params_;
  sectionHeading("Problem", context.fonts->bold);
  comboOf("kind", p.kind, kAllKinds, kindName, kindFormula(p.kind));

  formLabel("data");
  int source = p.source == DataSource::Generated ? 0 : 1;
  if (ImGui::RadioButton("generate", &source, 0)) p.source = DataSource::Generated;
  ImGui::SameLine();
  if (ImGui::RadioButton("from file", &source, 1)) p.source = DataSource::File;

  if (p.source == DataSource::Generated) {
    const bool attention = isAttentionKind(p.kind);
    sliderInt("n", p.n, 2, attention ? kMaxAttentionN : kMaxN, true, "Rows of A (tokens): the data points.");
    sliderInt("d", p.d, attention ? 1 : 2, attention ? kMaxAttentionD : kMaxD, true,
              attention ? "Columns of A₁, A₂; the parameter X is d×d." : "Columns of A: the number of parameters.");
    sliderDouble("R", p.R, 0.1, 100.0, "%.3g", true, "Spectral norm ‖A‖ = R: larger R, sharper softmax.");
    seedField("seed", p.seed, "The same seed draws the same instance on every machine.");
    sliderDouble("noise", p.noise, 0.0, 1.0, "%.3g", false, "Gaussian noise added to the target b (then renormalised).");
    sliderDouble("‖x₀‖", p.startRadius, 0.0, 10.0, "%.3g", false, "Distance of the start point x₀ from the origin.");
  } else {
    formLabel("file", "A problem JSON (cli.md, \"Problems\"): A and b inline or as .npy / .csv paths.");
    const float load = ImGui::CalcTextSize("Load").x + ImGui::GetStyle().FramePadding.x * 2.0f;
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - load - ImGui::GetStyle().ItemInnerSpacing.x);
    char buffer[1024];
    std::snprintf(buffer, sizeof buffer, "%s", problemFileInput_.c_str());
    const bool entered = ImGui::InputText("##file", buffer, sizeof buffer, ImGuiInputTextFlags_EnterReturnsTrue);
    problemFileInput_ = buffer;
    ImGui::SameLine(0.0f, ImGui::GetStyle().ItemInnerSpacing.x);
    if (ImGui::Button("Load") || entered) p.problemFile = problemFileInput_;
    if (messageIsError_ && !message_.empty()) {
      ImGui::PushStyleColor(ImGuiCol_Text, context.ui->error);
      ImGui::TextWrapped("%s", message_.c_str());
      ImGui::PopStyleColor();
    }
  }
  sliderDouble("ridge l2", p.l2, 0.0, 100.0, "%.3g", true, "Adds ½·l2·‖x‖² to the loss.");
}

void RegressionLab::drawSolverSection(const LabContext& context) {
  RegressionParams& p = params_;
  sectionHeading("Solvers", context.fonts->bold);
  const auto solve = snapshots_->solve.latest();
  const bool current = solve && sameSolve(solve->params, p);
  for (SolverId id : kAllSolvers) {
    colorSwatch(solverU32(id, context.theme));
    bool on = p.solvers[solverIndex(id)];
    if (ImGui::Checkbox(std::string(solverTitle(id)).c_str(), &on)) p.solvers[solverIndex(id)] = on;
    if (!current) continue;
    for (const SolverRun& run : solve->runs) {
      if (run.id != id) continue;
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", run.detail.c_str());
      drawRunSummary(run, *context.fonts, *context.ui);
    }
  }
  sliderDouble("step size η", p.stepSize, 1e-4, 1e3, "%.3g", true,
               "Gradient descent and momentum: x ← x − η∇L(x). Newton takes its own steps.");
  sliderDouble("momentum β", p.beta, 0.0, 0.99, "%.2f", false, "Heavy ball: v ← βv − η∇L(x), x ← x + v.");
  sliderInt("steps", p.steps, 1, kMaxSteps, true, "Iteration budget of every solver.");
  sliderDouble("tolerance", p.tolerance, 1e-14, 1e-2, "%.0e", true, "Stop when ‖∇L(x)‖ ≤ tolerance.");
}

void RegressionLab::drawLandscapeSection(const LabContext& context) {
  RegressionParams& p = params_;
  sectionHeading("Landscape", context.fonts->bold);
  const bool trueSurface = p.source == DataSource::Generated && isTrueSurface(p);
  if (trueSurface) {
    ImGui::PushStyleColor(ImGuiCol_Text, context.ui->muted);
    ImGui::TextWrapped("Two parameters: the picture is the loss itself, over the whole plane.");
    ImGui::PopStyleColor();
  } else {
    constexpr std::array<PlaneKind, 3> planes = {PlaneKind::Pca, PlaneKind::Random, PlaneKind::Axes};
    comboOf("plane", p.plane, planes, planeName,
            "pca: the top two principal directions of a trajectory (Li et al. 2018) — the plane that "
            "holds it best.\nrandom: two Gaussian directions scaled to ‖x₀‖ (filter normalisation).\n"
            "axes: two coordinates.\nEvery plane passes through the start point x₀.");
    if (p.plane == PlaneKind::Pca) comboOf("of", p.pcaSolver, kAllSolvers, solverTitle, "Whose trajectory spans the plane.");
    if (p.plane == PlaneKind::Random) seedField("plane seed", p.planeSeed);
    if (p.plane == PlaneKind::Axes) {
      const int last = std::max(1, parameterCount(p) - 1);
      sliderInt("axis 1", p.axisI, 0, last, false, "Coordinates count from 0 here; the plot names them x₁, x₂, …");
      sliderInt("axis 2", p.axisJ, 0, last, false);
    }
  }
  sliderInt("grid", p.gridPoints, kMinGrid, kMaxGrid, true,
            "N×N points. A coarse preview appears at once, the full grid follows.");
}

void RegressionLab::drawViewSection(const LabContext& context) {
  RegressionParams& p = params_;
  sectionHeading("View", context.fonts->bold);
  constexpr std::array<Colormap, 3> maps = {Colormap::Viridis, Colormap::Cividis, Colormap::Magma};
  comboOf("colormap", p.colormap, maps, colormapName, "Perceptually uniform: equal steps in value look equal.");
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + ImGui::GetFontSize() * 7.6f);
  plot::ColormapPreview("##preview", p.colormap, ImVec2(-1.0f, ImGui::GetFontSize() * 0.7f));
  formLabel("colour by", "log: equal ratios of the loss take equal colour steps — the valley floor shows.");
  int log = p.colorScale == Scale::Log10 ? 1 : 0;
  if (ImGui::RadioButton("log L", &log, 1)) p.colorScale = Scale::Log10;
  ImGui::SameLine();
  if (ImGui::RadioButton("L", &log, 0)) p.colorScale = Scale::Linear;
  sliderInt("isolines", p.contourLevels, 0, 20, false, "About this many labelled contour levels.");
}

// [SECTION] plots: layout, the landscape, the surface

void RegressionLab::draw(const LabContext& context) {
  update(context.theme);
  const float panelWidth = ImGui::GetFontSize() * 21.0f;
  // A denser form than the rest of the window, so more of it fits without scrolling.
  const ImGuiStyle& style = ImGui::GetStyle();
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(style.ItemSpacing.x, std::floor(style.ItemSpacing.y * 0.6f)));
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(style.FramePadding.x, std::floor(style.FramePadding.y * 0.75f)));
  ImGui::BeginChild("##parameters", ImVec2(panelWidth, 0.0f), true);
  drawParameters(context);
  ImGui::EndChild();
  ImGui::PopStyleVar(2);
  ImGui::SameLine();
  ImGui::BeginChild("##plots", ImVec2(0.0f, 0.0f), false, ImGuiWindowFlags_NoScrollbar);
  drawPlots(context);
  ImGui::EndChild();
}

void RegressionLab::uploadHeatmap(const LandscapePicture& picture) {
  if (!heatmap_) heatmap_.emplace();
  const int cols = static_cast<int>(picture.landscape->loss.cols());
  const int rows = static_cast<int>(picture.landscape->loss.rows());
  heatmap_->setGrid(cols, rows, picture.values);
}

void RegressionLab::uploadSurface(const LandscapePicture& picture) {
  if (!surface_) surface_.emplace();
  const int cols = static_cast<int>(picture.landscape->loss.cols());
  const int rows = static_cast<int>(picture.landscape->loss.rows());
  surface_->setGrid(cols, rows, picture.values);
  std::vector<SurfacePath> paths;
  for (const SolverRun& run : picture.solve->runs) paths.push_back(surfacePath(run, *picture.landscape, picture.theme));
  surface_->setPaths(std::move(paths));
}

void RegressionLab::drawPlots(const LabContext& context) {
  const auto versioned = snapshots_->picture.read();
  const auto solve = snapshots_->solve.latest();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  if (!versioned.value || !solve) {
    centredText("Computing the first landscape…", avail);
    return;
  }
  plotsFrame_ = ImGui::GetFrameCount();
  // A new picture reaches the heatmap at once and the 3-D view a frame later (which then
  // draws it over its bands): each frame uploads one grid, not two.
  if (versioned.version != uploadedPicture_) {
    uploadHeatmap(*versioned.value);
    uploadedPicture_ = versioned.version;
    shown_ = versioned.value;
    if (!surfaceShown_) {
      uploadSurface(*shown_);
      surfaceShown_ = shown_;
    }
  } else if (surfaceShown_ != shown_) {
    uploadSurface(*shown_);
    surfaceShown_ = shown_;
  }
  const LandscapePicture& picture = *shown_;
  // Two rows: the landscape (square, with its colorbar) beside the 3-D surface; under
  // them the curves, and on a plane that is not the whole space the distances from it.
  const ImVec2 gap = ImGui::GetStyle().ItemSpacing;
  const float topHeight = std::floor(avail.y * 0.62f);
  const float bottomHeight = avail.y - topHeight - gap.y;
  // Wide enough for a square plot area beside its axis labels and colorbar.
  const float landscapeWidth = std::floor(std::min(avail.x * 0.56f, topHeight + ImGui::GetFontSize() * 7.5f));
  drawLandscape(picture, ImVec2(landscapeWidth, topHeight), context);
  ImGui::SameLine(0.0f, gap.x);
  drawSurface(*surfaceShown_, ImVec2(ImGui::GetContentRegionAvail().x, topHeight), context);

  const bool showDistance = !solve->trueSurface;
  const float count = showDistance ? 3.0f : 2.0f;
  const float curveWidth = std::floor((avail.x - gap.x * (count - 1.0f)) / count);
  DrawFigure(solve->figures.loss, ImVec2(curveWidth, bottomHeight), nullptr, context.exportMenu);
  ImGui::SameLine(0.0f, gap.x);
  DrawFigure(solve->figures.gradNorm, ImVec2(showDistance ? curveWidth : ImGui::GetContentRegionAvail().x, bottomHeight),
             nullptr, context.exportMenu);
  if (showDistance) {
    ImGui::SameLine(0.0f, gap.x);
    DrawFigure(solve->figures.distance, ImVec2(ImGui::GetContentRegionAvail().x, bottomHeight), nullptr, context.exportMenu);
  }
}

// The figure through the plot layer, its heatmap rendered by the GPU: only the visible
// part of the grid, at the plot's pixel size, so zooming in stays sharp.
void RegressionLab::drawLandscape(const LandscapePicture& picture, ImVec2 size, const LabContext& context) {
  const UiPalette& ui = uiPalette(picture.theme);
  FigureTextures textures;
  textures.heatmap = [&](std::size_t, const HeatmapSeries& series, const plot::PlotLimits& view, ImVec2 pixels) {
    HeatmapImage image;
    const double x0 = std::max(view.x.min, series.x.min), x1 = std::min(view.x.max, series.x.max);
    const double y0 = std::max(view.y.min, series.y.min), y1 = std::min(view.y.max, series.y.max);
    if (!(x1 > x0 && y1 > y0)) return image;  // out of view: the plot layer draws nothing
    HeatmapStyle style = heatmapStyle(picture, ui);
    style.uvRect = {static_cast<float>((x0 - series.x.min) / series.x.span()),
                    static_cast<float>((y0 - series.y.min) / series.y.span()),
                    static_cast<float>((x1 - series.x.min) / series.x.span()),
                    static_cast<float>((y1 - series.y.min) / series.y.span())};
    const int w = std::max(1, static_cast<int>(std::lround(pixels.x * (x1 - x0) / view.x.span())));
    const int h = std::max(1, static_cast<int>(std::lround(pixels.y * (y1 - y0) / view.y.span())));
    heatmap_->colormap().upload(picture.params.colormap);
    image.texture = heatmap_->render(w, h, style);
    image.min = {x0, y0};
    image.max = {x1, y1};
    return image;
  };
  DrawFigure(picture.figure, size, &textures, context.exportMenu);
}

SurfaceStyle RegressionLab::surfaceStyle(const LandscapePicture& picture, const LabContext& context) const {
  const HeatmapStyle h = heatmapStyle(picture, *context.ui);
  const ThemePalette& palette = themePalette(context.theme);
  SurfaceStyle style;
  style.scale = h.scale;
  style.lo = h.lo;
  style.hi = h.hi;
  style.levels = h.levels;
  style.contourColor = {context.ui->isoline[0], context.ui->isoline[1], context.ui->isoline[2], 0.35f};
  style.background = {palette.plotBackground.r, palette.plotBackground.g, palette.plotBackground.b, 1.0f};
  style.boxColor = {palette.axis.r, palette.axis.g, palette.axis.b, 0.5f};
  style.lineWidth = 2.5f * plot::GetPixelScale();
  return style;
}

// The 3-D view: drag to turn, scroll to zoom, double-click to reset.
void RegressionLab::drawSurface(const LandscapePicture& picture, ImVec2 size, const LabContext& context) {
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("##surface", size);
  if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 0.0f)) {
    const ImVec2 delta = ImGui::GetIO().MouseDelta;
    camera_.rotate(-delta.x * 0.4f, delta.y * 0.4f);
  }
  if (ImGui::IsItemHovered()) {
    const float wheel = ImGui::GetIO().MouseWheel;
    if (wheel != 0.0f) camera_.zoom(std::pow(0.9f, wheel));
    if (ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) camera_ = OrbitCamera{};
  }
  surface_->colormap().upload(picture.params.colormap);
  const int w = std::max(1, static_cast<int>(size.x)), h = std::max(1, static_cast<int>(size.y));
  void* texture = surface_->render(w, h, camera_, surfaceStyle(picture, context));
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddImage(texture, origin, ImVec2(origin.x + size.x, origin.y + size.y), ImVec2(0, 1), ImVec2(1, 0));
  draw->AddRect(origin, ImVec2(origin.x + size.x, origin.y + size.y), toU32(themePalette(context.theme).axis));
  drawSurfaceLabels(picture, origin, context);
}

// Axis names at the box's edges, projected with the camera of the last render, and the
// hints for the mouse.
void RegressionLab::drawSurfaceLabels(const LandscapePicture& picture, ImVec2 origin, const LabContext& context) {
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImU32 text = toU32(themePalette(context.theme).text);
  const Figure& f = picture.figure;
  const float height = surfaceStyle(picture, context).height;
  const auto label = [&](const Eigen::Vector3f& at, const std::string& name) {
    if (const auto p = surface_->project(at)) {
      const ImVec2 size = ImGui::CalcTextSize(name.c_str());
      draw->AddText(ImVec2(origin.x + p->x() - size.x / 2, origin.y + p->y() - size.y / 2), text, name.c_str());
    }
  };
  // Each floor axis is named beside the box edge nearest the camera; the height beside the
  // vertical edge furthest left on screen.
  const float yaw = camera_.yaw * 3.14159265f / 180.0f;
  const float sx = std::sin(yaw) >= 0.0f ? 1.0f : -1.0f, sy = -std::cos(yaw) >= 0.0f ? 1.0f : -1.0f;
  label({0.0f, 1.3f * sy, 0.0f}, f.x.label);
  label({1.3f * sx, 0.0f, 0.0f}, f.y.label);
  std::optional<Eigen::Vector2f> left;
  for (float cx : {-1.0f, 1.0f})
    for (float cy : {-1.0f, 1.0f})
      if (const auto p = surface_->project({cx, cy, height * 0.5f}); p && (!left || p->x() < left->x())) left = p;
  if (left) {
    const char* name = picture.params.colorScale == Scale::Log10 ? "log₁₀ L" : "L";
    const ImVec2 size = ImGui::CalcTextSize(name);
    draw->AddText(ImVec2(origin.x + std::max(4.0f, left->x() - size.x - 8.0f), origin.y + left->y() - size.y / 2), text,
                  name);
  }
  ImGui::PushFont(context.fonts->small);
  const char* hint = "drag to turn · scroll to zoom · double-click to reset";
  const ImVec2 hs = ImGui::CalcTextSize(hint);
  const ImVec2 size = ImGui::GetItemRectSize();
  draw->AddText(ImVec2(origin.x + size.x - hs.x - 6, origin.y + size.y - hs.y - 4), context.ui->muted, hint);
  draw->AddText(context.fonts->bold, context.fonts->bold->FontSize, ImVec2(origin.x + 8, origin.y + 6), text, "Surface");
  draw->AddText(ImVec2(origin.x + 8, origin.y + 10 + context.fonts->bold->FontSize), context.ui->muted,
                picture.params.colorScale == Scale::Log10 ? "height: log₁₀ L(x) over the same plane" : "height: L(x) over the same plane");
  ImGui::PopFont();
}

}  // namespace attnlab::gui
