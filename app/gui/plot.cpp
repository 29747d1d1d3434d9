// The plot layer (plot.hpp). Index:
// [SECTION] Context
// [SECTION] Helpers: colours, fonts, text, transforms, clipping
// [SECTION] Begin/End and setup
// [SECTION] Fitting, input and layout
// [SECTION] Axes, grid and colorbar
// [SECTION] Marks: polylines, dashes, markers
// [SECTION] Items
// [SECTION] Legend, hover read-out and context menu
// [SECTION] Queries and widgets
#include "app/gui/plot.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>

#include "app/gui/plot_internal.hpp"

namespace attnlab::plot {

// [SECTION] Context
namespace {
// The context made current by the application, as ImGui keeps GImGui: a pointer only; all
// state lives in the context the application owns.
PlotContext* gContext = nullptr;
}  // namespace

PlotContext* CreateContext() {
  auto* context = new PlotContext();
  if (gContext == nullptr) gContext = context;
  return context;
}

void DestroyContext(PlotContext* context) {
  if (context == nullptr) context = gContext;
  if (context == gContext) gContext = nullptr;
  delete context;
}

PlotContext* GetCurrentContext() { return gContext; }
void SetCurrentContext(PlotContext* context) { gContext = context; }

void SetTheme(Theme theme, float pixelScale) {
  IM_ASSERT(gContext != nullptr && "plot::CreateContext() first");
  gContext->theme = theme;
  gContext->pixelScale = std::max(pixelScale, 0.25f);
}
Theme GetTheme() { return gContext->theme; }
float GetPixelScale() { return gContext->pixelScale; }
void SetFonts(const PlotFonts& fonts) { gContext->fonts = fonts; }

namespace {
using detail::CurrentPlot;
using detail::PlotState;

// [SECTION] Helpers: colours, fonts, text, transforms, clipping
CurrentPlot& Cur() {
  IM_ASSERT(gContext != nullptr && gContext->current.has_value() && "call between BeginPlot and EndPlot");
  return *gContext->current;
}
const ThemePalette& Palette() { return themePalette(gContext->theme); }
float Px(float v) { return v * gContext->pixelScale; }

ImU32 U32(const Rgba& c, float alpha = 1.0f) {
  return ImGui::ColorConvertFloat4ToU32(ImVec4(c.r, c.g, c.b, c.a * alpha));
}
ImU32 WithAlpha(ImU32 color, float alpha) {
  ImVec4 c = ImGui::ColorConvertU32ToFloat4(color);
  c.w *= alpha;
  return ImGui::ColorConvertFloat4ToU32(c);
}

struct FontRef {
  ImFont* font;
  float size;
};
FontRef Font(ImFont* preferred) {
  if (preferred != nullptr) return {preferred, preferred->FontSize};
  return {ImGui::GetFont(), ImGui::GetFontSize()};
}
FontRef TitleFont() { return Font(gContext->fonts.title); }
FontRef LabelFont() { return Font(gContext->fonts.label); }
FontRef TickFont() { return Font(gContext->fonts.tick); }

ImVec2 TextSize(FontRef f, const std::string& text) {
  return f.font->CalcTextSizeA(f.size, FLT_MAX, 0.0f, text.c_str(), text.c_str() + text.size());
}
void Text(ImDrawList* dl, FontRef f, ImVec2 pos, ImU32 color, const std::string& text) {
  dl->AddText(f.font, f.size, ImVec2(std::round(pos.x), std::round(pos.y)), color, text.c_str(),
              text.c_str() + text.size());
}

// ImGui 1.86 has no rotated text: lay the text out horizontally centred on the frame's
// centre (where no glyph is culled by the clip rect), then turn its vertices a quarter
// turn counter-clockwise about that centre and move them to `center`. Reads bottom to top.
void TextVertical(ImDrawList* dl, FontRef f, ImVec2 center, ImU32 color, const std::string& text,
                  const ImRect& frame) {
  const ImVec2 size = TextSize(f, text);
  const ImVec2 pivot = frame.GetCenter();
  dl->PushClipRect(frame.Min, frame.Max, true);
  const int first = dl->VtxBuffer.Size;
  dl->AddText(f.font, f.size, ImVec2(pivot.x - size.x / 2, pivot.y - size.y / 2), color, text.c_str(),
              text.c_str() + text.size());
  const ImVec2 target(std::round(center.x), std::round(center.y));
  for (int i = first; i < dl->VtxBuffer.Size; ++i) {
    ImDrawVert& v = dl->VtxBuffer[i];
    const ImVec2 d(v.pos.x - pivot.x, v.pos.y - pivot.y);
    v.pos = ImVec2(target.x + d.y, target.y - d.x);
  }
  dl->PopClipRect();
}

std::string DisplayName(const char* label) { return std::string(label, ImGui::FindRenderedTextEnd(label)); }

// Pixel coordinates in double: clipping happens before narrowing to float.
double PixelX(const CurrentPlot& p, double x) {
  return p.plot.Min.x + (toScale(p.axes[0].scale, x) - p.sMin[0]) * p.pixelsPerUnit[0];
}
double PixelY(const CurrentPlot& p, double y) {
  return p.plot.Max.y - (toScale(p.axes[1].scale, y) - p.sMin[1]) * p.pixelsPerUnit[1];
}
ImVec2 Pixel(const CurrentPlot& p, double x, double y) {
  // Far outside the view a float loses sub-pixel precision; nothing there is visible.
  constexpr double kFar = 1 << 20;
  return ImVec2(static_cast<float>(std::clamp(PixelX(p, x), -kFar, kFar)),
                static_cast<float>(std::clamp(PixelY(p, y), -kFar, kFar)));
}
PlotPoint PlotAt(const CurrentPlot& p, ImVec2 pixel) {
  const double sx = p.sMin[0] + (pixel.x - p.plot.Min.x) / p.pixelsPerUnit[0];
  const double sy = p.sMin[1] + (p.plot.Max.y - pixel.y) / p.pixelsPerUnit[1];
  return {fromScale(p.axes[0].scale, sx), fromScale(p.axes[1].scale, sy)};
}

void UpdateTransform(CurrentPlot& p) {
  for (int i = 0; i < 2; ++i) {
    const Range r = p.state->axes[static_cast<std::size_t>(i)].range;
    const Scale s = p.axes[static_cast<std::size_t>(i)].scale;
    p.sMin[static_cast<std::size_t>(i)] = toScale(s, r.min);
    p.sMax[static_cast<std::size_t>(i)] = toScale(s, r.max);
    const double pixels = i == 0 ? p.plot.GetWidth() : p.plot.GetHeight();
    p.pixelsPerUnit[static_cast<std::size_t>(i)] =
        std::max(pixels, 1.0) / (p.sMax[static_cast<std::size_t>(i)] - p.sMin[static_cast<std::size_t>(i)]);
  }
}

// Liang–Barsky: trims the segment to the rectangle; false when nothing of it is inside.
bool ClipSegment(const ImRect& r, double& x0, double& y0, double& x1, double& y1) {
  double t0 = 0.0, t1 = 1.0;
  const double dx = x1 - x0, dy = y1 - y0;
  const auto edge = [&](double pp, double q) {
    if (pp == 0.0) return q >= 0.0;
    const double t = q / pp;
    if (pp < 0.0) {
      if (t > t1) return false;
      t0 = std::max(t0, t);
    } else {
      if (t < t0) return false;
      t1 = std::min(t1, t);
    }
    return true;
  };
  if (!edge(-dx, x0 - r.Min.x) || !edge(dx, r.Max.x - x0) || !edge(-dy, y0 - r.Min.y) || !edge(dy, r.Max.y - y0))
    return false;
  const double ax = x0 + t0 * dx, ay = y0 + t0 * dy;
  x1 = x0 + t1 * dx;
  y1 = y0 + t1 * dy;
  x0 = ax;
  y0 = ay;
  return true;
}

void Extend(CurrentPlot& p, int axis, double v, bool tight) {
  if (!representable(p.axes[static_cast<std::size_t>(axis)].scale, v)) return;
  (tight ? p.tight : p.loose)[static_cast<std::size_t>(axis)].add(v);
}

// Which axes a gesture at `mouse` acts on: inside the plot area both, over the tick labels
// of one axis only that one (bit 0: x, bit 1: y).
int AxesUnder(const ImRect& plot, const ImRect& frame, ImVec2 mouse) {
  if (plot.Contains(mouse)) return 3;
  if (mouse.y > plot.Max.y && mouse.y <= frame.Max.y && mouse.x >= plot.Min.x && mouse.x <= plot.Max.x) return 1;
  if (mouse.x < plot.Min.x && mouse.x >= frame.Min.x && mouse.y >= plot.Min.y && mouse.y <= plot.Max.y) return 2;
  return 0;
}

bool AxisMovable(const CurrentPlot& p, int axis) {
  const detail::AxisSetup& s = p.axes[static_cast<std::size_t>(axis)];
  return !(s.flags & AxisFlags_Lock) && !(s.flags & AxisFlags_AutoFit) &&
         !(s.limits && s.limitsCond == ImGuiCond_Always);
}

}  // namespace

// [SECTION] Begin/End and setup
bool BeginPlot(const char* titleId, ImVec2 size, PlotFlags flags) {
  IM_ASSERT(gContext != nullptr && "plot::CreateContext() and SetCurrentContext() first");
  IM_ASSERT(!gContext->current.has_value() && "BeginPlot inside a plot: EndPlot first");
  ImGuiWindow* window = ImGui::GetCurrentWindow();
  if (window->SkipItems) return false;

  const ImVec2 avail = ImGui::GetContentRegionAvail();
  if (size.x <= 0.0f) size.x = std::max(avail.x + size.x, Px(120));
  if (size.y == 0.0f) size.y = avail.y > Px(150) ? avail.y : Px(300);
  else if (size.y < 0.0f) size.y = std::max(avail.y + size.y, Px(100));

  const ImGuiID id = window->GetID(titleId);
  ImGui::PushID(titleId);
  ImGui::InvisibleButton("##plot", size, ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
  if (!ImGui::IsItemVisible()) {
    ImGui::PopID();
    return false;
  }
  ImGui::SetItemUsingMouseWheel();  // the plot zooms; the window must not scroll

  CurrentPlot& p = gContext->current.emplace();
  p.id = id;
  p.state = &gContext->plots[id];
  p.flags = flags;
  p.title = DisplayName(titleId);
  p.frame = ImRect(ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
  p.drawList = window->DrawList;
  p.hovered = ImGui::IsItemHovered();
  p.active = ImGui::IsItemActive();
  p.activated = ImGui::IsItemActivated();
  p.doubleClicked = p.hovered && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left);
  p.rightReleased = p.hovered && ImGui::IsMouseReleased(ImGuiMouseButton_Right) &&
                    ImGui::GetMouseDragDelta(ImGuiMouseButton_Right).x == 0.0f &&
                    ImGui::GetMouseDragDelta(ImGuiMouseButton_Right).y == 0.0f;
  return true;
}

void SetupAxis(PlotAxis axis, const char* label, AxisFlags flags) {
  CurrentPlot& p = Cur();
  IM_ASSERT(!p.setupDone && "Setup* after the first item");
  detail::AxisSetup& a = p.axes[static_cast<std::size_t>(axis)];
  a.label = label != nullptr ? DisplayName(label) : "";
  a.flags = flags;
}

void SetupAxes(const char* xLabel, const char* yLabel, AxisFlags xFlags, AxisFlags yFlags) {
  SetupAxis(PlotAxis_X, xLabel, xFlags);
  SetupAxis(PlotAxis_Y, yLabel, yFlags);
}

void SetupAxisScale(PlotAxis axis, Scale scale) {
  IM_ASSERT(!Cur().setupDone && "Setup* after the first item");
  Cur().axes[static_cast<std::size_t>(axis)].scale = scale;
}

void SetupAxisLimits(PlotAxis axis, double min, double max, ImGuiCond cond) {
  IM_ASSERT(!Cur().setupDone && "Setup* after the first item");
  detail::AxisSetup& a = Cur().axes[static_cast<std::size_t>(axis)];
  a.limits = Range{min, max};
  a.limitsCond = cond == ImGuiCond_Always ? ImGuiCond_Always : ImGuiCond_Once;
}

void SetupAxisFitExtent(PlotAxis axis, const DataExtent& extent) {
  IM_ASSERT(!Cur().setupDone && "Setup* after the first item");
  Cur().axes[static_cast<std::size_t>(axis)].fitExtent = extent;
}

void SetupAxisTicks(PlotAxis axis, const Tick* ticks, int count) {
  IM_ASSERT(!Cur().setupDone && "Setup* after the first item");
  Cur().axes[static_cast<std::size_t>(axis)].customTicks = std::vector<Tick>(ticks, ticks + std::max(count, 0));
}

void SetupLegend(LegendLocation location) { Cur().legendLocation = location; }

void SetupColorbar(const char* label, Colormap colormap, Range range, Scale scale) {
  IM_ASSERT(!Cur().setupDone && "Setup* after the first item");
  detail::ColorbarSetup c;
  c.label = label != nullptr ? DisplayName(label) : "";
  c.colormap = colormap;
  c.scale = scale;
  c.range = sanitizedRange(range, scale);
  Cur().colorbar = std::move(c);
}

void SetNextAxesToFit() { Cur().state->fitRequested = true; }

// [SECTION] Fitting, input and layout
namespace {

std::vector<Tick> AxisTicks(const detail::AxisSetup& a, Range r, int target) {
  if (!a.customTicks) return computeTicks(r, a.scale, target);
  std::vector<Tick> inside;
  for (const Tick& t : *a.customTicks)
    if (t.value >= std::min(r.min, r.max) && t.value <= std::max(r.min, r.max)) inside.push_back(t);
  return inside;
}

// Where along [0, 1] of an axis a value falls.
double Fraction(Scale scale, Range r, double v) {
  return (toScale(scale, v) - toScale(scale, r.min)) / (toScale(scale, r.max) - toScale(scale, r.min));
}

// True when no two labels of the ticks overlap along an axis `length` pixels long.
bool LabelsFit(const std::vector<Tick>& ticks, Scale scale, Range r, float length, FontRef f, float gap) {
  float lastRight = -FLT_MAX;
  for (const Tick& t : ticks) {
    if (t.label.empty()) continue;
    const float w = TextSize(f, t.label).x;
    const float c = static_cast<float>(Fraction(scale, r, t.value)) * length;
    if (c - w / 2 < lastRight + gap) return false;
    lastRight = c + w / 2;
  }
  return true;
}

float WidestLabel(const std::vector<Tick>& ticks, FontRef f) {
  float w = 0.0f;
  for (const Tick& t : ticks)
    if (!t.label.empty()) w = std::max(w, TextSize(f, t.label).x);
  return w;
}

void ComputeLayout(CurrentPlot& p) {
  detail::AxisSetup& ax = p.axes[0];
  detail::AxisSetup& ay = p.axes[1];
  const Range rx = p.state->axes[0].range, ry = p.state->axes[1].range;
  const FontRef tick = TickFont(), label = LabelFont(), title = TitleFont();
  const float pad = Px(8), gap = Px(5);

  float top = p.frame.Min.y + pad;
  if (!(p.flags & PlotFlags_NoTitle) && !p.title.empty()) top += title.size + Px(6);
  float bottom = p.frame.Max.y - pad;
  if (!(ax.flags & AxisFlags_NoLabel) && !ax.label.empty()) bottom -= label.size + Px(4);
  if (!(ax.flags & AxisFlags_NoTickLabels)) bottom -= tick.size + gap;
  // Keep the top tick label inside the frame.
  top = std::max(top, p.frame.Min.y + tick.size / 2 + Px(2));
  const float height = std::max(bottom - top, 1.0f);

  ay.ticks = AxisTicks(ay, ry, std::clamp(static_cast<int>(height / (tick.size * 2.6f)), 2, 10));
  float left = p.frame.Min.x + pad;
  if (!(ay.flags & AxisFlags_NoLabel) && !ay.label.empty()) left += label.size + Px(8);
  if (!(ay.flags & AxisFlags_NoTickLabels)) left += WidestLabel(ay.ticks, tick) + gap;

  float right = p.frame.Max.x - pad;
  if (p.colorbar) {
    detail::ColorbarSetup& c = *p.colorbar;
    c.ticks = computeTicks(c.range, c.scale, std::clamp(static_cast<int>(height / (tick.size * 2.6f)), 2, 10));
    float width = Px(12) + Px(16) + gap + WidestLabel(c.ticks, tick);
    if (!c.label.empty()) width += Px(8) + label.size;
    right -= width;
  }

  // Fewer x ticks until their labels stand apart.
  float width = std::max(right - left, 1.0f);
  int target = std::clamp(static_cast<int>(width / (tick.size * 5.0f)), 2, 12);
  for (;;) {
    ax.ticks = AxisTicks(ax, rx, target);
    if (target <= 2 || ax.customTicks || LabelsFit(ax.ticks, ax.scale, rx, width, tick, tick.size)) break;
    --target;
  }
  // The last label may hang past the right edge of the frame: pull the plot in.
  if (!(ax.flags & AxisFlags_NoTickLabels) && !p.colorbar) {
    for (auto it = ax.ticks.rbegin(); it != ax.ticks.rend(); ++it) {
      if (it->label.empty()) continue;
      const float c = left + static_cast<float>(Fraction(ax.scale, rx, it->value)) * width;
      const float overhang = c + TextSize(tick, it->label).x / 2 - (p.frame.Max.x - Px(2));
      if (overhang > 0) right -= overhang;
      break;
    }
  }
  // Whole pixels: 1-px frame and grid lines land on pixel centres and stay crisp.
  p.plot = ImRect(std::round(left), std::round(top), std::round(std::max(right, left + 1)),
                  std::round(std::max(bottom, top + 1)));
  if (p.colorbar) {
    const float x0 = p.plot.Max.x + Px(12);
    p.colorbar->rect = ImRect(std::round(x0), p.plot.Min.y, std::round(x0 + Px(16)), p.plot.Max.y);
  }
  UpdateTransform(p);
}

// One x unit as long as one y unit: widen whichever range is tighter, about its centre.
void ApplyEqualAspect(CurrentPlot& p) {
  if (p.axes[0].scale != Scale::Linear || p.axes[1].scale != Scale::Linear) return;
  Range& rx = p.state->axes[0].range;
  Range& ry = p.state->axes[1].range;
  const double ux = rx.span() / std::max(p.plot.GetWidth(), 1.0f);
  const double uy = ry.span() / std::max(p.plot.GetHeight(), 1.0f);
  if (ux < uy) {
    const double c = 0.5 * (rx.min + rx.max), half = 0.5 * uy * p.plot.GetWidth();
    rx = {c - half, c + half};
  } else if (uy < ux) {
    const double c = 0.5 * (ry.min + ry.max), half = 0.5 * ux * p.plot.GetHeight();
    ry = {c - half, c + half};
  }
}

void ApplyLimitsAndFit(CurrentPlot& p, int i) {
  PlotState& st = *p.state;
  detail::AxisState& a = st.axes[static_cast<std::size_t>(i)];
  const detail::AxisSetup& s = p.axes[static_cast<std::size_t>(i)];
  if (s.limits && s.limitsCond == ImGuiCond_Always) {
    a.range = *s.limits;
    a.fitting = false;
  } else {
    // Once: when first given, and again whenever the caller asks for different limits
    // (a lab whose fixed range changed), but not while the same ones keep coming.
    if (s.limits && a.appliedLimits != s.limits) {
      a.appliedLimits = s.limits;
      a.range = *s.limits;
      a.fitting = false;
    }
    if (st.fitRequested || (s.flags & AxisFlags_AutoFit)) a.fitting = true;
    if (a.fitting) {
      std::optional<DataExtent> extent = s.fitExtent;
      if (!extent && st.measuredScale[static_cast<std::size_t>(i)] == s.scale)
        extent = st.measured[static_cast<std::size_t>(i)];
      if (extent && (extent->tight || extent->loose)) a.range = fitRange(*extent, s.scale);
    }
  }
  a.range = sanitizedRange(a.range, s.scale);
}

void HandleInput(CurrentPlot& p) {
  PlotState& st = *p.state;
  const ImGuiIO& io = ImGui::GetIO();
  const ImVec2 mouse = io.MousePos;
  const bool legendShown = st.showLegend && !(p.flags & PlotFlags_NoLegend);
  const bool overLegend = legendShown && st.legendRect.Contains(mouse);

  if (p.activated && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
    st.dragAxes = 0;
    if (overLegend) {
      for (const detail::LegendHit& hit : st.legendHits) {
        if (!hit.rect.Contains(mouse)) continue;
        if (!st.hidden.erase(hit.id)) st.hidden.insert(hit.id);
      }
    } else if (st.hasPlotRect) {
      st.dragAxes = AxesUnder(st.plotRect, p.frame, mouse);
    }
  }
  if (p.doubleClicked && !overLegend) {
    for (int i = 0; i < 2; ++i)
      if (AxisMovable(p, i)) st.axes[static_cast<std::size_t>(i)].fitting = true;
  }
  for (int i = 0; i < 2; ++i) ApplyLimitsAndFit(p, i);
  st.fitRequested = false;
  if (!st.hasPlotRect) return;

  const ImRect& r = st.plotRect;
  // Zoom about the cursor: the point under it stays put.
  if (p.hovered && io.MouseWheel != 0.0f) {
    const int axes = AxesUnder(r, p.frame, mouse);
    const double factor = std::pow(0.85, static_cast<double>(io.MouseWheel));
    for (int i = 0; i < 2; ++i) {
      if (!(axes & (1 << i)) || !AxisMovable(p, i)) continue;
      detail::AxisState& a = st.axes[static_cast<std::size_t>(i)];
      const Scale s = p.axes[static_cast<std::size_t>(i)].scale;
      const double s0 = toScale(s, a.range.min), s1 = toScale(s, a.range.max);
      const double f = i == 0 ? (mouse.x - r.Min.x) / std::max(r.GetWidth(), 1.0f)
                              : (r.Max.y - mouse.y) / std::max(r.GetHeight(), 1.0f);
      const double at = s0 + std::clamp(f, 0.0, 1.0) * (s1 - s0);
      a.range = sanitizedRange({fromScale(s, at - (at - s0) * factor), fromScale(s, at + (s1 - at) * factor)}, s);
      a.fitting = false;
    }
  }
  // Pan: the data follows the mouse.
  if (p.active && st.dragAxes != 0 && ImGui::IsMouseDragging(ImGuiMouseButton_Left) &&
      (io.MouseDelta.x != 0.0f || io.MouseDelta.y != 0.0f)) {
    for (int i = 0; i < 2; ++i) {
      if (!(st.dragAxes & (1 << i)) || !AxisMovable(p, i)) continue;
      detail::AxisState& a = st.axes[static_cast<std::size_t>(i)];
      const Scale s = p.axes[static_cast<std::size_t>(i)].scale;
      const double s0 = toScale(s, a.range.min), s1 = toScale(s, a.range.max);
      const double shift = i == 0 ? -io.MouseDelta.x / std::max(r.GetWidth(), 1.0f) * (s1 - s0)
                                  : io.MouseDelta.y / std::max(r.GetHeight(), 1.0f) * (s1 - s0);
      a.range = sanitizedRange({fromScale(s, s0 + shift), fromScale(s, s1 + shift)}, s);
      a.fitting = false;
    }
  }
  if (p.rightReleased && !(p.flags & PlotFlags_NoMenus)) ImGui::OpenPopup("##PlotMenu");
}

// [SECTION] Axes, grid and colorbar
void DrawGrid(const CurrentPlot& p) {
  if (!p.state->showGrid) return;
  ImDrawList* dl = p.drawList;
  const ThemePalette& pal = Palette();
  const float w = std::max(1.0f, std::round(Px(1)));
  for (int i = 0; i < 2; ++i) {
    const detail::AxisSetup& a = p.axes[static_cast<std::size_t>(i)];
    if (a.flags & AxisFlags_NoGridLines) continue;
    for (const Tick& t : a.ticks) {
      const ImU32 col = U32(t.major ? pal.grid : pal.gridMinor);
      if (i == 0) {
        const float x = std::floor(static_cast<float>(PixelX(p, t.value))) + 0.5f;
        if (x <= p.plot.Min.x + 1 || x >= p.plot.Max.x - 1) continue;
        dl->AddLine(ImVec2(x, p.plot.Min.y), ImVec2(x, p.plot.Max.y), col, w);
      } else {
        const float y = std::floor(static_cast<float>(PixelY(p, t.value))) + 0.5f;
        if (y <= p.plot.Min.y + 1 || y >= p.plot.Max.y - 1) continue;
        dl->AddLine(ImVec2(p.plot.Min.x, y), ImVec2(p.plot.Max.x, y), col, w);
      }
    }
  }
}

void DrawAxes(const CurrentPlot& p) {
  ImDrawList* dl = p.drawList;
  const ThemePalette& pal = Palette();
  const FontRef tick = TickFont(), label = LabelFont(), title = TitleFont();
  const ImU32 ink = U32(pal.text), axis = U32(pal.axis);
  const float gap = Px(5), w = std::max(1.0f, std::round(Px(1)));
  if (!(p.flags & PlotFlags_NoFrame)) dl->AddRect(p.plot.Min, p.plot.Max, axis, 0.0f, 0, w);

  const detail::AxisSetup& ax = p.axes[0];
  const detail::AxisSetup& ay = p.axes[1];
  for (const Tick& t : ax.ticks) {
    const float x = std::floor(static_cast<float>(PixelX(p, t.value))) + 0.5f;
    if (x < p.plot.Min.x - 0.5f || x > p.plot.Max.x + 0.5f) continue;
    if (!(ax.flags & AxisFlags_NoTickMarks))
      dl->AddLine(ImVec2(x, p.plot.Max.y), ImVec2(x, p.plot.Max.y - Px(t.major ? 6.0f : 3.0f)), axis, w);
    if (!(ax.flags & AxisFlags_NoTickLabels) && !t.label.empty()) {
      const ImVec2 size = TextSize(tick, t.label);
      const float x0 = std::clamp(x - size.x / 2, p.frame.Min.x, p.frame.Max.x - size.x);
      Text(dl, tick, ImVec2(x0, p.plot.Max.y + gap), ink, t.label);
    }
  }
  for (const Tick& t : ay.ticks) {
    const float y = std::floor(static_cast<float>(PixelY(p, t.value))) + 0.5f;
    if (y < p.plot.Min.y - 0.5f || y > p.plot.Max.y + 0.5f) continue;
    if (!(ay.flags & AxisFlags_NoTickMarks))
      dl->AddLine(ImVec2(p.plot.Min.x, y), ImVec2(p.plot.Min.x + Px(t.major ? 6.0f : 3.0f), y), axis, w);
    if (!(ay.flags & AxisFlags_NoTickLabels) && !t.label.empty()) {
      const ImVec2 size = TextSize(tick, t.label);
      Text(dl, tick, ImVec2(p.plot.Min.x - gap - size.x, y - size.y / 2), ink, t.label);
    }
  }
  if (!(ax.flags & AxisFlags_NoLabel) && !ax.label.empty()) {
    const ImVec2 size = TextSize(label, ax.label);
    Text(dl, label, ImVec2(p.plot.GetCenter().x - size.x / 2, p.frame.Max.y - Px(8) - size.y), ink, ax.label);
  }
  if (!(ay.flags & AxisFlags_NoLabel) && !ay.label.empty())
    TextVertical(dl, label, ImVec2(p.frame.Min.x + Px(8) + label.size / 2, p.plot.GetCenter().y), ink, ay.label,
                 p.frame);
  if (!(p.flags & PlotFlags_NoTitle) && !p.title.empty()) {
    const ImVec2 size = TextSize(title, p.title);
    const float x0 = std::clamp(p.plot.GetCenter().x - size.x / 2, p.frame.Min.x, p.frame.Max.x - size.x);
    Text(dl, title, ImVec2(x0, p.frame.Min.y + Px(8)), ink, p.title);
  }
}

// A vertical strip of the colormap, low values at the bottom, ticked on its right.
void DrawColormapStrip(ImDrawList* dl, const ImRect& r, Colormap map, bool vertical) {
  constexpr int kSlices = 128;  // with per-vertex colours, finer than the 256-entry table needs
  for (int i = 0; i < kSlices; ++i) {
    const double t0 = static_cast<double>(i) / kSlices, t1 = static_cast<double>(i + 1) / kSlices;
    const ImU32 c0 = U32(sample(map, t0)), c1 = U32(sample(map, t1));
    if (vertical) {
      const float y0 = r.Max.y - static_cast<float>(t0) * r.GetHeight();
      const float y1 = r.Max.y - static_cast<float>(t1) * r.GetHeight();
      dl->AddRectFilledMultiColor(ImVec2(r.Min.x, y1), ImVec2(r.Max.x, y0), c1, c1, c0, c0);
    } else {
      const float x0 = r.Min.x + static_cast<float>(t0) * r.GetWidth();
      const float x1 = r.Min.x + static_cast<float>(t1) * r.GetWidth();
      dl->AddRectFilledMultiColor(ImVec2(x0, r.Min.y), ImVec2(x1, r.Max.y), c0, c1, c1, c0);
    }
  }
}

void DrawColorbar(const CurrentPlot& p) {
  if (!p.colorbar) return;
  const detail::ColorbarSetup& c = *p.colorbar;
  ImDrawList* dl = p.drawList;
  const ThemePalette& pal = Palette();
  const FontRef tick = TickFont(), label = LabelFont();
  const ImU32 ink = U32(pal.text), axis = U32(pal.axis);
  const float w = std::max(1.0f, std::round(Px(1)));
  DrawColormapStrip(dl, c.rect, c.colormap, true);
  dl->AddRect(c.rect.Min, c.rect.Max, axis, 0.0f, 0, w);
  float widest = 0.0f;
  for (const Tick& t : c.ticks) {
    const double f = Fraction(c.scale, c.range, t.value);
    if (f < -1e-9 || f > 1 + 1e-9) continue;
    const float y = std::floor(c.rect.Max.y - static_cast<float>(f) * c.rect.GetHeight()) + 0.5f;
    const float len = Px(t.major ? 5.0f : 3.0f);
    dl->AddLine(ImVec2(c.rect.Max.x - len, y), ImVec2(c.rect.Max.x, y), axis, w);
    if (t.label.empty()) continue;
    const ImVec2 size = TextSize(tick, t.label);
    widest = std::max(widest, size.x);
    Text(dl, tick, ImVec2(c.rect.Max.x + Px(5), y - size.y / 2), ink, t.label);
  }
  if (!c.label.empty())
    TextVertical(dl, label, ImVec2(c.rect.Max.x + Px(5) + widest + Px(8) + label.size / 2, c.rect.GetCenter().y), ink,
                 c.label, p.frame);
}

// [SECTION] Marks: polylines, dashes, markers
// Dash patterns in multiples of the line width (on, off, on, off …).
std::vector<float> DashPattern(Dash dash) {
  switch (dash) {
    case Dash::Solid: return {};
    case Dash::Dashed: return {4.0f, 2.5f};
    case Dash::Dotted: return {1.0f, 1.8f};
    case Dash::DashDot: return {4.0f, 2.0f, 1.0f, 2.0f};
  }
  return {};
}

void StrokeRun(ImDrawList* dl, const std::vector<ImVec2>& run, ImU32 color, float weight, Dash dash, bool closed) {
  if (run.size() < 2) return;
  const std::vector<float> pattern = DashPattern(dash);
  if (pattern.empty()) {
    // One ImDrawList call reserves all its vertices at once: stay far below 16-bit indices.
    constexpr std::size_t kChunk = 2048;
    if (closed && run.size() <= kChunk) {
      dl->AddPolyline(run.data(), static_cast<int>(run.size()), color, ImDrawFlags_Closed, weight);
      return;
    }
    for (std::size_t start = 0; start + 1 < run.size(); start += kChunk - 1) {
      const std::size_t n = std::min(kChunk, run.size() - start);
      dl->AddPolyline(run.data() + start, static_cast<int>(n), color, 0, weight);
    }
    if (closed) dl->AddLine(run.back(), run.front(), color, weight);
    return;
  }
  const float unit = std::max(weight, 1.0f);
  std::vector<ImVec2> points = run;
  if (closed) points.push_back(run.front());
  std::size_t k = 0;
  float left = pattern[0] * unit;  // what remains of the current dash or gap
  bool on = true;
  std::vector<ImVec2> dashPoints{points[0]};
  for (std::size_t i = 0; i + 1 < points.size(); ++i) {
    ImVec2 a = points[i];
    const ImVec2 b = points[i + 1];
    float length = std::sqrt((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y));
    while (length > 0.0f) {
      const float step = std::min(left, length);
      const float f = step / length;
      const ImVec2 m(a.x + (b.x - a.x) * f, a.y + (b.y - a.y) * f);
      if (on) dashPoints.push_back(m);
      a = m;
      length -= step;
      left -= step;
      if (left <= 0.0f) {
        if (on && dashPoints.size() >= 2) dl->AddPolyline(dashPoints.data(), static_cast<int>(dashPoints.size()), color, 0, weight);
        on = !on;
        k = (k + 1) % pattern.size();
        left = pattern[k] * unit;
        dashPoints.assign(1, a);
      }
    }
  }
  if (on && dashPoints.size() >= 2) dl->AddPolyline(dashPoints.data(), static_cast<int>(dashPoints.size()), color, 0, weight);
}

// Draws the polyline through the points that can be placed, broken where a point cannot
// (NaN, or ≤ 0 on a log axis), clipped to `clip` before narrowing to float pixels.
template <typename PointAt>
void StrokePolyline(const CurrentPlot& p, int count, PointAt pointAt, ImU32 color, float weight, Dash dash,
                    bool closed) {
  ImRect clip = p.plot;
  clip.Expand(weight + 2.0f);
  std::vector<ImVec2> run;
  // The end of the last segment drawn; points closer than half a pixel to the last kept
  // one add nothing visible and wait here, to be kept if the run ends on them.
  ImVec2 last;
  bool pending = false;
  const auto flush = [&](bool close) {
    if (pending && !run.empty()) run.push_back(last);
    pending = false;
    StrokeRun(p.drawList, run, color, weight, dash, close);
    run.clear();
  };
  bool havePrevious = false, allInside = true;
  double px = 0, py = 0;
  const int segments = closed ? count + 1 : count;
  for (int k = 0; k < segments; ++k) {
    const auto [xv, yv] = pointAt(k % count);
    const double x = PixelX(p, xv), y = PixelY(p, yv);
    if (!std::isfinite(x) || !std::isfinite(y)) {
      flush(false);
      havePrevious = false;
      allInside = false;
      continue;
    }
    if (havePrevious) {
      double ax = px, ay = py, bx = x, by = y;
      if (ClipSegment(clip, ax, ay, bx, by)) {
        const ImVec2 a(static_cast<float>(ax), static_cast<float>(ay)), b(static_cast<float>(bx), static_cast<float>(by));
        if (ax != px || ay != py || bx != x || by != y) allInside = false;
        const bool continues = !run.empty() && std::abs(last.x - a.x) <= 0.01f && std::abs(last.y - a.y) <= 0.01f;
        if (!continues) {
          flush(false);
          run.push_back(a);
        }
        pending = std::abs(run.back().x - b.x) < 0.5f && std::abs(run.back().y - b.y) < 0.5f;
        if (!pending) run.push_back(b);
        last = b;
      } else {
        flush(false);
        allInside = false;
      }
    }
    px = x;
    py = y;
    havePrevious = true;
  }
  // A closed line wholly in view is drawn as one closed path (clean joins at the start).
  if (closed && allInside && run.size() > 2) {
    if (!pending) run.pop_back();  // the closing point repeats the first
    pending = false;
    flush(true);
  } else {
    flush(false);
  }
}

void DrawMarker(ImDrawList* dl, ImVec2 c, MarkerShape shape, float r, ImU32 color, bool filled, float weight) {
  const float w = std::max(1.0f, weight * 0.75f);
  switch (shape) {
    case MarkerShape::None: return;
    case MarkerShape::Circle:
      if (filled) dl->AddCircleFilled(c, r, color, 16);
      else dl->AddCircle(c, r, color, 16, w);
      return;
    case MarkerShape::Square: {
      const float h = r * 0.886f;  // same area as the circle
      if (filled) dl->AddRectFilled(ImVec2(c.x - h, c.y - h), ImVec2(c.x + h, c.y + h), color);
      else dl->AddRect(ImVec2(c.x - h, c.y - h), ImVec2(c.x + h, c.y + h), color, 0.0f, 0, w);
      return;
    }
    case MarkerShape::Diamond:
    case MarkerShape::TriangleUp:
    case MarkerShape::TriangleDown: {
      ImVec2 pts[4];
      int n = 3;
      if (shape == MarkerShape::Diamond) {
        const float h = r * 1.2f;
        pts[0] = ImVec2(c.x, c.y - h), pts[1] = ImVec2(c.x + h, c.y), pts[2] = ImVec2(c.x, c.y + h),
        pts[3] = ImVec2(c.x - h, c.y);
        n = 4;
      } else {
        const float s = shape == MarkerShape::TriangleUp ? 1.0f : -1.0f;
        const float h = r * 1.3f;
        pts[0] = ImVec2(c.x, c.y - s * h);
        pts[1] = ImVec2(c.x + h * 0.866f, c.y + s * h * 0.5f);
        pts[2] = ImVec2(c.x - h * 0.866f, c.y + s * h * 0.5f);
        if (s < 0) std::swap(pts[1], pts[2]);  // keep the winding ImGui's fill expects
      }
      if (filled) dl->AddConvexPolyFilled(pts, n, color);
      else dl->AddPolyline(pts, n, color, ImDrawFlags_Closed, w);
      return;
    }
    case MarkerShape::Cross: {
      const float h = r * 0.8f;
      dl->AddLine(ImVec2(c.x - h, c.y - h), ImVec2(c.x + h, c.y + h), color, std::max(w, 1.5f));
      dl->AddLine(ImVec2(c.x - h, c.y + h), ImVec2(c.x + h, c.y - h), color, std::max(w, 1.5f));
      return;
    }
    case MarkerShape::Plus:
      dl->AddLine(ImVec2(c.x - r, c.y), ImVec2(c.x + r, c.y), color, std::max(w, 1.5f));
      dl->AddLine(ImVec2(c.x, c.y - r), ImVec2(c.x, c.y + r), color, std::max(w, 1.5f));
      return;
  }
}

// [SECTION] Items
struct Item {
  ImGuiID id = 0;
  std::string name;
  ImU32 color = 0;
  float weight = 1.0f;
  float markerSize = 3.0f;
};

// Registers an item with the legend and resolves its style; empty when the item is
// hidden (then it neither draws nor counts towards a fit).
std::optional<Item> BeginItem(const char* label, const PlotStyle& style, detail::SwatchKind kind,
                              Colormap colormap = Colormap::Viridis, std::optional<ImU32> neutral = std::nullopt) {
  SetupFinish();
  CurrentPlot& p = Cur();
  Item item;
  item.id = ImGui::GetID(label);
  item.name = DisplayName(label);
  // Items sharing a label share one legend entry, one colour, and hide together.
  const auto listed = std::find_if(p.legend.begin(), p.legend.end(),
                                   [&](const detail::LegendEntry& e) { return e.id == item.id; });
  if (style.color.w >= 0.0f) item.color = ImGui::ColorConvertFloat4ToU32(style.color);
  else if (neutral) item.color = *neutral;
  else if (listed != p.legend.end()) item.color = listed->color;
  else item.color = U32(seriesColor(gContext->theme, static_cast<std::size_t>(p.autoColorIndex++)));
  item.weight = Px(style.weight >= 0.0f ? style.weight : Palette().lineWidth);
  item.markerSize = style.markerSize >= 0.0f ? Px(style.markerSize) : std::max(item.weight * 1.6f, Px(3.0f));
  const bool hidden = p.state->hidden.count(item.id) > 0;
  if (!item.name.empty() && listed == p.legend.end()) {
    detail::LegendEntry e;
    e.id = item.id;
    e.name = item.name;
    e.color = item.color;
    e.swatchColor = neutral && style.color.w < 0.0f ? U32(Palette().text, 0.7f) : item.color;
    e.kind = kind;
    e.style = style;
    e.style.weight = item.weight;
    e.style.markerSize = item.markerSize;
    e.colormap = colormap;
    e.hidden = hidden;
    p.legend.push_back(std::move(e));
  }
  if (hidden) return std::nullopt;
  return item;
}

void ConsiderHover(CurrentPlot& p, const Item& item, double x, double y, ImVec2 pixel, float distance2) {
  const float reach = Px(12.0f);
  if (distance2 > reach * reach) return;
  if (p.nearest.found && distance2 >= p.nearest.distance2) return;
  p.nearest = {true, distance2, item.name, x, y, item.color, pixel};
}

void HoverPoints(CurrentPlot& p, const Item& item, const double* xs, const double* ys, int count) {
  if (!p.hovered || (p.flags & PlotFlags_NoHoverText)) return;
  const ImVec2 m = ImGui::GetIO().MousePos;
  if (!p.plot.Contains(m)) return;
  for (int i = 0; i < count; ++i) {
    const double px = PixelX(p, xs[i]), py = PixelY(p, ys[i]);
    if (!std::isfinite(px) || !std::isfinite(py)) continue;
    const float dx = static_cast<float>(px) - m.x, dy = static_cast<float>(py) - m.y;
    ConsiderHover(p, item, xs[i], ys[i], ImVec2(static_cast<float>(px), static_cast<float>(py)), dx * dx + dy * dy);
  }
}

void DrawMarkers(const CurrentPlot& p, const double* xs, const double* ys, int count, MarkerShape shape, float size,
                 ImU32 color, bool filled, float weight) {
  if (shape == MarkerShape::None) return;
  ImRect visible = p.plot;
  visible.Expand(size * 1.5f);
  for (int i = 0; i < count; ++i) {
    const double px = PixelX(p, xs[i]), py = PixelY(p, ys[i]);
    if (!std::isfinite(px) || !std::isfinite(py)) continue;
    const ImVec2 c(static_cast<float>(px), static_cast<float>(py));
    if (visible.Contains(c)) DrawMarker(p.drawList, c, shape, size, color, filled, weight);
  }
}

double ValueToColormapT(const HeatmapData& d, double v) {
  const double s = toScale(d.scale, v);
  const double s0 = toScale(d.scale, d.valueRange.min), s1 = toScale(d.scale, d.valueRange.max);
  if (!std::isfinite(s)) return std::nan("");
  return s1 > s0 ? (s - s0) / (s1 - s0) : 0.5;
}

void HeatmapHover(CurrentPlot& p, const std::string& name, const HeatmapData& d) {
  if (d.values == nullptr || d.rows < 1 || d.cols < 1 || !p.hovered) return;
  const ImVec2 m = ImGui::GetIO().MousePos;
  if (!p.plot.Contains(m)) return;
  const PlotPoint at = PlotAt(p, m);
  if (!d.x.contains(at.x) || !d.y.contains(at.y)) return;
  const int col = d.cols > 1 ? static_cast<int>(std::lround((at.x - d.x.min) / d.x.span() * (d.cols - 1))) : 0;
  const int row = d.rows > 1 ? static_cast<int>(std::lround((at.y - d.y.min) / d.y.span() * (d.rows - 1))) : 0;
  const double gx = d.cols > 1 ? d.x.min + col * d.x.span() / (d.cols - 1) : d.x.min;
  const double gy = d.rows > 1 ? d.y.min + row * d.y.span() / (d.rows - 1) : d.y.min;
  p.heatmap = detail::HeatmapReadout{name, d.values[static_cast<std::size_t>(row) * d.cols + col], gx, gy};
}

}  // namespace

void SetupFinish() {
  CurrentPlot& p = Cur();
  if (p.setupDone) return;
  p.setupDone = true;
  if (!(p.flags & PlotFlags_NoInputs)) {
    HandleInput(p);
  } else {
    for (int i = 0; i < 2; ++i) ApplyLimitsAndFit(p, i);
    p.state->fitRequested = false;
  }
  ComputeLayout(p);
  if (p.flags & PlotFlags_Equal) {
    ApplyEqualAspect(p);
    ComputeLayout(p);
  }
  p.mouse = PlotAt(p, ImGui::GetIO().MousePos);

  const ThemePalette& pal = Palette();
  p.drawList->AddRectFilled(p.frame.Min, p.frame.Max, U32(pal.background));
  p.drawList->AddRectFilled(p.plot.Min, p.plot.Max, U32(pal.plotBackground));
  DrawGrid(p);
  p.drawList->PushClipRect(p.plot.Min, p.plot.Max, true);
  p.clipPushed = true;
}

void PlotLine(const char* label, const double* xs, const double* ys, int count, const PlotStyle& style) {
  const auto item = BeginItem(label, style, detail::SwatchKind::Line);
  if (!item || count <= 0) return;
  CurrentPlot& p = Cur();
  for (int i = 0; i < count; ++i) {
    Extend(p, 0, xs[i], false);
    Extend(p, 1, ys[i], false);
  }
  StrokePolyline(p, count, [&](int i) { return std::pair{xs[i], ys[i]}; }, item->color, item->weight, style.dash,
                 false);
  DrawMarkers(p, xs, ys, count, style.marker, item->markerSize, item->color, style.markerFilled, item->weight);
  HoverPoints(p, *item, xs, ys, count);
}

void PlotScatter(const char* label, const double* xs, const double* ys, int count, const PlotStyle& style) {
  PlotStyle s = style;
  if (s.marker == MarkerShape::None) s.marker = MarkerShape::Circle;
  const auto item = BeginItem(label, s, detail::SwatchKind::Marker);
  if (!item || count <= 0) return;
  CurrentPlot& p = Cur();
  for (int i = 0; i < count; ++i) {
    Extend(p, 0, xs[i], false);
    Extend(p, 1, ys[i], false);
  }
  const float size = style.markerSize >= 0.0f ? Px(style.markerSize) : Px(4.0f);
  DrawMarkers(p, xs, ys, count, s.marker, size, item->color, s.markerFilled, item->weight);
  HoverPoints(p, *item, xs, ys, count);
}

namespace {
// Fills between two curves with plain triangles (no anti-aliased fringe, which would show
// seams between neighbours), split where the curves cross so no triangle folds over.
template <typename Lower>
void FillBetween(CurrentPlot& p, const double* xs, const double* ys, Lower lower, int count, ImU32 color) {
  ImDrawList* dl = p.drawList;
  const ImVec2 uv = dl->_Data->TexUvWhitePixel;
  const auto triangle = [&](ImVec2 a, ImVec2 b, ImVec2 c) {
    dl->PrimReserve(3, 3);
    const ImDrawIdx base = static_cast<ImDrawIdx>(dl->_VtxCurrentIdx);
    dl->PrimWriteVtx(a, uv, color);
    dl->PrimWriteVtx(b, uv, color);
    dl->PrimWriteVtx(c, uv, color);
    dl->PrimWriteIdx(base);
    dl->PrimWriteIdx(static_cast<ImDrawIdx>(base + 1));
    dl->PrimWriteIdx(static_cast<ImDrawIdx>(base + 2));
  };
  const auto valid = [&](int i) {
    return std::isfinite(PixelX(p, xs[i])) && std::isfinite(PixelY(p, ys[i])) && std::isfinite(PixelY(p, lower(i)));
  };
  for (int i = 0; i + 1 < count; ++i) {
    if (!valid(i) || !valid(i + 1)) continue;
    const ImVec2 a1 = Pixel(p, xs[i], ys[i]), b1 = Pixel(p, xs[i + 1], ys[i + 1]);
    const ImVec2 a2 = Pixel(p, xs[i], lower(i)), b2 = Pixel(p, xs[i + 1], lower(i + 1));
    if (std::max({a1.x, b1.x}) < p.plot.Min.x || std::min({a1.x, b1.x}) > p.plot.Max.x) continue;
    const float da = a1.y - a2.y, db = b1.y - b2.y;
    if ((da < 0 && db > 0) || (da > 0 && db < 0)) {
      const float t = da / (da - db);
      const ImVec2 c(a1.x + (b1.x - a1.x) * t, a1.y + (b1.y - a1.y) * t);
      triangle(a1, a2, c);
      triangle(c, b1, b2);
    } else {
      triangle(a1, b1, b2);
      triangle(a1, b2, a2);
    }
  }
}
}  // namespace

void PlotShaded(const char* label, const double* xs, const double* ys1, const double* ys2, int count,
                const PlotStyle& style) {
  const auto item = BeginItem(label, style, detail::SwatchKind::Fill);
  if (!item || count <= 0) return;
  CurrentPlot& p = Cur();
  for (int i = 0; i < count; ++i) {
    Extend(p, 0, xs[i], false);
    Extend(p, 1, ys1[i], false);
    Extend(p, 1, ys2[i], false);
  }
  const float alpha = style.fillAlpha >= 0.0f ? style.fillAlpha : 0.25f;
  FillBetween(p, xs, ys1, [&](int i) { return ys2[i]; }, count, WithAlpha(item->color, alpha));
}

void PlotShaded(const char* label, const double* xs, const double* ys, int count, double yRef,
                const PlotStyle& style) {
  const auto item = BeginItem(label, style, detail::SwatchKind::Fill);
  if (!item || count <= 0) return;
  CurrentPlot& p = Cur();
  // On a log axis "zero" is the bottom of the view.
  const double ref = representable(p.axes[1].scale, yRef) ? yRef : p.state->axes[1].range.min;
  for (int i = 0; i < count; ++i) {
    Extend(p, 0, xs[i], false);
    Extend(p, 1, ys[i], false);
  }
  Extend(p, 1, yRef, false);
  const float alpha = style.fillAlpha >= 0.0f ? style.fillAlpha : 0.25f;
  FillBetween(p, xs, ys, [&](int) { return ref; }, count, WithAlpha(item->color, alpha));
}

void PlotBars(const char* label, const double* xs, const double* heights, int count, double width, double shift,
              const PlotStyle& style) {
  const auto item = BeginItem(label, style, detail::SwatchKind::Fill);
  if (!item || count <= 0) return;
  CurrentPlot& p = Cur();
  const bool logY = p.axes[1].scale == Scale::Log10;
  const double base = logY ? p.state->axes[1].range.min : 0.0;
  const float alpha = style.fillAlpha >= 0.0f ? style.fillAlpha : 0.85f;
  const ImU32 fill = WithAlpha(item->color, alpha);
  const float outline = std::max(1.0f, std::round(Px(1)));
  const ImVec2 m = ImGui::GetIO().MousePos;
  for (int i = 0; i < count; ++i) {
    const double x = xs[i] + shift;
    Extend(p, 0, x - width / 2, false);
    Extend(p, 0, x + width / 2, false);
    Extend(p, 1, heights[i], false);
    if (!logY) Extend(p, 1, 0.0, false);
    if (!representable(p.axes[1].scale, heights[i]) || !std::isfinite(x)) continue;
    const ImVec2 a = Pixel(p, x - width / 2, heights[i]), b = Pixel(p, x + width / 2, base);
    const ImVec2 lo(std::round(std::min(a.x, b.x)), std::round(std::min(a.y, b.y)));
    const ImVec2 hi(std::round(std::max(a.x, b.x)), std::round(std::max(a.y, b.y)));
    p.drawList->AddRectFilled(lo, hi, fill);
    p.drawList->AddRect(lo, hi, item->color, 0.0f, 0, outline);
    if (p.hovered && !(p.flags & PlotFlags_NoHoverText) && ImRect(lo, hi).Contains(m))
      ConsiderHover(p, *item, xs[i], heights[i], ImVec2(0.5f * (lo.x + hi.x), a.y), 0.0f);
  }
}

void PlotHeatmap(const char* label, const HeatmapData& d) {
  const auto item = BeginItem(label, {}, detail::SwatchKind::Colormap, d.colormap, 0u);
  if (!item || d.values == nullptr || d.rows < 1 || d.cols < 1) return;
  CurrentPlot& p = Cur();
  Extend(p, 0, d.x.min, true);
  Extend(p, 0, d.x.max, true);
  Extend(p, 1, d.y.min, true);
  Extend(p, 1, d.y.max, true);
  // Cell edges halfway between grid points, the outer ones on the extent: the picture
  // covers exactly the extent, as the GL renderer's does.
  const auto edges = [](Range r, int n) {
    std::vector<double> e(static_cast<std::size_t>(n) + 1);
    for (int i = 0; i <= n; ++i)
      e[static_cast<std::size_t>(i)] =
          i == 0 ? r.min : i == n ? r.max : r.min + (i - 0.5) * r.span() / std::max(n - 1, 1);
    return e;
  };
  const std::vector<double> ex = edges(d.x, d.cols), ey = edges(d.y, d.rows);
  // More cells than about one per 2–3 pixels cannot be seen: draw blocks of cells coloured
  // by their central cell.
  const int maxX = std::clamp(static_cast<int>(p.plot.GetWidth() / Px(2.5f)), 16, 256);
  const int maxY = std::clamp(static_cast<int>(p.plot.GetHeight() / Px(2.5f)), 16, 256);
  const int sx = std::max(1, (d.cols + maxX - 1) / maxX), sy = std::max(1, (d.rows + maxY - 1) / maxY);
  ImDrawList* dl = p.drawList;
  const ImU32 noData = U32(kNoDataColor);
  for (int r0 = 0; r0 < d.rows; r0 += sy) {
    const int r1 = std::min(r0 + sy, d.rows);
    const float yb = static_cast<float>(PixelY(p, ey[static_cast<std::size_t>(r0)]));
    const float yt = static_cast<float>(PixelY(p, ey[static_cast<std::size_t>(r1)]));
    if (!std::isfinite(yb) || !std::isfinite(yt) || std::max(yb, yt) < p.plot.Min.y || std::min(yb, yt) > p.plot.Max.y)
      continue;
    const int row = (r0 + r1 - 1) / 2;
    for (int c0 = 0; c0 < d.cols; c0 += sx) {
      const int c1 = std::min(c0 + sx, d.cols);
      const float xl = static_cast<float>(PixelX(p, ex[static_cast<std::size_t>(c0)]));
      const float xr = static_cast<float>(PixelX(p, ex[static_cast<std::size_t>(c1)]));
      if (!std::isfinite(xl) || !std::isfinite(xr) || xr < p.plot.Min.x || xl > p.plot.Max.x) continue;
      const double v = d.values[static_cast<std::size_t>(row) * d.cols + (c0 + c1 - 1) / 2];
      const double t = ValueToColormapT(d, v);
      const ImU32 col = std::isfinite(t) ? U32(sample(d.colormap, t)) : noData;
      const ImVec2 lo(std::max(xl, p.plot.Min.x - 1), std::max(std::min(yb, yt), p.plot.Min.y - 1));
      const ImVec2 hi(std::min(xr, p.plot.Max.x + 1), std::min(std::max(yb, yt), p.plot.Max.y + 1));
      dl->PrimReserve(6, 4);
      dl->PrimRect(lo, hi, col);
    }
  }
  HeatmapHover(p, item->name, d);
}

void PlotHeatmap(const char* label, ImTextureID texture, PlotPoint boundsMin, PlotPoint boundsMax, ImVec2 uv0,
                 ImVec2 uv1, const HeatmapData* readout) {
  const auto item = BeginItem(label, {}, detail::SwatchKind::Colormap,
                              readout != nullptr ? readout->colormap : Colormap::Viridis, 0u);
  if (!item) return;
  CurrentPlot& p = Cur();
  Extend(p, 0, boundsMin.x, true);
  Extend(p, 0, boundsMax.x, true);
  Extend(p, 1, boundsMin.y, true);
  Extend(p, 1, boundsMax.y, true);
  const ImVec2 a = Pixel(p, boundsMin.x, boundsMax.y), b = Pixel(p, boundsMax.x, boundsMin.y);
  if (texture != nullptr && std::isfinite(a.x) && std::isfinite(b.x) && std::isfinite(a.y) && std::isfinite(b.y))
    p.drawList->AddImage(texture, a, b, uv0, uv1);
  if (readout != nullptr) HeatmapHover(p, item->name, *readout);
}

void PlotContours(const char* label, const Polyline* lines, int count, const char* levelText,
                  const PlotStyle& style) {
  // Contours lie over heatmaps: a neutral default colour, not the next series colour.
  const ImU32 neutral = gContext->theme == Theme::Print ? IM_COL32(0, 0, 0, 190) : IM_COL32(255, 255, 255, 215);
  const auto item = BeginItem(label, style, detail::SwatchKind::Line, Colormap::Viridis, neutral);
  if (!item || count <= 0) return;
  CurrentPlot& p = Cur();
  const float weight = style.weight >= 0.0f ? item->weight : Px(1.25f);
  const Polyline* longest = nullptr;
  double longestLength = 0.0;
  for (int k = 0; k < count; ++k) {
    const Polyline& line = lines[k];
    const int n = static_cast<int>(std::min(line.xs.size(), line.ys.size()));
    if (n < 2) continue;
    for (int i = 0; i < n; ++i) {
      Extend(p, 0, line.xs[static_cast<std::size_t>(i)], false);
      Extend(p, 1, line.ys[static_cast<std::size_t>(i)], false);
    }
    StrokePolyline(
        p, n, [&](int i) { return std::pair{line.xs[static_cast<std::size_t>(i)], line.ys[static_cast<std::size_t>(i)]}; },
        item->color, weight, style.dash, line.closed);
    double length = 0.0;
    for (int i = 0; i + 1 < n; ++i) {
      const ImVec2 a = Pixel(p, line.xs[static_cast<std::size_t>(i)], line.ys[static_cast<std::size_t>(i)]);
      const ImVec2 b = Pixel(p, line.xs[static_cast<std::size_t>(i + 1)], line.ys[static_cast<std::size_t>(i + 1)]);
      if (p.plot.Contains(a) && p.plot.Contains(b)) length += std::hypot(b.x - a.x, b.y - a.y);
    }
    if (length > longestLength) {
      longestLength = length;
      longest = &line;
    }
  }
  // The level written where the longest visible stretch runs, on a box that keeps it
  // readable over any colour.
  if (levelText == nullptr || *levelText == '\0' || longest == nullptr) return;
  const FontRef f = TickFont();
  const ImVec2 size = TextSize(f, levelText);
  if (longestLength < size.x * 2.5f) return;
  double walked = 0.0;
  for (std::size_t i = 0; i + 1 < longest->xs.size(); ++i) {
    const ImVec2 a = Pixel(p, longest->xs[i], longest->ys[i]), b = Pixel(p, longest->xs[i + 1], longest->ys[i + 1]);
    if (!(p.plot.Contains(a) && p.plot.Contains(b))) continue;
    walked += std::hypot(b.x - a.x, b.y - a.y);
    if (walked < longestLength / 2) continue;
    const ImVec2 c(std::round(a.x - size.x / 2), std::round(a.y - size.y / 2));
    p.drawList->AddRectFilled(ImVec2(c.x - Px(2), c.y), ImVec2(c.x + size.x + Px(2), c.y + size.y),
                              U32(Palette().plotBackground, 0.8f), Px(2));
    Text(p.drawList, f, c, U32(Palette().text), levelText);
    break;
  }
}

void PlotAnnotation(double x, double y, const char* text, ImVec4 color, ImVec2 offset, bool marker) {
  SetupFinish();
  CurrentPlot& p = Cur();
  const double px = PixelX(p, x), py = PixelY(p, y);
  if (!std::isfinite(px) || !std::isfinite(py)) return;
  const ThemePalette& pal = Palette();
  const ImU32 col = color.w >= 0.0f ? ImGui::ColorConvertFloat4ToU32(color) : U32(pal.text);
  const ImVec2 at(static_cast<float>(px), static_cast<float>(py));
  if (!p.plot.Contains(at)) return;
  const FontRef f = LabelFont();
  const std::string s = text != nullptr ? text : "";
  const ImVec2 size = TextSize(f, s);
  const float pad = Px(4);
  const ImVec2 off(Px(offset.x), Px(offset.y));
  // The box's corner nearest the point sits at the offset; then kept inside the plot.
  float x0 = off.x >= 0 ? at.x + off.x : at.x + off.x - size.x - 2 * pad;
  float y0 = off.y >= 0 ? at.y + off.y : at.y + off.y - size.y - 2 * pad;
  x0 = std::clamp(x0, p.plot.Min.x + 1, std::max(p.plot.Min.x + 1, p.plot.Max.x - size.x - 2 * pad - 1));
  y0 = std::clamp(y0, p.plot.Min.y + 1, std::max(p.plot.Min.y + 1, p.plot.Max.y - size.y - 2 * pad - 1));
  const ImRect box(ImVec2(std::round(x0), std::round(y0)),
                   ImVec2(std::round(x0 + size.x + 2 * pad), std::round(y0 + size.y + 2 * pad)));
  if (offset.x != 0.0f || offset.y != 0.0f) {
    const ImVec2 corner(std::clamp(at.x, box.Min.x, box.Max.x), std::clamp(at.y, box.Min.y, box.Max.y));
    p.drawList->AddLine(at, corner, col, std::max(1.0f, Px(1)));
  }
  if (marker) p.drawList->AddCircleFilled(at, Px(3.5f), col, 12);
  p.drawList->AddRectFilled(box.Min, box.Max, U32(pal.legendBackground), Px(3));
  p.drawList->AddRect(box.Min, box.Max, col, Px(3), 0, std::max(1.0f, Px(1)));
  Text(p.drawList, f, ImVec2(box.Min.x + pad, box.Min.y + pad), U32(pal.text), s);
}

// [SECTION] Legend, hover read-out and context menu
namespace {

void DrawSwatch(ImDrawList* dl, const detail::LegendEntry& e, const ImRect& r, float alpha) {
  const ImU32 col = WithAlpha(e.swatchColor, alpha);
  const ImVec2 c = r.GetCenter();
  switch (e.kind) {
    case detail::SwatchKind::Line: {
      const std::vector<ImVec2> run{ImVec2(r.Min.x, c.y), ImVec2(r.Max.x, c.y)};
      StrokeRun(dl, run, col, std::min(e.style.weight, Px(4)), e.style.dash, false);
      DrawMarker(dl, c, e.style.marker, std::min(e.style.markerSize, r.GetHeight() * 0.4f), col, e.style.markerFilled,
                 e.style.weight);
      return;
    }
    case detail::SwatchKind::Marker:
      DrawMarker(dl, c, e.style.marker == MarkerShape::None ? MarkerShape::Circle : e.style.marker,
                 r.GetHeight() * 0.3f, col, e.style.markerFilled, e.style.weight);
      return;
    case detail::SwatchKind::Fill: {
      const ImRect box(ImVec2(r.Min.x + r.GetWidth() * 0.15f, r.Min.y + 2), ImVec2(r.Max.x - r.GetWidth() * 0.15f, r.Max.y - 2));
      dl->AddRectFilled(box.Min, box.Max, WithAlpha(e.swatchColor, alpha * 0.6f));
      dl->AddRect(box.Min, box.Max, col);
      return;
    }
    case detail::SwatchKind::Colormap:
      DrawColormapStrip(dl, ImRect(ImVec2(r.Min.x, r.Min.y + 2), ImVec2(r.Max.x, r.Max.y - 2)), e.colormap, false);
      return;
  }
}

void DrawLegend(CurrentPlot& p) {
  PlotState& st = *p.state;
  st.legendHits.clear();
  st.legendRect = ImRect();
  if ((p.flags & PlotFlags_NoLegend) || !st.showLegend || p.legend.empty()) return;
  const ThemePalette& pal = Palette();
  const FontRef f = LabelFont();
  const float pad = Px(6), swatch = Px(24), spacing = Px(6), rowHeight = f.size + Px(4);
  float textWidth = 0.0f;
  for (const detail::LegendEntry& e : p.legend) textWidth = std::max(textWidth, TextSize(f, e.name).x);
  const ImVec2 size(std::round(2 * pad + swatch + spacing + textWidth),
                    std::round(2 * pad + rowHeight * static_cast<float>(p.legend.size())));
  const float margin = Px(8);
  const bool west = p.legendLocation == LegendLocation::NorthWest || p.legendLocation == LegendLocation::SouthWest;
  const bool south = p.legendLocation == LegendLocation::SouthEast || p.legendLocation == LegendLocation::SouthWest;
  const ImVec2 min(std::round(west ? p.plot.Min.x + margin : p.plot.Max.x - margin - size.x),
                   std::round(south ? p.plot.Max.y - margin - size.y : p.plot.Min.y + margin));
  const ImRect box(min, ImVec2(min.x + size.x, min.y + size.y));
  ImDrawList* dl = p.drawList;
  dl->AddRectFilled(box.Min, box.Max, U32(pal.legendBackground), Px(3));
  dl->AddRect(box.Min, box.Max, U32(pal.legendBorder), Px(3), 0, std::max(1.0f, Px(1)));
  st.legendRect = box;
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  float y = box.Min.y + pad;
  for (const detail::LegendEntry& e : p.legend) {
    const ImRect row(ImVec2(box.Min.x + 1, y), ImVec2(box.Max.x - 1, y + rowHeight));
    if (p.hovered && !(p.flags & PlotFlags_NoInputs) && row.Contains(mouse))
      dl->AddRectFilled(row.Min, row.Max, U32(pal.text, 0.08f));
    const float alpha = e.hidden ? 0.35f : 1.0f;
    DrawSwatch(dl, e, ImRect(ImVec2(box.Min.x + pad, y + 2), ImVec2(box.Min.x + pad + swatch, y + rowHeight - 2)),
               alpha);
    Text(dl, f, ImVec2(box.Min.x + pad + swatch + spacing, y + (rowHeight - f.size) / 2), U32(pal.text, alpha),
         e.name);
    st.legendHits.push_back({e.id, row});
    y += rowHeight;
  }
}

void DrawHover(CurrentPlot& p) {
  if (!p.hovered || (p.flags & PlotFlags_NoHoverText)) return;
  const ImVec2 m = ImGui::GetIO().MousePos;
  if (!p.plot.Contains(m) || p.state->legendRect.Contains(m)) return;
  if (ImGui::IsMouseDragging(ImGuiMouseButton_Left) || ImGui::IsPopupOpen("##PlotMenu")) return;
  const ThemePalette& pal = Palette();
  if (p.flags & PlotFlags_Crosshairs) {
    const ImU32 col = U32(pal.text, 0.35f);
    p.drawList->AddLine(ImVec2(p.plot.Min.x, std::floor(m.y) + 0.5f), ImVec2(p.plot.Max.x, std::floor(m.y) + 0.5f), col);
    p.drawList->AddLine(ImVec2(std::floor(m.x) + 0.5f, p.plot.Min.y), ImVec2(std::floor(m.x) + 0.5f, p.plot.Max.y), col);
  }
  if (p.nearest.found) {
    p.drawList->AddCircle(p.nearest.pixel, Px(6), U32(pal.plotBackground), 16, Px(3.5f));
    p.drawList->AddCircle(p.nearest.pixel, Px(6), p.nearest.color, 16, Px(2));
  }
  ImGui::BeginTooltip();
  if (p.nearest.found) {
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(p.nearest.color), "\xE2\x97\x8F");  // ● in the series colour
    ImGui::SameLine();
    ImGui::Text("%s", p.nearest.name.c_str());
    ImGui::Text("%s = %s   %s = %s", p.axes[0].label.empty() ? "x" : p.axes[0].label.c_str(),
                formatNumber(p.nearest.x, 5).c_str(), p.axes[1].label.empty() ? "y" : p.axes[1].label.c_str(),
                formatNumber(p.nearest.y, 5).c_str());
  } else if (p.heatmap) {
    ImGui::Text("%s = %s", p.heatmap->name.empty() ? "value" : p.heatmap->name.c_str(),
                formatNumber(p.heatmap->value, 5).c_str());
    ImGui::TextDisabled("at (%s, %s)", formatNumber(p.heatmap->x, 4).c_str(), formatNumber(p.heatmap->y, 4).c_str());
  } else {
    ImGui::Text("x = %s   y = %s", formatNumber(p.mouse.x, 4).c_str(), formatNumber(p.mouse.y, 4).c_str());
  }
  ImGui::EndTooltip();
}

void BuiltinMenuItems(CurrentPlot& p) {
  PlotState& st = *p.state;
  if (ImGui::MenuItem("Fit data", "double-click")) st.fitRequested = true;
  if (!(p.flags & PlotFlags_NoLegend)) ImGui::MenuItem("Legend", nullptr, &st.showLegend);
  ImGui::MenuItem("Grid", nullptr, &st.showGrid);
  if (!st.hidden.empty() && ImGui::MenuItem("Show all series")) st.hidden.clear();
}

}  // namespace

bool BeginPlotContextMenu() {
  SetupFinish();
  CurrentPlot& p = Cur();
  if (p.flags & PlotFlags_NoMenus) return false;
  p.menuHandled = true;
  if (!ImGui::BeginPopup("##PlotMenu")) return false;
  BuiltinMenuItems(p);
  ImGui::Separator();
  return true;
}

void EndPlotContextMenu() { ImGui::EndPopup(); }

void EndPlot() {
  SetupFinish();
  CurrentPlot& p = Cur();
  if (p.clipPushed) p.drawList->PopClipRect();
  DrawAxes(p);
  DrawColorbar(p);
  p.drawList->PushClipRect(p.plot.Min, p.plot.Max, true);
  DrawLegend(p);
  DrawHover(p);
  p.drawList->PopClipRect();
  if (!p.menuHandled && !(p.flags & PlotFlags_NoMenus) && ImGui::BeginPopup("##PlotMenu")) {
    BuiltinMenuItems(p);
    ImGui::EndPopup();
  }
  PlotState& st = *p.state;
  for (std::size_t i = 0; i < 2; ++i) {
    st.measured[i] = {p.tight[i].range(), p.loose[i].range()};
    st.measuredScale[i] = p.axes[i].scale;
  }
  st.plotRect = p.plot;
  st.hasPlotRect = true;
  ImGui::PopID();
  gContext->current.reset();
}

// [SECTION] Queries and widgets
bool IsPlotHovered() {
  SetupFinish();
  return Cur().hovered && Cur().plot.Contains(ImGui::GetIO().MousePos);
}
PlotPoint GetPlotMousePos() {
  SetupFinish();
  return Cur().mouse;
}
PlotLimits GetPlotLimits() {
  SetupFinish();
  return {Cur().state->axes[0].range, Cur().state->axes[1].range};
}
ImVec2 GetPlotPos() {
  SetupFinish();
  return Cur().plot.Min;
}
ImVec2 GetPlotSize() {
  SetupFinish();
  return Cur().plot.GetSize();
}
ImDrawList* GetPlotDrawList() { return Cur().drawList; }
ImVec2 PlotToPixels(double x, double y) {
  SetupFinish();
  return Pixel(Cur(), x, y);
}
PlotPoint PixelsToPlot(ImVec2 pixels) {
  SetupFinish();
  return PlotAt(Cur(), pixels);
}
bool IsItemHidden(const char* label) { return Cur().state->hidden.count(ImGui::GetID(label)) > 0; }

void ColormapPreview(const char* id, Colormap colormap, ImVec2 size) {
  if (size.x <= 0.0f) size.x = std::max(ImGui::GetContentRegionAvail().x + size.x, 8.0f);
  if (size.y <= 0.0f) size.y = ImGui::GetFrameHeight();
  ImGui::PushID(id);
  ImGui::Dummy(size);
  ImGui::PopID();
  const ImRect r(ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
  ImDrawList* dl = ImGui::GetWindowDrawList();
  DrawColormapStrip(dl, r, colormap, false);
  dl->AddRect(r.Min, r.Max, ImGui::GetColorU32(ImGuiCol_Border));
}

}  // namespace attnlab::plot
