// The attnlab binary. With arguments: the headless command line (cli.md), one subcommand
// per file in app/cli. Without: the window — until it exists, the help.
#include <iostream>

#include "app/cli/attention_command.hpp"
#include "app/cli/bounds_command.hpp"
#include "app/cli/cli_support.hpp"
#include "app/cli/eval_command.hpp"
#include "app/cli/landscape_command.hpp"
#include "app/cli/solve_command.hpp"

int main(int argc, char** argv) {
  CLI::App app{"attnlab: a desktop lab for the theory of attention, and its headless command line"};
  attnlab::cli::configureApp(app);
  attnlab::cli::addEvalCommand(app);
  attnlab::cli::addSolveCommand(app);
  attnlab::cli::addAttentionCommand(app);
  attnlab::cli::addBoundsCommand(app);
  attnlab::cli::addLandscapeCommand(app);
  if (argc <= 1) {
    std::cout << app.help();
    return 0;
  }
  return attnlab::cli::runCli(app, argc, argv);
}
