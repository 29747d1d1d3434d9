// The window's look in each of core/figure's themes (light, dark, print): the whole ImGui
// style, plus the few colours the panels choose themselves. Series colours (one per solver)
// are core/figure's seriesColor, so the window and an exported figure agree on which line
// is which. Print is for projectors and paper: a white ground, black text, square corners.
#pragma once
#include <imgui.h>

#include <array>

#include "core/figure/theme.hpp"

namespace attnlab::gui {

struct UiPalette {
  ImVec4 clear;                  // the ground behind all windows
  ImU32 outline;                 // drawn under trajectory lines on heatmaps and surfaces
  std::array<float, 4> isoline;  // heatmap and surface isolines (RGBA, 0..1)
  ImU32 muted;                   // secondary text
  ImU32 warning;
  ImU32 error;
};

// Sets the whole ImGui style for `theme` at `pixelScale` (from scratch: scaling is not
// cumulative, so a font-scale change calls this again).
void applyTheme(Theme theme, float pixelScale);
const UiPalette& uiPalette(Theme theme);

// A core colour as ImGui's packed colour.
ImU32 toU32(const Rgba& color);

}  // namespace attnlab::gui
