// Every figure a session shows, by name, computed synchronously — what `attnlab export`
// rebuilds with no display attached (cli.md, "export"). The window computes the same
// figures through the labs' jobs; both call the same builders (regression_compute,
// regression_figures), so a file and the window show the same picture.
//
//   regression lab: "landscape", "loss", "grad_norm", "plane_distance" when the landscape
//   is a slice (more than two parameters), and "surface": the 3-D view through the
//   session's camera, as filled polygons painted far to near (surface_figure).
//   bounds lab: "bounds", "slack", "targets" and "slack_sweep".
//   attention lab: "attention_exact", "attention_kernel", "attention_difference" (the
//   matrices), "error_vs_length", "error_vs_features", "time_vs_length" (the sweeps).
//   templates lab: "test_error", "kernel_matrix", "template_spectrum" (regression) and
//   "copy_task", "copy_task_width" (the copying task, 001 Fig. 5).
#pragma once
#include <string>
#include <vector>

#include "core/figure/figure.hpp"
#include "core/jobs/progress.hpp"
#include "core/jobs/worker_pool.hpp"
#include "core/labs/session.hpp"

namespace attnlab {

// The names `figureOfSession` accepts for this session, in the window's order.
std::vector<std::string> figureNames(const Session& session);

// Computes the session's lab and returns the named figure coloured for `theme` (contour
// lines included: a file has no shader to draw them). Throws InputError for an unknown name
// (listing the known ones), OverflowError as the labs do; a cancelled progress throws too.
Figure figureOfSession(const Session& session, const std::string& name, Theme theme, WorkerPool& pool,
                       Progress& progress);

}  // namespace attnlab
