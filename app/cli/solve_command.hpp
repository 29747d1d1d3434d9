// `attnlab solve PROBLEM --method gd|momentum|newton|approx-newton [--lr η] [--steps T]
// [--tol ε] [--beta β] [--seed k] [--samples s]`: minimise the problem's loss from its point
// x and print the solution with the whole trajectory (cli.md).
#pragma once
#include <CLI/CLI.hpp>

namespace attnlab::cli {

void addSolveCommand(CLI::App& app);

}  // namespace attnlab::cli
