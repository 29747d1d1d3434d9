// The plot layer's state, behind plot.hpp's opaque PlotContext: what a PlotContext keeps
// between frames (each plot's view and hidden items), and what the plot being built holds
// during one frame (layout, ticks, legend entries, the hover candidate). Nothing here is
// global: everything hangs off the context the application made current.
#pragma once
#include <imgui.h>
#include <imgui_internal.h>

#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "app/gui/plot.hpp"

namespace attnlab::plot::detail {

// [SECTION] Between frames
struct AxisState {
  Range range{0.0, 1.0};
  bool fitting = true;       // follows the data until the user zooms or pans
  std::optional<Range> appliedLimits;  // the ImGuiCond_Once limits last applied
};

struct LegendHit {
  ImGuiID id = 0;
  ImRect rect;
};

struct PlotState {
  std::array<AxisState, 2> axes;
  std::unordered_set<ImGuiID> hidden;  // items hidden by a legend click
  bool showLegend = true;
  bool showGrid = true;
  bool fitRequested = false;
  int dragAxes = 0;  // bit i: the current drag pans axis i
  bool dragValid = false;
  // Measured during the last frame, for the next frame's fit and hit tests.
  std::array<DataExtent, 2> measured;
  std::array<Scale, 2> measuredScale{Scale::Linear, Scale::Linear};
  ImRect plotRect;
  bool hasPlotRect = false;
  ImRect legendRect;
  std::vector<LegendHit> legendHits;
};

// [SECTION] During one frame
struct AxisSetup {
  std::string label;
  AxisFlags flags = AxisFlags_None;
  Scale scale = Scale::Linear;
  std::optional<Range> limits;
  ImGuiCond limitsCond = ImGuiCond_Once;
  std::optional<DataExtent> fitExtent;
  std::optional<std::vector<Tick>> customTicks;
  std::vector<Tick> ticks;  // what is drawn this frame
};

enum class SwatchKind { Line, Marker, Fill, Colormap };

struct LegendEntry {
  ImGuiID id = 0;
  std::string name;
  ImU32 color = 0;
  ImU32 swatchColor = 0;  // usually `color`; neutral contours show in ink instead
  SwatchKind kind = SwatchKind::Line;
  PlotStyle style;
  Colormap colormap = Colormap::Viridis;
  bool hidden = false;
};

struct ColorbarSetup {
  std::string label;
  Colormap colormap = Colormap::Viridis;
  Range range{0.0, 1.0};
  Scale scale = Scale::Linear;
  std::vector<Tick> ticks;
  ImRect rect;
};

// The nearest point to the cursor among the items drawn so far (within reach).
struct HoverPoint {
  bool found = false;
  float distance2 = 0.0f;
  std::string name;
  double x = 0.0, y = 0.0;
  ImU32 color = 0;
  ImVec2 pixel;
};

struct HeatmapReadout {
  std::string name;
  double value = 0.0;
  double x = 0.0, y = 0.0;
};

// A value-space extent being grown by the items of this frame.
struct ExtentAccumulator {
  double lo = 1e300, hi = -1e300;
  void add(double v) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  std::optional<Range> range() const { return lo <= hi ? std::optional<Range>(Range{lo, hi}) : std::nullopt; }
};

struct CurrentPlot {
  ImGuiID id = 0;
  PlotState* state = nullptr;
  PlotFlags flags = PlotFlags_None;
  std::string title;
  ImRect frame;
  ImRect plot;
  ImDrawList* drawList = nullptr;
  std::array<AxisSetup, 2> axes;
  bool setupDone = false;
  LegendLocation legendLocation = LegendLocation::NorthEast;
  std::optional<ColorbarSetup> colorbar;
  std::vector<LegendEntry> legend;
  int autoColorIndex = 0;
  std::array<ExtentAccumulator, 2> tight, loose;
  // Input captured right after the frame's invisible button.
  bool hovered = false;
  bool active = false;
  bool activated = false;
  bool doubleClicked = false;
  bool rightReleased = false;
  // The transform of this frame: pixel = origin + (scaled value − sMin)·pixelsPerUnit.
  std::array<double, 2> sMin{0, 0}, sMax{1, 1}, pixelsPerUnit{1, 1};
  PlotPoint mouse;
  HoverPoint nearest;
  std::optional<HeatmapReadout> heatmap;
  bool menuHandled = false;
  bool clipPushed = false;
};

}  // namespace attnlab::plot::detail

namespace attnlab::plot {

struct PlotContext {
  std::unordered_map<ImGuiID, detail::PlotState> plots;
  std::optional<detail::CurrentPlot> current;
  Theme theme = Theme::Light;
  float pixelScale = 1.0f;
  PlotFonts fonts;
};

}  // namespace attnlab::plot
