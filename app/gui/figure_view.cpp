#include "app/gui/figure_view.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "core/figure/colormap.hpp"

namespace attnlab::gui {
namespace {

ImVec4 ColorOrAuto(const std::optional<Rgba>& c) { return c ? plot::ToImVec4(*c) : plot::kAutoColor; }

// Each item gets a unique id (two series may share a label); the text before "##" is what
// the legend shows, and an empty label keeps the series out of the legend.
std::string ItemId(const std::string& label, std::size_t index) { return label + "##series" + std::to_string(index); }

// Figure widths are for the light and dark themes; print draws everything thicker.
float ThemeWidthFactor(Theme theme) { return themePalette(theme).lineWidth / themePalette(Theme::Light).lineWidth; }

plot::HeatmapData HeatmapDataOf(const HeatmapSeries& s) {
  plot::HeatmapData d;
  d.values = s.values.empty() ? nullptr : s.values.data();
  d.rows = s.rows;
  d.cols = s.cols;
  d.x = s.x;
  d.y = s.y;
  d.colormap = colormapFromName(s.colormap).value_or(Colormap::Viridis);
  d.scale = s.scale;
  d.valueRange = heatmapValueRange(s);
  return d;
}

void SetupFigureAxis(const Figure& figure, plot::PlotAxis axis) {
  const Axis& a = axis == plot::PlotAxis_X ? figure.x : figure.y;
  plot::SetupAxisScale(axis, a.scale);
  const AxisId id = axis == plot::PlotAxis_X ? AxisId::X : AxisId::Y;
  if (a.range) {
    const Range r = viewRange(figure, id);  // the fixed range, when it is valid
    plot::SetupAxisLimits(axis, r.min, r.max, ImGuiCond_Once);
  }
  plot::SetupAxisFitExtent(axis, dataExtent(figure, id));
  if (!a.ticks.empty()) plot::SetupAxisTicks(axis, a.ticks.data(), static_cast<int>(a.ticks.size()));
}

}  // namespace

plot::PlotStyle ToPlotStyle(const Style& style, const Marker& marker, Theme theme) {
  plot::PlotStyle s;
  s.color = ColorOrAuto(style.color);
  s.weight = style.width * ThemeWidthFactor(theme);
  s.dash = style.dash;
  s.marker = marker.shape;
  s.markerSize = marker.size * ThemeWidthFactor(theme);
  s.markerFilled = marker.filled;
  return s;
}

void DrawFigure(const Figure& figure, ImVec2 size, const FigureTextures* textures, const FigureMenu& menu,
                const FigureOverlay& overlay) {
  plot::PlotFlags flags = plot::PlotFlags_None;
  if (!figure.legend.visible) flags |= plot::PlotFlags_NoLegend;
  if (figure.equalAspect) flags |= plot::PlotFlags_Equal;
  if (figure.title.empty()) flags |= plot::PlotFlags_NoTitle;
  const std::string id = figure.title + "##figure:" + figure.name;

  if (!figure.showAxes) flags |= plot::PlotFlags_NoFrame;
  if (!plot::BeginPlot(id.c_str(), size, flags)) return;

  // A projected 3-D picture: no grid, ticks or axis names (its own labels are annotations).
  const plot::AxisFlags axisFlags = figure.showAxes ? plot::AxisFlags_None
                                                    : plot::AxisFlags_NoLabel | plot::AxisFlags_NoGridLines |
                                                          plot::AxisFlags_NoTickMarks | plot::AxisFlags_NoTickLabels;
  plot::SetupAxes(figure.x.label.c_str(), figure.y.label.c_str(), axisFlags, axisFlags);
  SetupFigureAxis(figure, plot::PlotAxis_X);
  SetupFigureAxis(figure, plot::PlotAxis_Y);
  plot::SetupLegend(figure.legend.location);
  if (figure.colorbar) {
    const Colorbar& c = *figure.colorbar;
    plot::SetupColorbar(c.label.c_str(), colormapFromName(c.colormap).value_or(Colormap::Viridis), c.range, c.scale);
  }
  plot::SetupFinish();

  const Theme theme = plot::GetTheme();
  const std::size_t barCount = static_cast<std::size_t>(std::count_if(
      figure.series.begin(), figure.series.end(), [](const Series& s) { return std::holds_alternative<BarSeries>(s); }));
  std::size_t barIndex = 0;
  for (std::size_t i = 0; i < figure.series.size(); ++i) {
    const Series& series = figure.series[i];
    const std::string itemId = ItemId(seriesLabel(series), i);
    if (const auto* s = std::get_if<LineSeries>(&series)) {
      const int n = static_cast<int>(std::min(s->xs.size(), s->ys.size()));
      plot::PlotLine(itemId.c_str(), s->xs.data(), s->ys.data(), n, ToPlotStyle(s->style, s->markers, theme));
    } else if (const auto* s = std::get_if<MarkerSeries>(&series)) {
      const int n = static_cast<int>(std::min(s->xs.size(), s->ys.size()));
      Style style;
      style.color = s->color;
      plot::PlotScatter(itemId.c_str(), s->xs.data(), s->ys.data(), n, ToPlotStyle(style, s->marker, theme));
    } else if (const auto* s = std::get_if<AreaSeries>(&series)) {
      const int n = static_cast<int>(std::min({s->xs.size(), s->lower.size(), s->upper.size()}));
      plot::PlotStyle style;
      style.color = ColorOrAuto(s->color);
      style.fillAlpha = s->opacity;
      plot::PlotShaded(itemId.c_str(), s->xs.data(), s->upper.data(), s->lower.data(), n, style);
    } else if (const auto* s = std::get_if<BarSeries>(&series)) {
      // The k-th of n bar series takes the k-th slot of each group (figure.hpp).
      const double slot = s->width / static_cast<double>(std::max<std::size_t>(barCount, 1));
      const double shift = -s->width / 2 + (static_cast<double>(barIndex) + 0.5) * slot;
      ++barIndex;
      plot::PlotStyle style;
      style.color = ColorOrAuto(s->color);
      const int n = static_cast<int>(std::min(s->xs.size(), s->heights.size()));
      plot::PlotBars(itemId.c_str(), s->xs.data(), s->heights.data(), n, slot, shift, style);
    } else if (const auto* s = std::get_if<HeatmapSeries>(&series)) {
      const plot::HeatmapData data = HeatmapDataOf(*s);
      HeatmapImage image;
      if (textures != nullptr && textures->heatmap)
        image = textures->heatmap(i, *s, plot::GetPlotLimits(), plot::GetPlotSize());
      if (image.texture != nullptr)
        plot::PlotHeatmap(itemId.c_str(), image.texture, image.min, image.max, image.uv0, image.uv1, &data);
      else
        plot::PlotHeatmap(itemId.c_str(), data);
    } else if (const auto* s = std::get_if<PolygonSeries>(&series)) {
      // Painted in order (far to near); convex quads are all the 3-D view emits.
      ImDrawList* draw = plot::GetPlotDrawList();
      std::vector<ImVec2> points;
      for (std::size_t k = 0; k < std::min(s->polygons.size(), s->fills.size()); ++k) {
        const Polyline& polygon = s->polygons[k];
        points.clear();
        for (std::size_t j = 0; j < std::min(polygon.xs.size(), polygon.ys.size()); ++j)
          points.push_back(plot::PlotToPixels(polygon.xs[j], polygon.ys[j]));
        if (points.size() >= 3)
          draw->AddConvexPolyFilled(points.data(), static_cast<int>(points.size()),
                                    ImGui::ColorConvertFloat4ToU32(plot::ToImVec4(s->fills[k])));
      }
    } else if (const auto* s = std::get_if<ContourSeries>(&series)) {
      plot::PlotStyle style = ToPlotStyle(s->style, {}, theme);
      if (!s->style.color) style.weight = -1.0f;  // the neutral contour look, unless styled
      const std::string level = s->labelled ? formatNumber(s->level, 3) : "";
      plot::PlotContours(itemId.c_str(), s->polylines.data(), static_cast<int>(s->polylines.size()),
                         s->labelled ? level.c_str() : nullptr, style);
    }
  }
  for (const Annotation& a : figure.annotations) {
    if (a.boxed) {
      plot::PlotAnnotation(a.x, a.y, a.text.c_str(), ColorOrAuto(a.color), ImVec2(a.dx, a.dy), a.marker);
      continue;
    }
    const ImVec2 at = plot::PlotToPixels(a.x, a.y);
    const ImVec2 textSize = ImGui::CalcTextSize(a.text.c_str());
    const ImU32 color = ImGui::ColorConvertFloat4ToU32(plot::ToImVec4(a.color.value_or(themePalette(theme).text)));
    plot::GetPlotDrawList()->AddText(ImVec2(at.x + a.dx - textSize.x / 2, at.y + a.dy - textSize.y / 2), color,
                                     a.text.c_str());
  }
  if (overlay) overlay(figure);

  if (menu && plot::BeginPlotContextMenu()) {
    menu(figure);
    plot::EndPlotContextMenu();
  }
  plot::EndPlot();
}

}  // namespace attnlab::gui
