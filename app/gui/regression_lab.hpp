// The regression lab's panel (architecture.md, "One lab, end to end", piece 4): widgets
// that edit RegressionParams on the left, and in the centre the landscape (heatmap,
// labelled isolines, solver paths), the 3-D surface, the loss and gradient-norm curves,
// and — on a plane that is not the whole space — each iterate's distance from it.
//
// Every frame: compare the widgets' params with the last job's and, if they differ,
// restart the job (JobSlot: the stale one is cancelled); then take the latest snapshots
// (one atomic load each, nothing locked across the frame), upload a new grid to the GPU
// if one arrived, and draw. The UI thread never waits on the job.
#pragma once
#include <imgui.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "app/gui/fonts.hpp"
#include "app/gui/heatmap_renderer.hpp"
#include "app/gui/lab_context.hpp"
#include "core/labs/regression_compute.hpp"
#include "app/gui/status_bar.hpp"
#include "app/gui/surface_renderer.hpp"
#include "app/gui/theme.hpp"
#include "core/jobs/job.hpp"

namespace attnlab::gui {

class RegressionLab {
 public:
  // Starts computing `params` at once, so the first picture is under way while the window
  // opens.
  RegressionLab(WorkerPool& pool, RegressionParams params, Theme theme, OrbitCamera camera = {});
  ~RegressionLab();
  RegressionLab(const RegressionLab&) = delete;
  RegressionLab& operator=(const RegressionLab&) = delete;

  // Starts (or restarts) the job when the params or the theme changed since the last one.
  // Called every frame by draw().
  void update(Theme theme);
  // Frees the GL objects of the renderers while the context still exists (the App calls
  // it before the window goes).
  void releaseGpu();
  void draw(const LabContext& context);

  // A job runs, or the 3-D view has yet to take or to finish drawing the new picture.
  bool busy() const { return slot_.busy() || surfaceCatchingUp(); }
  bool hasPicture() const { return snapshots_->picture.version() > 0; }
  // Finished with the current params: nothing running, nothing left to start.
  bool idle() const;
  void cancel() { slot_.cancel(); }
  StatusInfo status() const;

  const RegressionParams& params() const { return params_; }
  void setParams(const RegressionParams& params) { params_ = params; }
  // Session and script input: the fields present override the current ones (InputError
  // names a bad one, and nothing changes then).
  void applyJson(const nlohmann::json& json) { params_ = paramsFromJson(json, params_); }
  OrbitCamera& camera() { return camera_; }
  const OrbitCamera& camera() const { return camera_; }

  std::shared_ptr<const SolveResult> latestSolve() const { return snapshots_->solve.latest(); }
  std::shared_ptr<const LandscapePicture> latestPicture() const { return snapshots_->picture.latest(); }

 private:
  void noteFinishedJob();
  Reuse reusable() const;

  // [panel] the parameter widgets, by section
  void drawParameters(const LabContext& context);
  void drawProblemSection(const LabContext& context);
  void drawSolverSection(const LabContext& context);
  void drawLandscapeSection(const LabContext& context);
  void drawViewSection(const LabContext& context);

  // [plots]
  void drawPlots(const LabContext& context);
  void uploadHeatmap(const LandscapePicture& picture);
  void uploadSurface(const LandscapePicture& picture);
  // The plots have yet to take the latest picture (a job may finish between two frames, after
  // they took its coarse one), or the 3-D view has yet to take the shown picture or to finish
  // drawing it in bands. Counted only while the plots are drawn: on another tab the view waits
  // for them, which is no reason to keep drawing frames or to hold a script's "wait": "idle".
  bool surfaceCatchingUp() const {
    const bool plotsDrawn = plotsFrame_ + 1 >= ImGui::GetFrameCount();
    return plotsDrawn && (snapshots_->picture.version() != uploadedPicture_ || surfaceShown_ != shown_ ||
                          (surface_ && surface_->renderPending()));
  }
  void drawLandscape(const LandscapePicture& picture, ImVec2 size, const LabContext& context);
  void drawSurface(const LandscapePicture& picture, ImVec2 size, const LabContext& context);
  void drawSurfaceLabels(const LandscapePicture& picture, ImVec2 origin, const LabContext& context);
  SurfaceStyle surfaceStyle(const LandscapePicture& picture, const LabContext& context) const;

  WorkerPool& pool_;
  std::shared_ptr<RegressionSnapshots> snapshots_ = std::make_shared<RegressionSnapshots>();
  JobSlot slot_;

  RegressionParams params_;                     // what the widgets show
  std::optional<RegressionParams> submitted_;   // what the current job computes
  Theme submittedTheme_ = Theme::Light;
  std::chrono::steady_clock::time_point submittedAt_{};
  bool finishedNoted_ = true;
  std::string message_;
  bool messageIsError_ = false;

  std::string problemFileInput_;                // the path being typed, applied on Enter/Load
  std::optional<HeatmapRenderer> heatmap_;      // created on the first frame (needs GL)
  std::optional<SurfaceRenderer> surface_;
  std::uint64_t uploadedPicture_ = 0;           // the picture snapshot's version on the GPU
  std::shared_ptr<const LandscapePicture> shown_;  // keeps the uploaded picture alive
  std::shared_ptr<const LandscapePicture> surfaceShown_;  // the 3-D view's, a frame behind
  int plotsFrame_ = -1;                                   // ImGui frame that last drew the plots
  OrbitCamera camera_;
};

}  // namespace attnlab::gui
