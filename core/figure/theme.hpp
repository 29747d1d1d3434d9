// Colours of a figure: RGBA floats, and per theme the ground, ink and the series palette.
// Series colours follow Okabe–Ito (distinguishable with the common colour-vision
// deficiencies), in the order the window uses for the solvers, so a figure and its export
// agree on which line is which.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace attnlab {

struct Rgba {
  float r = 0.0f;
  float g = 0.0f;
  float b = 0.0f;
  float a = 1.0f;

  // 0xRRGGBB, the way colours are written in style guides.
  static constexpr Rgba hex(std::uint32_t rgb, float alpha = 1.0f) {
    return {static_cast<float>((rgb >> 16) & 0xFFu) / 255.0f, static_cast<float>((rgb >> 8) & 0xFFu) / 255.0f,
            static_cast<float>(rgb & 0xFFu) / 255.0f, alpha};
  }
  constexpr Rgba withAlpha(float alpha) const { return {r, g, b, alpha}; }
  bool operator==(const Rgba&) const = default;
};

enum class Theme { Light, Dark, Print };
inline constexpr std::array<Theme, 3> kAllFigureThemes = {Theme::Light, Theme::Dark, Theme::Print};

struct ThemePalette {
  Rgba background;        // around the plot area (the figure's page)
  Rgba plotBackground;    // inside the axes
  Rgba text;              // titles, labels, tick labels
  Rgba axis;              // the frame of the plot area and the tick marks
  Rgba grid;              // major grid lines
  Rgba gridMinor;         // minor grid lines (log decades' 2..9)
  Rgba legendBackground;
  Rgba legendBorder;
  std::array<Rgba, 8> series;  // automatic series colours, in order
  float lineWidth;        // default line width in pixels at scale 1
  float textScale;        // type size relative to the normal one (print: larger)
};

const ThemePalette& themePalette(Theme theme);
// The automatic colour of the index-th series (wrapping around the palette).
Rgba seriesColor(Theme theme, std::size_t index);

std::string_view themeName(Theme theme);  // "light", "dark", "print"
std::optional<Theme> themeFromName(std::string_view name);

}  // namespace attnlab
