// The window's options on attnlab's command line (CLI11): a positional SESSION and the
// scripted flags of cli.md, registered on the top-level app so that `attnlab` with no
// subcommand opens the window and `attnlab eval …` never does.
#pragma once
#include <CLI/CLI.hpp>

#include "app/gui/gui_main.hpp"

namespace attnlab::gui {

// Adds [SESSION] --size --frames --screenshot --frame-stats (and the test hook --script)
// to app, and a final callback that runs the window when no subcommand was named. The
// window's exit status is written to `status`, which must outlive app.parse(). Bad values
// (--size 0x5, --frames -1) throw InputError, so runCli reports them with exit status 2.
void addWindowOptions(CLI::App& app, WindowOptions& options, int& status);

// "1280x800" → {1280, 800}; throws InputError unless both are integers in [64, 16384].
std::pair<int, int> parseWindowSize(const std::string& text);

}  // namespace attnlab::gui
