// `attnlab eval PROBLEM [--hessian]`: the loss, its gradient and optionally its Hessian at
// the problem's point (cli.md).
#pragma once
#include <CLI/CLI.hpp>

namespace attnlab::cli {

void addEvalCommand(CLI::App& app);

}  // namespace attnlab::cli
