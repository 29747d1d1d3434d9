// `attnlab bounds PROBLEM --shift x|A [--lr η] [--steps T] [--R R] [--attention-update
// gd|lsa|random] [--scale s] [--seed k]`: T steps of the weight or data shift, each measured
// against the shift bounds of math.md §2 (cli.md, `bounds`).
#pragma once
#include <CLI/CLI.hpp>

namespace attnlab::cli {

void addBoundsCommand(CLI::App& app);

}  // namespace attnlab::cli
