// The "Unseen symbols" lab's computation (architecture.md, "One lab, end to end", piece 2):
// one cancellable job that "latest wins", running 001's template experiment and publishing
// an immutable snapshot with its figures. Runs with many Monte Carlo draws publish a coarse
// estimate first (kCoarseTemplateSamples draws), then the full one. Nothing here touches
// ImGui or OpenGL: the window draws the snapshots, tests and `attnlab export` read them.
#pragma once
#include <memory>

#include "core/figure/theme.hpp"
#include "core/jobs/job.hpp"
#include "core/jobs/snapshot.hpp"
#include "core/labs/template_lab_figures.hpp"
#include "core/labs/template_lab_params.hpp"

namespace attnlab {

struct TemplatePicture {
  TemplateLabParams params;     // what it was computed for
  Theme theme = Theme::Light;   // what its figures are coloured for
  bool coarse = false;          // a first look with fewer draws; the full run follows
  int samples = 0;              // the Monte Carlo draws actually used
  TemplateExperiment experiment;
  TemplateFigures figures;
  double seconds = 0.0;         // the experiment's wall time
};

// The copying task's sweep (001 Fig. 5) and its two figures.
struct CopyTaskPicture {
  TemplateLabParams params;
  Theme theme = Theme::Light;
  CopyTaskSweep sweep;
  Figure perStep;  // "copy_task"
  Figure width;    // "copy_task_width"
};

// Shared by the lab and its jobs, so a job that outlives the panel still writes somewhere valid.
struct TemplateSnapshots {
  Snapshot<TemplatePicture> picture;
  Snapshot<CopyTaskPicture> copy;
};

// Below this many draws the full run is quick enough to be the first picture.
inline constexpr int kCoarseTemplateSamples = 250;
inline constexpr int kCoarseFirstFrom = 16 * kCoarseTemplateSamples;

// The experiment with `samples` draws (the params' own when 0) and its figures; null when
// cancelled. Throws InputError for bad params.
std::shared_ptr<TemplatePicture> computeTemplatePicture(const TemplateLabParams& params, Theme theme, WorkerPool& pool,
                                                        Progress& progress, int samples = 0);

// The copying sweep over params.copy.embeddings, without and with b; null when cancelled.
std::shared_ptr<CopyTaskPicture> computeCopyTaskPicture(const TemplateLabParams& params, Theme theme, WorkerPool& pool,
                                                        Progress& progress);

// The jobs. `reuse`, when it is a full run for the same params, is only recoloured: a theme
// change rebuilds the figures, not the numbers.
JobFunction templateLabJob(TemplateLabParams params, Theme theme, std::shared_ptr<const TemplatePicture> reuse,
                           WorkerPool& pool, std::shared_ptr<TemplateSnapshots> snapshots);
JobFunction copyTaskJob(TemplateLabParams params, Theme theme, std::shared_ptr<const CopyTaskPicture> reuse,
                        WorkerPool& pool, std::shared_ptr<TemplateSnapshots> snapshots);

}  // namespace attnlab
