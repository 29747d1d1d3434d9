#include "core/labs/template_lab_compute.hpp"

#include <chrono>

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
  if (reuse && (reuse->coarse || reuse->params != params)) reuse.reset();
  return [params, theme, reuse, &pool, snapshots](Progress& progress) -> Status {
    const auto publish = [&](std::shared_ptr<const TemplatePicture> picture) {
      return snapshots->picture.publishUnlessCancelled(std::move(picture), progress);
    };
    if (reuse) {
      auto recoloured = std::make_shared<TemplatePicture>(*reuse);
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

}  // namespace attnlab
