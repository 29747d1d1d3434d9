// The attention lab's panel, "Exact vs kernelized attention" (architecture.md, "One lab,
// end to end", piece 4; math.md §3; issue 5): widgets that edit AttentionLabParams on the
// left; in the centre the exact attention matrix, a kernel's matrix on the same colour
// scale and their difference, and under them each kernel's error against L and against
// the number of features m, and the time of each against exact attention with the
// crossovers marked.
//
// Every frame: compare the widgets' params with those of the last jobs and restart what the
// change invalidated (the matrices, the sweeps, or both); then draw the latest snapshots.
// The UI thread never waits on a job.
#pragma once
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "app/gui/lab_context.hpp"
#include "app/gui/lab_job.hpp"
#include "app/gui/status_bar.hpp"
#include "core/labs/attention_lab_compute.hpp"

namespace attnlab::gui {

class AttentionLab {
 public:
  AttentionLab(WorkerPool& pool, AttentionLabParams params, Theme theme);
  ~AttentionLab();
  AttentionLab(const AttentionLab&) = delete;
  AttentionLab& operator=(const AttentionLab&) = delete;

  // Starts (or restarts) the jobs whose inputs changed; draw() calls it every frame.
  void update(Theme theme);
  void draw(const LabContext& context);

  bool busy() const { return matrices_.busy() || sweeps_.busy(); }
  bool hasPicture() const { return snapshots_->matrices.version() > 0; }
  // Finished with the current params: nothing running, nothing left to start.
  bool idle() const;
  void cancel();
  StatusInfo status() const;

  const AttentionLabParams& params() const { return params_; }
  void setParams(const AttentionLabParams& params);
  // Session and script input: the fields present override the current ones (InputError
  // names a bad one, and nothing changes then).
  void applyJson(const nlohmann::json& json);

  std::shared_ptr<const AttentionMatrices> latestMatrices() const { return snapshots_->matrices.latest(); }
  std::shared_ptr<const AttentionSweeps> latestSweeps() const { return snapshots_->sweeps.latest(); }

 private:
  // [panel]
  void drawParameters(const LabContext& context);
  void drawInputSection(const LabContext& context);
  void drawMatricesSection(const LabContext& context);
  void drawSweepsSection(const LabContext& context);
  void drawMatricesSummary(const LabContext& context);

  // [plots]
  void drawPlots(const LabContext& context);

  FigureMenu exportMenu_;  // this frame's right-click entries (LabContext)

  WorkerPool& pool_;
  std::shared_ptr<AttentionSnapshots> snapshots_ = std::make_shared<AttentionSnapshots>();
  LabJob<AttentionLabParams> matrices_{sameMatrices};
  LabJob<AttentionLabParams> sweeps_{sameSweeps};

  AttentionLabParams params_;  // what the widgets show
  Theme theme_ = Theme::Light; // the theme of the last update
  LabMessage message_;
  std::string lengthsInput_;   // the lists being typed, applied on Enter
  std::string featuresInput_;
};

}  // namespace attnlab::gui
