// `attnlab export SESSION --figure NAME --out FILE [--theme …] [--size WxH] [--scale k]`
// and `attnlab export SESSION --list` (cli.md, "export"): rebuilds a figure of a saved
// session or lesson with no display attached — no GL, no X — through the same builders the
// window uses (core/labs/session_figures.hpp) and app/export.
#pragma once
#include <CLI/CLI.hpp>

namespace attnlab::cli {

void addExportCommand(CLI::App& app);

}  // namespace attnlab::cli
