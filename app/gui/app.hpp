// The application object: owns everything the window needs — the native window, fonts,
// theme, plot context, worker pool, the labs, the status bar, frame statistics and the
// scripted flags — and runs the frame loop. No global mutable state: all of it lives here.
#pragma once
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>

#include "app/gui/attention_lab.hpp"
#include "app/gui/bounds_lab.hpp"
#include "app/gui/figure_exporter.hpp"
#include "app/gui/fonts.hpp"
#include "app/gui/frame_stats.hpp"
#include "app/gui/gui_main.hpp"
#include "app/gui/plot.hpp"
#include "app/gui/regression_lab.hpp"
#include "app/gui/script.hpp"
#include "app/gui/session_controller.hpp"
#include "core/labs/session.hpp"
#include "app/gui/status_bar.hpp"
#include "app/gui/template_lab.hpp"
#include "app/gui/theme.hpp"
#include "app/gui/thread_priority.hpp"
#include "app/gui/window.hpp"
#include "core/jobs/worker_pool.hpp"

namespace attnlab::gui {

// Owns a plot::PlotContext and makes it current for its lifetime.
class PlotContextScope {
 public:
  PlotContextScope() : context_(plot::CreateContext()) { plot::SetCurrentContext(context_); }
  ~PlotContextScope() { plot::DestroyContext(context_); }
  PlotContextScope(const PlotContextScope&) = delete;
  PlotContextScope& operator=(const PlotContextScope&) = delete;

 private:
  plot::PlotContext* context_;
};

class App final : public ScriptTarget, public SessionHost {
 public:
  // Reads the session and script files (InputError when they are bad), starts the first
  // job, then opens the window (WindowError when it cannot).
  explicit App(const WindowOptions& options);
  ~App() override;

  // The frame loop; returns the exit status (1 if a screenshot could not be written).
  int run();

  // ScriptTarget. "set" takes {"lab": "bounds", ...} (or "templates"): "lab" selects the tab, the other fields
  // go to that lab; without "lab" they go to the open tab (the regression lab, in scripts
  // written before the bounds lab).
  void scriptSet(const nlohmann::json& params) override;
  bool scriptIdle() const override {
    return regression_.idle() && bounds_.idle() && attention_.idle() && templates_.idle();
  }
  void scriptCancel() override { cancelActiveLab(); }
  void scriptTheme(const std::string& name) override;
  void scriptFontScale(double scale) override { fonts_.setScale(static_cast<float>(scale)); }
  void scriptView(const nlohmann::json& view) override;
  void scriptScreenshot(const std::filesystem::path& path) override { pendingScreenshot_ = path; }
  void scriptFile(const std::string& action, const std::filesystem::path& path) override;
  void scriptRestore(bool accept) override;

  // SessionHost
  Session currentSession() const override;
  void applySession(const Session& session) override;

 private:
  void frame();
  bool labsBusy() const { return regression_.busy() || bounds_.busy() || attention_.busy() || templates_.busy(); }
  StatusInfo activeLabStatus() const;
  void cancelActiveLab();
  void selectLab(LabId lab);
  void drawMenuBar();
  void drawWorkspace();
  void applyStyle();
  bool done();
  void scheduleScreenshot();
  void pace(std::chrono::steady_clock::time_point frameStart);
  void captureIfPending();
  void printFrameStats() const;
  StatusInfo statusToShow() const;
  void exportAllFigures();

  WindowOptions options_;
  Session session_;  // as opened; the theme and font scale then follow the View menu
  Theme theme_ = Theme::Light;
  // Order matters. The lab is built before the window so its first job runs while the
  // window opens; the pool outlives the lab (members are destroyed in reverse) and drains
  // its jobs; the lab's GL objects are freed by ~App while the window still exists.
  WorkerPool pool_{0, lowerCurrentThreadPriority};  // below the UI thread (thread_priority.hpp)
  RegressionLab regression_;
  BoundsLab bounds_;
  AttentionLab attention_;
  TemplateLab templates_;
  LabId activeLab_ = LabId::Regression;  // the tab shown
  bool selectTab_ = false;               // make activeLab_ the selected tab on the next frame
  std::optional<Script> script_;
  Window window_;
  PlotContextScope plotContext_;
  Fonts fonts_;
  StatusBar statusBar_;
  SessionController sessions_;
  FigureExporter exporter_;
  std::string shownTitle_;
  FrameStats stats_;

  std::optional<std::filesystem::path> pendingScreenshot_;  // taken at the end of the next frame
  bool screenshotTaken_ = false;   // the --screenshot one
  bool screenshotFailed_ = false;
  bool showPlotDemo_ = false;
  bool showAbout_ = false;
  long long frames_ = 0;
  double shownFrameMs_ = 0.0;  // frame time in the status bar, smoothed
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

}  // namespace attnlab::gui
