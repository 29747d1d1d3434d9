// [SECTION] start-up and shut-down
// [SECTION] the frame loop and the scripted flags
// [SECTION] menus and the workspace
#include "app/gui/app.hpp"

#include <imgui.h>

#include <cstdio>
#include <iostream>
#include <thread>

#include "app/gui/png_io.hpp"
#include "core/errors.hpp"

namespace attnlab::gui {
namespace {

constexpr auto kFramePeriod = std::chrono::microseconds(16667);  // 60 Hz
constexpr double kShowWithoutPictureAfter = 1.5;   // seconds: open anyway, "computing…"
constexpr double kScreenshotTimeout = 600.0;       // seconds of waiting for the jobs

Session openingSession(const WindowOptions& options) {
  return options.session ? readSession(*options.session) : Session{};
}

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

// [SECTION] start-up and shut-down

App::App(const WindowOptions& options)
    : options_(options),
      session_(openingSession(options)),
      theme_(session_.theme),
      regression_(pool_, session_.regression, session_.theme, session_.camera),
      bounds_(pool_, session_.bounds, session_.theme),
      attention_(pool_, session_.attention, session_.theme),
      templates_(pool_, session_.templates, session_.theme),
      script_(options.script ? std::optional<Script>(std::in_place, *options.script) : std::nullopt),
      window_(WindowConfig{options.width, options.height, "attnlab", true}),
      fonts_(window_.contentScale()),
      // A scripted or screenshot run never shows the restore offer: its pictures must not
      // depend on what an earlier run left behind (a script may accept it explicitly).
      sessions_(*this, SessionStore{}, options.session,
                /*offerRestore=*/!options.session && !options.script && !options.screenshot && !options.frames) {
  fonts_.setScale(session_.fontScale);
  fonts_.rebuildIfNeeded();
  applyStyle();
  selectLab(session_.lab);
}

// The bounds, attention and templates labs compute only once asked (their tab opened, or a
// session or script chose it), so the opening lesson gets both cores to itself.
void App::selectLab(LabId lab) {
  activeLab_ = lab;
  selectTab_ = true;
  if (lab == LabId::Bounds) bounds_.update(theme_);
  if (lab == LabId::Attention) attention_.update(theme_);
  if (lab == LabId::Templates) templates_.update(theme_);
}

void App::scriptSet(const nlohmann::json& params) {
  nlohmann::json fields = params;
  LabId lab = activeLab_;
  if (fields.contains("lab")) {
    const auto named = fields["lab"].is_string() ? labFromName(fields["lab"].get<std::string>()) : std::nullopt;
    if (!named) throw InputError("\"lab\" must be " + labNamesText());
    lab = *named;
    fields.erase("lab");
  }
  switch (lab) {
    case LabId::Regression: regression_.applyJson(fields); break;
    case LabId::Bounds: bounds_.applyJson(fields); break;
    case LabId::Attention: attention_.applyJson(fields); break;
    case LabId::Templates: templates_.applyJson(fields); break;
  }
  selectLab(lab);
}

StatusInfo App::activeLabStatus() const {
  switch (activeLab_) {
    case LabId::Bounds: return bounds_.status();
    case LabId::Attention: return attention_.status();
    case LabId::Templates: return templates_.status();
    case LabId::Regression: break;
  }
  return regression_.status();
}

void App::cancelActiveLab() {
  switch (activeLab_) {
    case LabId::Regression: regression_.cancel(); break;
    case LabId::Bounds: bounds_.cancel(); break;
    case LabId::Attention: attention_.cancel(); break;
    case LabId::Templates: templates_.cancel(); break;
  }
}

App::~App() { regression_.releaseGpu(); }

void App::applyStyle() {
  applyTheme(theme_, fonts_.pixelScale());
  plot::SetTheme(theme_, fonts_.pixelScale());
  const FontSet& f = fonts_.fonts();
  plot::SetFonts(plot::PlotFonts{f.bold, f.regular, f.small});
}

void App::scriptTheme(const std::string& name) {
  const auto theme = themeFromName(name);
  if (!theme) throw InputError("unknown theme '" + name + "' (light, dark, print)");
  theme_ = *theme;
  applyStyle();
}

void App::scriptView(const nlohmann::json& view) {
  OrbitCamera& camera = regression_.camera();
  if (view.contains("yaw")) camera.yaw = view["yaw"].get<float>();
  if (view.contains("pitch")) camera.pitch = view["pitch"].get<float>();
  if (view.contains("distance")) camera.distance = view["distance"].get<float>();
  camera.rotate(0.0f, 0.0f);
  camera.zoom(1.0f);
}

// [SECTION] the frame loop and the scripted flags

int App::run() {
  while (!window_.shouldClose()) {
    const auto start = std::chrono::steady_clock::now();
    frame();
    ++frames_;
    const double ms = secondsSince(start) * 1e3;
    stats_.add(ms, labsBusy());
    // The status bar shows a smoothed value: a single number that can be read.
    shownFrameMs_ = frames_ == 1 ? ms : 0.95 * shownFrameMs_ + 0.05 * ms;
    const bool hasPicture = activeLab_ == LabId::Bounds      ? bounds_.hasPicture()
                            : activeLab_ == LabId::Attention ? attention_.hasPicture()
                            : activeLab_ == LabId::Templates ? templates_.hasPicture()
                                                             : regression_.hasPicture();
    if (!window_.visible() && (hasPicture || secondsSince(started_) > kShowWithoutPictureAfter))
      window_.show();
    if (script_) script_->advance(*this);
    scheduleScreenshot();
    if (done() || screenshotFailed_) break;
    pace(start);
  }
  sessions_.onExit();
  if (options_.frameStats) printFrameStats();
  return screenshotFailed_ ? 1 : 0;
}

void App::frame() {
  window_.pollEvents();
  if (fonts_.rebuildIfNeeded()) {
    applyStyle();
    window_.repaintAll();  // a new atlas may keep the old texture's name
  }
  window_.beginFrame(/*ignoreMouse=*/options_.screenshot || options_.script);
  drawMenuBar();
  sessions_.drawModals();
  if (statusBar_.draw(statusToShow(), fonts_.fonts(), uiPalette(theme_), shownFrameMs_)) cancelActiveLab();
  drawWorkspace();
  sessions_.tick();
  if (const std::string title = sessions_.windowTitle(); title != shownTitle_) window_.setTitle(shownTitle_ = title);
  if (showPlotDemo_) plot::ShowPlotDemoWindow(&showPlotDemo_);
  window_.render(uiPalette(theme_).clear, /*complete=*/pendingScreenshot_.has_value());
  captureIfPending();
  window_.swap();
}

// --screenshot: once the script (if any) is over, the frames asked for are drawn and the
// lab has nothing left to compute, the next frame is the picture.
void App::scheduleScreenshot() {
  if (!options_.screenshot || screenshotTaken_ || pendingScreenshot_) return;
  const bool scriptOver = !script_ || script_->finished();
  const bool framesDrawn = !options_.frames || frames_ >= *options_.frames;
  if (scriptOver && framesDrawn && scriptIdle() && window_.visible()) {
    pendingScreenshot_ = *options_.screenshot;
    screenshotTaken_ = true;
    return;
  }
  if (secondsSince(started_) > kScreenshotTimeout) {
    std::cerr << "attnlab: error: the lab was still computing after " << kScreenshotTimeout
              << " s; no screenshot taken\n";
    screenshotFailed_ = true;
  }
}

void App::captureIfPending() {
  if (!pendingScreenshot_) return;
  try {
    writePng(*pendingScreenshot_, window_.readBackBuffer());
  } catch (const PngError& e) {
    std::cerr << "attnlab: error: " << e.what() << '\n';
    screenshotFailed_ = true;
  }
  pendingScreenshot_.reset();
}

// The window runs until closed, unless a scripted flag bounds it: then until every one of
// them is satisfied (the frames drawn, the script played, the screenshot written).
bool App::done() {
  const bool bounded = options_.frames || options_.screenshot || script_;
  if (!bounded) return false;
  const bool framesDone = !options_.frames || frames_ >= *options_.frames;
  const bool scriptDone = !script_ || (script_->finished() && !pendingScreenshot_);
  const bool screenshotDone = !options_.screenshot || (screenshotTaken_ && !pendingScreenshot_);
  return framesDone && scriptDone && screenshotDone;
}

// Keeps to 60 frames a second where the display does not (Xvfb has no vsync), and sleeps
// on input when nothing moves, so an idle window costs no CPU.
void App::pace(std::chrono::steady_clock::time_point frameStart) {
  const bool scripted = options_.frames || options_.screenshot || script_;
  const ImGuiIO& io = ImGui::GetIO();
  // A picture still catching up (damage over the fill budget) is not still either.
  const bool still = !labsBusy() && !window_.presenter().catchingUp() && !ImGui::IsAnyItemActive() &&
                     io.MouseDelta.x == 0.0f && io.MouseDelta.y == 0.0f && !ImGui::IsMouseDown(ImGuiMouseButton_Left);
  if (!scripted && still && window_.visible()) {
    window_.waitEvents(0.25);
    return;
  }
  std::this_thread::sleep_until(frameStart + kFramePeriod);
}

void App::printFrameStats() const { std::cout << stats_.json().dump() << std::endl; }

// [SECTION] menus and the workspace

void App::drawMenuBar() {
  if (!ImGui::BeginMainMenuBar()) return;
  if (ImGui::BeginMenu("File")) {
    sessions_.drawFileMenuItems();
    ImGui::Separator();
    if (ImGui::MenuItem("Export all figures of this lab")) exportAllFigures();
    ImGui::TextDisabled("  to %s", exporter_.directory().string().c_str());
    ImGui::Separator();
    if (ImGui::MenuItem("Open the opening lesson again")) applySession(Session{});
    ImGui::Separator();
    if (ImGui::MenuItem("Quit", "Ctrl+Q")) window_.requestClose();
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("View")) {
    ImGui::TextDisabled("Font size (for projectors)");
    for (float preset : {0.75f, 1.0f, 1.25f, 1.5f, 2.0f, 2.5f, 3.0f}) {
      char label[16];
      std::snprintf(label, sizeof label, "%.0f %%", preset * 100.0f);
      if (ImGui::MenuItem(label, nullptr, fonts_.scale() == preset)) fonts_.setScale(preset);
    }
    ImGui::Separator();
    ImGui::TextDisabled("Theme");
    for (Theme t : kAllFigureThemes)
      if (ImGui::MenuItem(std::string(themeName(t)).c_str(), nullptr, theme_ == t) && theme_ != t) {
        theme_ = t;
        applyStyle();
      }
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Help")) {
    sessions_.drawLessonsMenu();
    ImGui::MenuItem("Plot demo", nullptr, &showPlotDemo_);
    ImGui::Separator();
    ImGui::TextDisabled("attnlab: a lab for the theory of attention");
    ImGui::TextDisabled("Plots: scroll to zoom, drag to pan, double-click to fit,");
    ImGui::TextDisabled("right-click for options; hover for values.");
    ImGui::EndMenu();
  }
  ImGui::EndMainMenuBar();
  // ImGui 1.86 indexes keys by the backend's codes: GLFW's here.
  if (ImGui::GetIO().KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_Q)) window_.requestClose();
}

// One full-size window under the menu bar and above the status bar: a tab per lab.
void App::drawWorkspace() {
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(viewport->WorkPos);
  ImGui::SetNextWindowSize(viewport->WorkSize);
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus |
                                 ImGuiWindowFlags_NoBackground;  // glClear paints the same colour, for free
  const bool open = ImGui::Begin("##workspace", nullptr, flags);
  if (open) sessions_.drawLessonBanner();
  if (open && ImGui::BeginTabBar("##labs")) {
    const Theme theme = theme_;
    const LabContext context{theme_, &fonts_.fonts(), &uiPalette(theme_),
                             [this, theme](const Figure& figure) { exporter_.menuItems(figure, theme); }};
    // A session or script chose the tab: select it once, then the user's clicks rule.
    const auto flags = [&](LabId lab) {
      return selectTab_ && activeLab_ == lab ? ImGuiTabItemFlags_SetSelected : ImGuiTabItemFlags_None;
    };
    if (ImGui::BeginTabItem("Regression", nullptr, flags(LabId::Regression))) {
      if (!selectTab_) activeLab_ = LabId::Regression;
      regression_.draw(context);
      ImGui::EndTabItem();
    }
    const bool boundsOpen = ImGui::BeginTabItem("Bounds", nullptr, flags(LabId::Bounds));
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("In-context learning vs weight shifting: the shift bounds of paper 000");
    if (boundsOpen) {
      if (!selectTab_) activeLab_ = LabId::Bounds;
      bounds_.draw(context);
      ImGui::EndTabItem();
    }
    const bool attentionOpen = ImGui::BeginTabItem("Attention", nullptr, flags(LabId::Attention));
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Exact vs kernelized attention: elu, FAVOR+ and the fitted maps of paper 004");
    if (attentionOpen) {
      if (!selectTab_) activeLab_ = LabId::Attention;
      attention_.draw(context);
      ImGui::EndTabItem();
    }
    const bool templatesOpen = ImGui::BeginTabItem("Unseen symbols", nullptr, flags(LabId::Templates));
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Transformers generalise to unseen symbols: template tasks of paper 001");
    if (templatesOpen) {
      if (!selectTab_) activeLab_ = LabId::Templates;
      templates_.draw(context);
      ImGui::EndTabItem();
    }
    selectTab_ = false;
    ImGui::EndTabBar();
  }
  ImGui::End();
}

// [SECTION] sessions and export

Session App::currentSession() const {
  Session s;
  s.theme = theme_;
  s.fontScale = fonts_.scale();
  s.lab = activeLab_;
  s.regression = regression_.params();
  s.camera = regression_.camera();
  s.bounds = bounds_.params();
  s.attention = attention_.params();
  s.templates = templates_.params();
  return s;
}

void App::applySession(const Session& session) {
  theme_ = session.theme;
  fonts_.setScale(session.fontScale);
  applyStyle();
  regression_.setParams(session.regression);
  regression_.camera() = session.camera;
  bounds_.setParams(session.bounds);
  attention_.setParams(session.attention);
  templates_.setParams(session.templates);
  selectLab(session.lab);
}

void App::scriptFile(const std::string& action, const std::filesystem::path& path) {
  const bool ok = action == "save_session" ? sessions_.save(path) : sessions_.open(path);
  if (!ok) throw InputError(sessions_.recentMessage() ? sessions_.recentMessage()->text : "cannot use the file",
                            InputLocation{path.string(), action, {}, {}});
}

void App::scriptRestore(bool accept) {
  if (accept && !sessions_.restoreUnfinished())
    throw InputError("no session from an unclean exit to restore", InputLocation{{}, "restore", {}, {}});
}

// The lab's message, unless a file was just opened, saved or exported: then that, for a while.
StatusInfo App::statusToShow() const {
  StatusInfo status = activeLabStatus();
  if (status.job) return status;
  if (const auto exported = exporter_.recentOutcome()) {
    status.message = exported->message;
    status.error = exported->error;
  } else if (const auto file = sessions_.recentMessage()) {
    status.message = file->text;
    status.error = file->error;
  }
  return status;
}

void App::exportAllFigures() {
  std::vector<Figure> figures;
  if (activeLab_ == LabId::Bounds) {
    if (const auto runs = bounds_.latestRuns())
      figures.insert(figures.end(), {runs->figures.bounds, runs->figures.slack, runs->figures.targets});
    if (const auto sweep = bounds_.latestSweep()) figures.push_back(sweep->figure);
  } else if (activeLab_ == LabId::Attention) {
    if (const auto m = attention_.latestMatrices())
      figures.insert(figures.end(), {m->figures.exact, m->figures.kernel, m->figures.difference});
    if (const auto s = attention_.latestSweeps())
      figures.insert(figures.end(), {s->errorVsLength, s->errorVsFeatures, s->timeVsLength});
  } else if (activeLab_ == LabId::Templates) {
    if (const auto picture = templates_.latestPicture())
      figures.insert(figures.end(),
                     {picture->figures.testError, picture->figures.kernelMatrix, picture->figures.templateSpectrum});
    if (const auto copy = templates_.latestCopyTask()) figures.insert(figures.end(), {copy->perStep, copy->width});
  } else {
    if (const auto picture = regression_.latestPicture()) figures.push_back(picture->figure);
    if (const auto solve = regression_.latestSolve())
      figures.insert(figures.end(), {solve->figures.loss, solve->figures.gradNorm, solve->figures.distance});
  }
  std::vector<const Figure*> pointers;
  for (const Figure& f : figures) pointers.push_back(&f);
  exporter_.writeAll(pointers, theme_);
}

}  // namespace attnlab::gui
