#include "core/labs/template_lab_compute.hpp"

#include <chrono>

#include "core/labs/copy_task_figures.hpp"

namespace attnlab {

std::shared_ptr<TemplatePicture> computeTemplatePicture(const TemplateLabParams& params, Theme theme, WorkerPool& pool,
                                                        Progress& progress, int samples) {
  validate(params);
  TemplateExperimentParams e = experimentParamsFor(params);
  if (samples > 0) e.samples = samples;
  auto out = std::make_shared<TemplatePicture>();
  out->params = params;
  out->theme = theme;
  out->samples = int(e.samples);
  out->coarse = e.samples < params.samples;
  const auto start = std::chrono::steady_clock::now();
  out->experiment = runTemplateExperiment(e, pool, progress);
  out->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (out->experiment.status == Status::Cancelled || progress.cancelled()) return nullptr;
  progress.setStage("templates: figures");
  out->figures = buildTemplateFigures(out->experiment, params.trainSizes, theme);
  return out;
}

JobFunction templateLabJob(TemplateLabParams params, Theme theme, std::shared_ptr<const TemplatePicture> reuse,
                           WorkerPool& pool, std::shared_ptr<TemplateSnapshots> snapshots) {
  if (reuse && (reuse->coarse || !sameExperiment(reuse->params, params))) reuse.reset();
  return [params, theme, reuse, &pool, snapshots](Progress& progress) -> Status {
    const auto publish = [&](std::shared_ptr<const TemplatePicture> picture) {
      return snapshots->picture.publishUnlessCancelled(std::move(picture), progress);
    };
    if (reuse) {
      auto recoloured = std::make_shared<TemplatePicture>(*reuse);
      recoloured->params = params;
      recoloured->theme = theme;
      recoloured->figures = buildTemplateFigures(recoloured->experiment, params.trainSizes, theme);
      return publish(std::move(recoloured)) ? Status::Success : Status::Cancelled;
    }
    if (params.samples >= kCoarseFirstFrom) {
      progress.setStage("templates: coarse estimate");
      auto coarse = computeTemplatePicture(params, theme, pool, progress, kCoarseTemplateSamples);
      if (!coarse || !publish(std::move(coarse))) return Status::Cancelled;
    }
    auto full = computeTemplatePicture(params, theme, pool, progress);
    if (!full || !publish(std::move(full))) return Status::Cancelled;
    return Status::Success;
  };
}

std::shared_ptr<CopyTaskPicture> computeCopyTaskPicture(const TemplateLabParams& params, Theme theme, WorkerPool& pool,
                                                        Progress& progress) {
  validate(params);
  progress.setStage("copying task: gradient descent at every width, without and with b");
  auto out = std::make_shared<CopyTaskPicture>();
  out->params = params;
  out->theme = theme;
  out->sweep = sweepCopyTask(copyTaskParamsFor(params, params.copy.embeddings.front()), params.copy.embeddings, pool,
                             progress);
  if (out->sweep.cancelled || progress.cancelled()) return nullptr;
  out->perStep = copyTaskFigure(out->sweep, theme);
  out->width = copyTaskWidthFigure(out->sweep, theme);
  return out;
}

JobFunction copyTaskJob(TemplateLabParams params, Theme theme, std::shared_ptr<const CopyTaskPicture> reuse,
                        WorkerPool& pool, std::shared_ptr<TemplateSnapshots> snapshots) {
  if (reuse && !sameCopyTask(reuse->params, params)) reuse.reset();
  return [params, theme, reuse, &pool, snapshots](Progress& progress) -> Status {
    std::shared_ptr<CopyTaskPicture> picture;
    if (reuse) {
      picture = std::make_shared<CopyTaskPicture>(*reuse);
      picture->params = params;
      picture->theme = theme;
      picture->perStep = copyTaskFigure(picture->sweep, theme);
      picture->width = copyTaskWidthFigure(picture->sweep, theme);
    } else {
      picture = computeCopyTaskPicture(params, theme, pool, progress);
    }
    if (!picture) return Status::Cancelled;
    return snapshots->copy.publishUnlessCancelled(std::shared_ptr<const CopyTaskPicture>(std::move(picture)), progress)
               ? Status::Success
               : Status::Cancelled;
  };
}

}  // namespace attnlab
