// A legend drawn as rows of entries outside every plot area, for panels whose plots share
// their colours (the bounds lab): a legend inside a plot would cover its lines. Each entry
// is drawn in the style of its series (solid, dashed, dotted, dash-dot; its marker), and a
// caller's help text turns into a "(?)" whose tooltip is one hover away.
#pragma once
#include <imgui.h>

#include <functional>
#include <string>
#include <vector>

#include "app/gui/theme.hpp"
#include "core/figure/figure.hpp"

namespace attnlab::gui {

// One entry: how its series is drawn, and its label.
struct LegendEntry {
  std::string label;
  ImU32 colour = 0;
  Dash dash = Dash::Solid;
  float width = 2.0f;
  bool line = true;  // false: a marker only
  Marker marker;
};

// The labelled line and marker series of a figure, in order, coloured for `theme`.
std::vector<LegendEntry> legendEntries(const Figure& figure, Theme theme);

// The help of an entry (statement, source, erratum), or null for none.
using LegendHelp = std::function<const char*(const std::string& label)>;

// How many rows the entries take in `width` pixels (to reserve the height before drawing).
int legendRows(const std::vector<LegendEntry>& entries, float width, const LegendHelp& help);
// Draws the rows at the cursor; hovering an entry with help shows it.
void drawLegendStrip(const std::vector<LegendEntry>& entries, float width, const UiPalette& ui,
                     const LegendHelp& help);

}  // namespace attnlab::gui
