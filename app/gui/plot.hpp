// The plot layer: immediate-mode plots on ImGui draw lists, in the manner of ImPlot (which
// Debian does not ship). A plot is
//
//     if (plot::BeginPlot("Loss##regression", ImVec2(-1, 300))) {
//       plot::SetupAxes("iteration", "L(x) − L*", 0, 0);
//       plot::SetupAxisScale(plot::PlotAxis_Y, Scale::Log10);
//       plot::PlotLine("Newton", its.data(), loss.data(), n);
//       if (plot::BeginPlotContextMenu()) { ImGui::MenuItem("Export PNG…"); plot::EndPlotContextMenu(); }
//       plot::EndPlot();
//     }
//
// Users scroll to zoom about the cursor (over an axis: that axis only), drag to pan,
// double-click to fit the data, hover for values, click a legend entry to hide its series
// and right-click for the context menu. Axes take nice ticks from core/figure/ticks and
// may be log10 (values ≤ 0 are skipped). Every figure of every lab reaches the screen
// through this layer (figure_view.hpp).
//
// State (each plot's view, hidden series) lives in a PlotContext that the application
// creates and makes current, as it does ImGui's own context; the layer keeps nothing else.
#pragma once
#include <imgui.h>

#include "core/figure/colormap.hpp"
#include "core/figure/figure.hpp"

