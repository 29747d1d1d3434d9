// What every lab's draw() gets from the App each frame: the theme, the fonts and the UI
// colours. Shared by the labs, so it lives apart from any one of them.
#pragma once
#include "app/gui/figure_view.hpp"
#include "app/gui/fonts.hpp"
#include "app/gui/theme.hpp"

namespace attnlab::gui {

struct LabContext {
  Theme theme = Theme::Light;
  const FontSet* fonts = nullptr;
  const UiPalette* ui = nullptr;
  // The right-click entries of every plot: Export PNG / SVG / PDF / CSV / JSON.
  FigureMenu exportMenu;
};

}  // namespace attnlab::gui
