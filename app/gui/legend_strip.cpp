#include "app/gui/legend_strip.hpp"

#include <algorithm>
#include <cmath>
#include <variant>

#include "app/gui/plot.hpp"

namespace attnlab::gui {

std::vector<LegendEntry> legendEntries(const Figure& figure, Theme theme) {
  std::vector<LegendEntry> out;
  std::size_t automatic = 0;
  for (const Series& series : figure.series) {
    LegendEntry e;
    if (const auto* l = std::get_if<LineSeries>(&series)) {
      e = LegendEntry{l->label, toU32(l->style.color.value_or(seriesColor(theme, automatic++))), l->style.dash,
                      l->style.width, true, l->markers};
    } else if (const auto* m = std::get_if<MarkerSeries>(&series)) {
      e = LegendEntry{m->label, toU32(m->color.value_or(seriesColor(theme, automatic++))), Dash::Solid, 1.5f, false,
                      m->marker};
    } else {
      continue;
    }
    if (!e.label.empty()) out.push_back(std::move(e));
  }
  return out;
}

namespace {

void drawMarkerShape(ImDrawList* draw, ImVec2 c, const Marker& m, ImU32 colour) {
  const float r = std::min(m.size, 6.0f) * plot::GetPixelScale();
  const float w = 1.8f * plot::GetPixelScale();
  switch (m.shape) {
    case MarkerShape::None: return;
    case MarkerShape::Circle:
      if (m.filled) draw->AddCircleFilled(c, r, colour, 16);
      else draw->AddCircle(c, r, colour, 16, w);
      return;
    case MarkerShape::Square: {
      const ImVec2 a(c.x - r, c.y - r), b(c.x + r, c.y + r);
      if (m.filled) draw->AddRectFilled(a, b, colour);
      else draw->AddRect(a, b, colour, 0.0f, 0, w);
      return;
    }
    case MarkerShape::Diamond: {
      const ImVec2 q[4] = {{c.x, c.y - r}, {c.x + r, c.y}, {c.x, c.y + r}, {c.x - r, c.y}};
      if (m.filled) draw->AddConvexPolyFilled(q, 4, colour);
      else draw->AddPolyline(q, 4, colour, ImDrawFlags_Closed, w);
      return;
    }
    case MarkerShape::TriangleUp:
    case MarkerShape::TriangleDown: {
      const float s = m.shape == MarkerShape::TriangleUp ? 1.0f : -1.0f;
      const ImVec2 a(c.x, c.y - s * r), b(c.x + r, c.y + s * r * 0.8f), d(c.x - r, c.y + s * r * 0.8f);
      if (m.filled) draw->AddTriangleFilled(a, b, d, colour);
      else draw->AddTriangle(a, b, d, colour, w);
      return;
    }
    case MarkerShape::Cross:
      draw->AddLine(ImVec2(c.x - r, c.y - r), ImVec2(c.x + r, c.y + r), colour, w);
      draw->AddLine(ImVec2(c.x - r, c.y + r), ImVec2(c.x + r, c.y - r), colour, w);
      return;
    case MarkerShape::Plus:
      draw->AddLine(ImVec2(c.x - r, c.y), ImVec2(c.x + r, c.y), colour, w);
      draw->AddLine(ImVec2(c.x, c.y - r), ImVec2(c.x, c.y + r), colour, w);
      return;
  }
}

// A swatch in the legend style of a series: a line (solid, dashed, dotted, dash-dot) and
// its marker.
void drawSwatch(const LegendEntry& e, ImVec2 at, float w, float h) {
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const float y = std::floor(at.y + h / 2) + 0.5f;
  if (e.line) {
    const float s = plot::GetPixelScale();
    const float on = (e.dash == Dash::Dotted ? 2.0f : e.dash == Dash::Solid ? w : 6.0f) * s;
    const float off = (e.dash == Dash::Solid ? 0.0f : 3.0f) * s;
    const float width = e.width * s;
    bool second = false;  // dash-dot alternates a dash and a dot
    for (float x = 0.0f; x < w; x += on + off) {
      const float len = e.dash == Dash::DashDot && second ? 2.0f * s : on;
      draw->AddLine(ImVec2(at.x + x, y), ImVec2(at.x + std::min(w, x + len), y), e.colour, width);
      if (e.dash == Dash::DashDot) x += len - on;
      second = !second;
    }
  }
  drawMarkerShape(draw, ImVec2(at.x + w / 2, y), e.marker, e.colour);
}

constexpr const char* kHelpText = "(?)";

float entryWidth(const LegendEntry& e, float swatch, float gap, const LegendHelp& help) {
  const float helpWidth = help && help(e.label) ? ImGui::CalcTextSize(kHelpText).x + gap * 0.5f : 0.0f;
  return swatch + gap * 0.5f + ImGui::CalcTextSize(e.label.c_str()).x + helpWidth + gap * 2.0f;
}

}  // namespace

int legendRows(const std::vector<LegendEntry>& entries, float width, const LegendHelp& help) {
  const float swatch = ImGui::GetFontSize() * 2.0f, gap = ImGui::GetStyle().ItemSpacing.x;
  int rows = entries.empty() ? 0 : 1;
  float x = 0.0f;
  for (const LegendEntry& e : entries) {
    const float w = entryWidth(e, swatch, gap, help);
    if (x > 0.0f && x + w > width) {
      ++rows;
      x = 0.0f;
    }
    x += w;
  }
  return rows;
}

std::optional<std::string> drawLegendStrip(const std::vector<LegendEntry>& entries, float width, const UiPalette& ui,
                                           const LegendHelp& help, const std::set<std::string>& hidden) {
  std::optional<std::string> clicked;
  const float swatch = ImGui::GetFontSize() * 2.0f, gap = ImGui::GetStyle().ItemSpacing.x;
  const float h = ImGui::GetTextLineHeight();
  const float left = ImGui::GetCursorPosX();
  float x = 0.0f;
  for (const LegendEntry& e : entries) {
    const float w = entryWidth(e, swatch, gap, help);
    if (x > 0.0f && x + w <= width) ImGui::SameLine(left + x);
    else x = 0.0f;
    const bool dim = hidden.count(e.label) > 0;
    if (dim) ImGui::PushStyleVar(ImGuiStyleVar_Alpha, 0.35f);
    ImGui::BeginGroup();
    LegendEntry look = e;
    if (dim) look.colour = (look.colour & ~IM_COL32_A_MASK) | (static_cast<ImU32>(90) << IM_COL32_A_SHIFT);
    drawSwatch(look, ImGui::GetCursorScreenPos(), swatch, h);
    ImGui::Dummy(ImVec2(swatch, h));
    ImGui::SameLine(0.0f, gap * 0.5f);
    ImGui::TextUnformatted(e.label.c_str());
    const char* text = help ? help(e.label) : nullptr;
    if (text) {
      ImGui::SameLine(0.0f, gap * 0.5f);
      ImGui::PushStyleColor(ImGuiCol_Text, ui.muted);
      ImGui::TextUnformatted(kHelpText);
      ImGui::PopStyleColor();
    }
    ImGui::EndGroup();
    if (dim) ImGui::PopStyleVar();
    if (ImGui::IsItemClicked()) clicked = e.label;
    if (ImGui::IsItemHovered()) {
      ImGui::BeginTooltip();
      ImGui::PushTextWrapPos(ImGui::GetFontSize() * 32.0f);
      if (text) ImGui::TextUnformatted(text);
      ImGui::TextDisabled(dim ? "Click to show it again." : "Click to hide it (the plots fit what is left).");
      ImGui::PopTextWrapPos();
      ImGui::EndTooltip();
    }
    x += w;
  }
  return clicked;
}

}  // namespace attnlab::gui
