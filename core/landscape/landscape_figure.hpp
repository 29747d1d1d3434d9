// `attnlab landscape`'s picture as a core Figure (architecture.md, piece 3): the loss on
// the grid as a heatmap with its contours and colorbar, the plane's origin x₀, and the
// solver's path when one was computed. Headless, so the command line exports it with no
// display; the window's own landscape (app/gui/regression_figures) is drawn the same way.
#pragma once
#include <string>

#include "core/figure/figure.hpp"
#include "core/landscape/landscape.hpp"

namespace attnlab {

// What the figure says in words; landscapeFigureText fills it for the CLI's planes.
struct LandscapeFigureText {
  std::string title;
  std::string x, y;  // axis labels
  std::string path;  // the trajectory's name in the legend ("gradient descent")
  std::size_t pathColor = 0;  // which of the theme's series colours the path takes
};

// plane: "given", "random", "pca" or "axes" (coordinates axisI, axisJ, 0-based); method:
// cli.md's solver name, named and coloured as the window names and colours that solver.
LandscapeFigureText landscapeFigureText(const std::string& plane, Eigen::Index axisI, Eigen::Index axisJ,
                                        const Problem& problem, const std::string& method);

// Colours by log10 of the loss when it spans more than kLogColorRatio from its positive
// minimum (a few decades would otherwise be one flat colour), linearly otherwise.
inline constexpr double kLogColorRatio = 1e3;
inline constexpr int kLandscapeContourLevels = 8;

Figure landscapeFigure(const LandscapeResult& result, const LandscapeFigureText& text, Theme theme = Theme::Light);

}  // namespace attnlab
