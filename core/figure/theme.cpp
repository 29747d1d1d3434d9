#include "core/figure/theme.hpp"

namespace attnlab {

const ThemePalette& themePalette(Theme theme) {
  // Okabe–Ito: blue, orange, vermillion, reddish purple, bluish green, sky blue, yellow
  // (darkened on light grounds, where pure #F0E442 vanishes), black/white.
  static const ThemePalette light{
      Rgba::hex(0xF6F7F9), Rgba::hex(0xFFFFFF), Rgba::hex(0x1F2328), Rgba::hex(0x57606A),
      Rgba::hex(0x1F2328, 0.13f), Rgba::hex(0x1F2328, 0.05f), Rgba::hex(0xFFFFFF, 0.92f), Rgba::hex(0xD0D7DE),
      {Rgba::hex(0x0072B2), Rgba::hex(0xE69F00), Rgba::hex(0xD55E00), Rgba::hex(0xCC79A7), Rgba::hex(0x009E73),
       Rgba::hex(0x56B4E9), Rgba::hex(0xB8A200), Rgba::hex(0x000000)},
      2.0f, 1.0f};
  static const ThemePalette dark{
      Rgba::hex(0x1B1F24), Rgba::hex(0x22272E), Rgba::hex(0xE6EDF3), Rgba::hex(0x8B949E),
      Rgba::hex(0xE6EDF3, 0.14f), Rgba::hex(0xE6EDF3, 0.06f), Rgba::hex(0x22272E, 0.92f), Rgba::hex(0x444C56),
      {Rgba::hex(0x56B4E9), Rgba::hex(0xE69F00), Rgba::hex(0xFF6B3D), Rgba::hex(0xE58FC8), Rgba::hex(0x2BC59A),
       Rgba::hex(0x9FD3F5), Rgba::hex(0xF0E442), Rgba::hex(0xFFFFFF)},
      2.0f, 1.0f};
  // White ground, black ink, no translucent grey text: what survives a projector or a printer.
  static const ThemePalette print{
      Rgba::hex(0xFFFFFF), Rgba::hex(0xFFFFFF), Rgba::hex(0x000000), Rgba::hex(0x000000),
      Rgba::hex(0x000000, 0.18f), Rgba::hex(0x000000, 0.07f), Rgba::hex(0xFFFFFF), Rgba::hex(0x000000),
      {Rgba::hex(0x0072B2), Rgba::hex(0xE69F00), Rgba::hex(0xD55E00), Rgba::hex(0xCC79A7), Rgba::hex(0x009E73),
       Rgba::hex(0x56B4E9), Rgba::hex(0xB8A200), Rgba::hex(0x000000)},
      3.0f, 1.25f};
  switch (theme) {
    case Theme::Light: return light;
    case Theme::Dark: return dark;
    case Theme::Print: return print;
  }
  return light;
}

Rgba seriesColor(Theme theme, std::size_t index) {
  const auto& series = themePalette(theme).series;
  return series[index % series.size()];
}

std::string_view themeName(Theme theme) {
  switch (theme) {
    case Theme::Light: return "light";
    case Theme::Dark: return "dark";
    case Theme::Print: return "print";
  }
  return "light";
}

std::optional<Theme> themeFromName(std::string_view name) {
  for (Theme t : kAllFigureThemes)
    if (themeName(t) == name) return t;
  return std::nullopt;
}

}  // namespace attnlab