namespace attnlab::plot {

struct PlotContext;

// [SECTION] Flags
using PlotFlags = int;
using AxisFlags = int;
using PlotAxis = int;

enum PlotFlags_ {
  PlotFlags_None = 0,
  PlotFlags_NoLegend = 1 << 0,     // no legend (items still hide through the API)
  PlotFlags_NoTitle = 1 << 1,      // do not print the title (the id's text before "##")
  PlotFlags_NoMenus = 1 << 2,      // right-click opens no context menu
  PlotFlags_NoInputs = 1 << 3,     // no zoom, pan, fit or legend clicks: a still picture
  PlotFlags_NoHoverText = 1 << 4,  // no read-out tooltip under the cursor
  PlotFlags_Equal = 1 << 5,        // one x unit as long as one y unit (linear axes)
  PlotFlags_Crosshairs = 1 << 6,   // thin lines through the cursor
  PlotFlags_NoFrame = 1 << 7,      // no border around the plot area
};

enum AxisFlags_ {
  AxisFlags_None = 0,
  AxisFlags_NoLabel = 1 << 0,       // do not print the axis label
  AxisFlags_NoGridLines = 1 << 1,   // no grid lines across the plot
  AxisFlags_NoTickMarks = 1 << 2,   // no tick marks on the frame
  AxisFlags_NoTickLabels = 1 << 3,  // no tick labels
  AxisFlags_Lock = 1 << 4,          // zoom and pan leave this axis alone
  AxisFlags_AutoFit = 1 << 5,       // fit the data every frame, whatever the user did
};

enum PlotAxis_ { PlotAxis_X = 0, PlotAxis_Y = 1 };

// [SECTION] Item styles
// Sentinel: take the next colour of the theme's series palette.
inline const ImVec4 kAutoColor{0.0f, 0.0f, 0.0f, -1.0f};

struct PlotStyle {
  ImVec4 color = kAutoColor;
  float weight = -1.0f;  // line width in pixels; < 0: the theme's width
  Dash dash = Dash::Solid;
  MarkerShape marker = MarkerShape::None;
  float markerSize = -1.0f;  // radius in pixels; < 0: a size matched to the line width
  bool markerFilled = true;
  float fillAlpha = -1.0f;  // areas, bars: < 0 means 0.25 for areas, 0.85 for bars
};

struct PlotPoint {
  double x = 0.0;
  double y = 0.0;
};

struct PlotLimits {
  Range x, y;
};

// Values behind a heatmap: drawn by the CPU path, read out under the cursor by both paths.
// values[row * cols + col] is the value at (x.min + col·Δx, y.min + row·Δy), extents being
// the first and last grid points (HeatmapSeries' convention).
struct HeatmapData {
  const double* values = nullptr;
  int rows = 0;
  int cols = 0;
  Range x{0.0, 1.0};
  Range y{0.0, 1.0};
  Colormap colormap = Colormap::Viridis;
  Scale scale = Scale::Linear;
  Range valueRange{0.0, 1.0};  // the values at the colormap's ends (not log10'd)
};

// Fonts the plots use; null members fall back to ImGui's current font.
struct PlotFonts {
  ImFont* title = nullptr;
  ImFont* label = nullptr;
  ImFont* tick = nullptr;
};

// [SECTION] Context
PlotContext* CreateContext();
void DestroyContext(PlotContext* context = nullptr);  // null: the current one
PlotContext* GetCurrentContext();
void SetCurrentContext(PlotContext* context);

// Colours from core/figure's palette for `theme`; line widths and marks scaled by
// `pixelScale` (the window's font scale times the monitor's content scale).
void SetTheme(Theme theme, float pixelScale = 1.0f);
Theme GetTheme();
float GetPixelScale();
void SetFonts(const PlotFonts& fonts);

// [SECTION] Begin/End
// `titleId` is "Title##id" as for ImGui widgets. `size`: ≤ 0 on x takes the available width
// (minus |x|), 0 on y the available height (or 300 px when there is little), < 0 on y the
// available height minus |y|. Returns false when the plot is clipped away: then call
// nothing else, not even EndPlot.
bool BeginPlot(const char* titleId, ImVec2 size = ImVec2(-1, 0), PlotFlags flags = PlotFlags_None);
void EndPlot();

// [SECTION] Setup (after BeginPlot, before the first item)
void SetupAxes(const char* xLabel, const char* yLabel, AxisFlags xFlags = AxisFlags_None,
               AxisFlags yFlags = AxisFlags_None);
void SetupAxis(PlotAxis axis, const char* label, AxisFlags flags = AxisFlags_None);
void SetupAxisScale(PlotAxis axis, Scale scale);
// ImGuiCond_Once (default): the view the plot opens on, applied again only when different
// limits are passed; zoom and pan own the view in between, and a double-click fits the
// data. ImGuiCond_Always: this view every frame (zoom and pan leave the axis alone).
// Without limits an axis follows its data until the user zooms or pans.
void SetupAxisLimits(PlotAxis axis, double min, double max, ImGuiCond cond = ImGuiCond_Once);
// The data's extent when the caller knows it before plotting (figure_view does): a fitting
// axis then shows the data from the very first frame instead of the next one.
void SetupAxisFitExtent(PlotAxis axis, const DataExtent& extent);
// Exactly these ticks (category names under bars), instead of computed ones.
void SetupAxisTicks(PlotAxis axis, const Tick* ticks, int count);
void SetupLegend(LegendLocation location);
// A colour scale beside the plot area, ticked like an axis.
void SetupColorbar(const char* label, Colormap colormap, Range range, Scale scale = Scale::Linear);
// Ends the setup explicitly; the first item or EndPlot does it otherwise.
void SetupFinish();
// Fit the data on the next frame (as a double-click does).
void SetNextAxesToFit();

// [SECTION] Items
void PlotLine(const char* label, const double* xs, const double* ys, int count, const PlotStyle& style = {});
void PlotScatter(const char* label, const double* xs, const double* ys, int count, const PlotStyle& style = {});
// The region between ys1 and ys2.
void PlotShaded(const char* label, const double* xs, const double* ys1, const double* ys2, int count,
                const PlotStyle& style = {});
// The region between ys and the horizontal line y = yRef.
void PlotShaded(const char* label, const double* xs, const double* ys, int count, double yRef,
                const PlotStyle& style = {});
// Bars of `width` (x units) centred on xs + shift, standing on zero (on the axis bottom
// of a log axis). Groups: give each series its own shift.
void PlotBars(const char* label, const double* xs, const double* heights, int count, double width,
              double shift = 0.0, const PlotStyle& style = {});
// A heatmap drawn on the CPU as coloured cells (no GL needed).
void PlotHeatmap(const char* label, const HeatmapData& data);
// A heatmap picture rendered elsewhere (app/gui/heatmap_renderer) covering boundsMin ..
// boundsMax in plot coordinates. `readout`, when given, supplies values for the hover text
// and the legend swatch's colormap.
void PlotHeatmap(const char* label, ImTextureID texture, PlotPoint boundsMin, PlotPoint boundsMax,
                 ImVec2 uv0 = ImVec2(0, 1), ImVec2 uv1 = ImVec2(1, 0), const HeatmapData* readout = nullptr);
// Contour polylines of one level, with `levelText` written on the longest one (null: none).
void PlotContours(const char* label, const Polyline* lines, int count, const char* levelText = nullptr,
                  const PlotStyle& style = {});
// Text at a data point, offset by `offset` pixels, with a leader line and a dot.
void PlotAnnotation(double x, double y, const char* text, ImVec4 color = kAutoColor,
                    ImVec2 offset = ImVec2(12, -12), bool marker = true);

// [SECTION] Context menu
// Between the items and EndPlot: true while the plot's right-click menu is open, after the
// built-in entries (fit, legend, grid); add yours, then call EndPlotContextMenu.
bool BeginPlotContextMenu();
void EndPlotContextMenu();

// [SECTION] Queries (between BeginPlot and EndPlot, after setup)
bool IsPlotHovered();
PlotPoint GetPlotMousePos();
PlotLimits GetPlotLimits();
ImVec2 GetPlotPos();   // top-left of the plot area in screen pixels
ImVec2 GetPlotSize();  // the plot area in pixels
ImDrawList* GetPlotDrawList();
ImVec2 PlotToPixels(double x, double y);
PlotPoint PixelsToPlot(ImVec2 pixels);
bool IsItemHidden(const char* label);  // hidden by a legend click

// [SECTION] Widgets
// A colormap as a horizontal gradient (parameter panels, the demo).
void ColormapPreview(const char* id, Colormap colormap, ImVec2 size = ImVec2(-1, 0));
// [SECTION] Demo
// Every feature of the layer in one window (plot_demo.cpp), as imgui_demo.cpp is ImGui's
// living documentation.
void ShowPlotDemoWindow(bool* open = nullptr);

// Converts a core colour for ImGui.
inline ImVec4 ToImVec4(const Rgba& c) { return ImVec4(c.r, c.g, c.b, c.a); }

}  // namespace attnlab::plot
