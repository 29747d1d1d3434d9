// Draws a core Figure through the plot layer: the single path by which every lab puts a
// figure on screen, so the window shows exactly what app/export writes. Heatmaps are drawn
// from GL textures when the caller supplies them (HeatmapRenderer renders the visible part
// at the plot's pixel size) and as coloured cells otherwise.
#pragma once
#include <imgui.h>

#include <cstddef>
#include <functional>

#include "app/gui/plot.hpp"
#include "core/figure/figure.hpp"

namespace attnlab::gui {

// A picture of (part of) a heatmap: `texture` covers [min, max] in plot coordinates; uv0
// is the texture coordinate at the top-left corner (GL textures run bottom-up: (0,1)).
struct HeatmapImage {
  ImTextureID texture = nullptr;  // null: draw the series on the CPU instead
  plot::PlotPoint min, max;
  ImVec2 uv0{0.0f, 1.0f};
  ImVec2 uv1{1.0f, 0.0f};
};

struct FigureTextures {
  // Called inside the plot for each heatmap series (its index in figure.series), once the
  // view is known: `view` is what is visible, `pixels` the size of the plot area.
  std::function<HeatmapImage(std::size_t seriesIndex, const HeatmapSeries& series, const plot::PlotLimits& view,
                             ImVec2 pixels)>
      heatmap;
};

// Entries the caller adds to the plot's right-click menu (Export PNG / SVG / PDF / CSV).
using FigureMenu = std::function<void(const Figure&)>;

// Called inside the plot after every series, before the plot's own hover text: a lab may
// query the plot (plot::IsPlotHovered, PlotToPixels) and open ImGui::BeginTooltip — its lines
// come first in the tooltip, the read-out follows (hypotheses that fail at a hovered step).
using FigureOverlay = std::function<void(const Figure&)>;

// `size` as for plot::BeginPlot. The plot's identity (its zoom, hidden series) is the
// figure's name.
void DrawFigure(const Figure& figure, ImVec2 size, const FigureTextures* textures = nullptr,
                const FigureMenu& menu = {}, const FigureOverlay& overlay = {});

// The plot style a figure Style becomes in `theme` (the print theme thickens lines).
plot::PlotStyle ToPlotStyle(const Style& style, const Marker& marker, Theme theme);

}  // namespace attnlab::gui
