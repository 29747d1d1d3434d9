// A legend drawn as rows of entries outside every plot area, for panels whose plots share
// their colours (the bounds lab): a legend inside a plot would cover its lines. Each entry
// is drawn in the style of its series (solid, dashed, dotted, dash-dot; its marker), and a
// caller's help text turns into a "(?)" whose tooltip is one hover away; a click on an
// entry hides or shows its series.
#pragma once
#include <imgui.h>

#include <functional>
#include <optional>
#include <set>
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
// Draws the rows at the cursor; hovering an entry with help shows it. Entries in `hidden`
// are dimmed. Returns the label of an entry clicked this frame (the caller hides or shows
// its series, as a click on a plot's own legend does).
std::optional<std::string> drawLegendStrip(const std::vector<LegendEntry>& entries, float width, const UiPalette& ui,
                                           const LegendHelp& help, const std::set<std::string>& hidden);

}  // namespace attnlab::gui
