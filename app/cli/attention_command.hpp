// `attnlab attention INPUT [--dtype float32|float64]`: exact or kernelized attention on the
// input's Q, K, V, with its compute time and error against exact attention (cli.md).
#pragma once
#include <CLI/CLI.hpp>

namespace attnlab::cli {

void addAttentionCommand(CLI::App& app);

}  // namespace attnlab::cli
