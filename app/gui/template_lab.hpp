// The "Unseen symbols" lab's panel (template tasks, paper 001, math.md §3): widgets that edit
// TemplateLabParams on the left, and in the centre the test error on unseen symbols against
// the number of training strings per kernel, the transformer kernel's block structure on the
// training strings (001 Fig. 4), the singular values of each kernel's template matrix N, and
// N itself with its Monte Carlo standard errors.
//
// Every frame: compare the widgets' params with those of the last job and restart it when
// they changed (JobSlot: the stale job is cancelled); then draw the latest snapshot. The UI
// thread never waits on a job.
#pragma once
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "app/gui/lab_context.hpp"
#include "app/gui/lab_job.hpp"
#include "app/gui/status_bar.hpp"
#include "core/jobs/job.hpp"
#include "core/labs/template_lab_compute.hpp"

namespace attnlab::gui {

class TemplateLab {
 public:
  TemplateLab(WorkerPool& pool, TemplateLabParams params, Theme theme);
  ~TemplateLab();
  TemplateLab(const TemplateLab&) = delete;
  TemplateLab& operator=(const TemplateLab&) = delete;

  // Starts (or restarts) the job when the params or the theme changed. Called every frame by
  // draw(), and by the App when a session or script selects the tab (nothing runs before).
  void update(Theme theme);
  void draw(const LabContext& context);

  bool busy() const { return job_.busy() || copy_.busy(); }
  bool hasPicture() const { return snapshots_->picture.version() > 0; }
  // Finished with the current params: nothing running, nothing left to start.
  bool idle() const;
  void cancel() {
    job_.cancel();
    copy_.cancel();
  }
  StatusInfo status() const;

  const TemplateLabParams& params() const { return params_; }
  void setParams(const TemplateLabParams& params);
  // Session and script input: the fields present override the current ones (InputError
  // names a bad one, and nothing changes then).
  void applyJson(const nlohmann::json& json);

  std::shared_ptr<const TemplatePicture> latestPicture() const { return snapshots_->picture.latest(); }
  std::shared_ptr<const CopyTaskPicture> latestCopyTask() const { return snapshots_->copy.latest(); }

 private:
  // [panel]
  void drawParameters(const LabContext& context);
  void drawTaskSection(const LabContext& context);
  void drawKernelSection(const LabContext& context);
  void drawDataSection(const LabContext& context);
  void drawEstimateSection(const LabContext& context);
  void drawCopySection(const LabContext& context);
  static void drawJobControls(LabJob<TemplateLabParams>& job);

  // [plots]
  void drawSummary(const TemplatePicture& picture, const LabContext& context);
  void drawPlots(const LabContext& context);
  void drawTemplateMatrices(const TemplatePicture& picture, ImVec2 size, const LabContext& context);
  void drawCopyPlots(const LabContext& context);

  FigureMenu exportMenu_;  // this frame's right-click entries (LabContext)

  WorkerPool& pool_;
  std::shared_ptr<TemplateSnapshots> snapshots_ = std::make_shared<TemplateSnapshots>();
  // The regression experiment, and — once the copying view is shown — the copying sweep.
  LabJob<TemplateLabParams> job_{sameExperiment};
  LabJob<TemplateLabParams> copy_{sameCopyTask};

  TemplateLabParams params_;     // what the widgets show
  Theme theme_ = Theme::Light;   // the theme of the last update
  LabMessage message_;
  std::string trainSizesInput_;  // the lists being typed, applied on Enter
  std::string embeddingsInput_;
};

}  // namespace attnlab::gui
