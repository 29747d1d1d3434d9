// The attnlab binary. With arguments: the headless command line (cli.md), one subcommand
// per file in app/cli. Without a subcommand: the window (app/gui), when it is built.
#include <iostream>

#include "app/cli/attention_command.hpp"
#include "app/cli/bounds_command.hpp"
#include "app/cli/cli_support.hpp"
#include "app/cli/eval_command.hpp"
#include "app/cli/export_command.hpp"
#include "app/cli/landscape_command.hpp"
#include "app/cli/solve_command.hpp"
#include "app/cli/template_command.hpp"
#ifdef ATTNLAB_WITH_GUI
#include "app/gui/window_cli.hpp"
#endif

int main(int argc, char** argv) {
  CLI::App app{"attnlab: a desktop lab for the theory of attention, and its headless command line"};
  attnlab::cli::configureApp(app);
  attnlab::cli::addEvalCommand(app);
  attnlab::cli::addSolveCommand(app);
  attnlab::cli::addAttentionCommand(app);
  attnlab::cli::addBoundsCommand(app);
  attnlab::cli::addLandscapeCommand(app);
  attnlab::cli::addExportCommand(app);
  attnlab::cli::addTemplateCommand(app);
#ifdef ATTNLAB_WITH_GUI
  // [SESSION] --size --frames --screenshot --frame-stats: the window runs when no
  // subcommand is named (cli.md, "The window, scripted").
  attnlab::gui::WindowOptions window;
  int windowStatus = 0;
  attnlab::gui::addWindowOptions(app, window, windowStatus);
  const int status = attnlab::cli::runCli(app, argc, argv);
  return status != 0 ? status : windowStatus;
#else
  if (argc <= 1) {
    std::cout << app.help();
    return 0;
  }
  return attnlab::cli::runCli(app, argc, argv);
#endif
}
