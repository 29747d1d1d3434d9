// `attnlab template INPUT`: 001's template tasks — kernel ridge regression with the
// transformer random-features kernel (and K_attn, and the MLP baseline) trained on one
// alphabet and tested on unseen symbols, with each kernel's template matrix N (README).
#pragma once
#include <CLI/CLI.hpp>

namespace attnlab::cli {

void addTemplateCommand(CLI::App& app);

}  // namespace attnlab::cli
