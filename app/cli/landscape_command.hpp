// `attnlab landscape PROBLEM --grid N [--plane given|random|pca|axes] [--axes i,j] [--seed k]
// [--span s] [--method gd|momentum|newton|approx-newton] [--lr η] [--steps T] [--tol ε]
// [--beta β] [--samples m] --out FILE [--theme light|dark|print] [--size WxH] [--scale k]`: the loss on
// an N×N grid of a plane through the problem's point x (cli.md), written to FILE (.json or
// .csv), or drawn (.png, .svg, .pdf: heatmap, contours, colorbar and the trajectory), with a
// summary on stdout.
#pragma once
#include <CLI/CLI.hpp>

namespace attnlab::cli {

void addLandscapeCommand(CLI::App& app);

}  // namespace attnlab::cli
