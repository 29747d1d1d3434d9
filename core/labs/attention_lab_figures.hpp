// The attention lab's figures as plain data (architecture.md, "One lab, end to end",
// piece 3). No ImGui here: the window draws them through figure_view, and `attnlab export`
// writes the very same figures headlessly.
//
//   "attention_exact"      the L×L matrix D⁻¹exp(s·QKᵀ), query i down, key j across
//   "attention_kernel"     the shown kernel's D⁻¹φ(Q)φ(K)ᵀ, on the same colour scale
//   "attention_difference" W_φ − W on a diverging scale centred on 0 (blue-white-red)
//   "error_vs_length"      ‖Att_φ − Att‖_F/‖Att‖_F against L, log-log, one line per kernel
//   "error_vs_features"    the same against m, with favor's 1/√m slope and elu's level
//   "time_vs_length"       seconds against L for exact attention and each kernel, log-log,
//                          with the crossovers marked and exact attention's GFLOP/s
#pragma once
#include <string>

#include "core/labs/attention_lab_compute.hpp"

namespace attnlab {

// A kernel's colour, the same in every figure of the lab (exact softmax has its own).
Rgba kernelColour(AttentionKernel kernel, Theme theme);

// An attention matrix as a heatmap: query i runs down (row 0 at the top, as a matrix is
// written), key j across, coloured over `values` (weights share one range for comparison).
Figure attentionMatrixFigure(const RowMatrix<double>& W, const std::string& name, const std::string& title,
                             const std::string& colourLabel, const std::string& colormap, Range values);

AttentionMatrixFigures buildAttentionMatrixFigures(const AttentionMatrices& m, Theme theme);

Figure errorVsLengthFigure(const AttentionSweeps& s, Theme theme);
Figure errorVsFeaturesFigure(const AttentionSweeps& s, Theme theme);
Figure timeVsLengthFigure(const AttentionSweeps& s, Theme theme);
void buildAttentionSweepFigures(AttentionSweeps& s, Theme theme);

}  // namespace attnlab
