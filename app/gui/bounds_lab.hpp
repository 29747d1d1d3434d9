// The shift-bound lab's panel, "In-context learning vs weight shifting" (architecture.md,
// "One lab, end to end", piece 4; math.md §2; issue 4): widgets that edit BoundsLabParams on
// the left, and in the centre the measured shift against every bound, the slack per
// step, the new targets b̃ and b̂, and a slack sweep over R, n or the step size — with one
// legend strip whose bound entries carry a "(?)": the statement and, where the paper's
// printed statement is used, the erratum of math.md §2, one hover away.
//
// Every frame: compare the widgets' params with those of the last jobs and restart what the
// change invalidated (JobSlot: the stale job is cancelled) — the runs, the sweep, or both;
// then draw the latest snapshots. The UI thread never waits on a job.
#pragma once
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>

#include "core/labs/bounds_compute.hpp"
#include "app/gui/lab_context.hpp"
#include "app/gui/lab_job.hpp"
#include "app/gui/status_bar.hpp"
#include "core/jobs/job.hpp"

namespace attnlab::gui {

// Inside the plot of a run's "bounds" figure (its FigureOverlay): over a step whose
// hypotheses fail, a tooltip saying which and by how much. True when it opened one.
bool failureTooltip(const BoundsResult& run);

class BoundsLab {
 public:
  BoundsLab(WorkerPool& pool, BoundsLabParams params, Theme theme);
  ~BoundsLab();
  BoundsLab(const BoundsLab&) = delete;
  BoundsLab& operator=(const BoundsLab&) = delete;

  // Starts (or restarts) the jobs whose inputs changed. Called every frame by draw(), and by
  // the App while the tab is hidden only through scripts (nothing runs until first shown).
  void update(Theme theme);
  void draw(const LabContext& context);

  bool busy() const { return runs_.busy() || sweep_.busy(); }
  bool hasPicture() const { return snapshots_->runs.version() > 0; }
  // Finished with the current params: nothing running, nothing left to start.
  bool idle() const;
  void cancel();
  StatusInfo status() const;

  const BoundsLabParams& params() const { return params_; }
  void setParams(const BoundsLabParams& params) { params_ = params; }
  // Session and script input: the fields present override the current ones (InputError
  // names a bad one, and nothing changes then).
  void applyJson(const nlohmann::json& json);

  std::shared_ptr<const BoundsRuns> latestRuns() const { return snapshots_->runs.latest(); }
  std::shared_ptr<const SweepPicture> latestSweep() const { return snapshots_->sweep.latest(); }

 private:
  // [panel]
  void drawParameters(const LabContext& context);
  void drawProblemSection(const LabContext& context);
  void drawShiftSection(const LabContext& context);
  void drawSweepSection(const LabContext& context);
  void drawRunSummary(const LabContext& context);

  // [plots]
  void drawPlots(const LabContext& context);
  void drawBoundsFigure(const BoundsRuns& runs, const Figure& figure, ImVec2 size);
  void drawSweepFigure(ImVec2 size);
  void toggleHidden(const std::optional<std::string>& label);

  FigureMenu exportMenu_;  // this frame's right-click entries (LabContext)

  WorkerPool& pool_;
  std::shared_ptr<BoundsSnapshots> snapshots_ = std::make_shared<BoundsSnapshots>();
  LabJob<BoundsLabParams> runs_{sameRuns};
  LabJob<BoundsLabParams> sweep_{sameSweep};

  BoundsLabParams params_;                 // what the widgets show
  Theme theme_ = Theme::Light;             // the theme of the last update
  LabMessage message_;
  std::string sweepValuesInput_;           // the list being typed, applied on Enter
  std::set<std::string> hidden_;           // legend labels clicked away (the bounds figure's)
};

}  // namespace attnlab::gui
