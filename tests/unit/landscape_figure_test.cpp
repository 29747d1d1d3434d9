// core/landscape/landscape_figure: the landscape of `attnlab landscape` as a sound Figure —
// the grid as the heatmap (rows following t), contours inside the value range, a colorbar
// matching the heatmap, log colours only over many decades, and the path when one exists.
#include <gtest/gtest.h>

#include <cmath>

#include "core/figure/figure.hpp"
#include "core/landscape/landscape_figure.hpp"

namespace attnlab {
namespace {

// L(s, t) = base + s² + 2t² on [−1, 1]², N points per side.
LandscapeResult bowl(int n, double base) {
  LandscapeResult r;
  r.s = Eigen::VectorXd::LinSpaced(n, -1.0, 1.0);
  r.t = r.s;
  r.loss.resize(n, n);
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < n; ++i) r.loss(j, i) = base + r.s(i) * r.s(i) + 2 * r.t(j) * r.t(j);
  r.lossMin = r.loss.minCoeff();
  r.lossMax = r.loss.maxCoeff();
  return r;
}

const HeatmapSeries& heatmapOf(const Figure& f) { return std::get<HeatmapSeries>(f.series.front()); }

TEST(LandscapeFigure, HeatmapContoursAndColorbar) {
  const LandscapeResult r = bowl(21, 0.5);
  const Figure f = landscapeFigure(r, {"title", "Δx₁", "Δx₂", ""});
  EXPECT_TRUE(figureProblems(f).empty());
  EXPECT_EQ(f.name, "landscape");
  EXPECT_TRUE(f.equalAspect);
  const HeatmapSeries& h = heatmapOf(f);
  EXPECT_EQ(h.rows, 21);
  EXPECT_EQ(h.cols, 21);
  EXPECT_DOUBLE_EQ(h.at(3, 7), r.loss(3, 7));  // row j follows t
  EXPECT_EQ(h.x, (Range{-1.0, 1.0}));
  EXPECT_EQ(viewRange(f, AxisId::X), h.x) << "the view is the grid, no margin";
  EXPECT_EQ(viewRange(f, AxisId::Y), h.y);
  EXPECT_EQ(h.scale, Scale::Linear);
  ASSERT_TRUE(f.colorbar);
  EXPECT_EQ(f.colorbar->range, (Range{r.lossMin, r.lossMax}));
  std::size_t contours = 0;
  for (const Series& s : f.series)
    if (const auto* c = std::get_if<ContourSeries>(&s)) {
      ++contours;
      EXPECT_GT(c->level, r.lossMin);
      EXPECT_LT(c->level, r.lossMax);
    }
  EXPECT_GE(contours, 4u);
  EXPECT_FALSE(f.legend.visible) << "nothing to name without a path";
  EXPECT_EQ(f.annotations.size(), 1u);  // x₀
}

TEST(LandscapeFigure, ManyDecadesAreColouredOnALogScale) {
  const Figure f = landscapeFigure(bowl(11, 1e-4), {});
  EXPECT_EQ(heatmapOf(f).scale, Scale::Log10);
  EXPECT_EQ(f.colorbar->scale, Scale::Log10);
  EXPECT_TRUE(figureProblems(f).empty());
}

TEST(LandscapeFigure, TrajectoryIsDrawnAndNamed) {
  LandscapeResult r = bowl(11, 0.5);
  for (int k = 0; k < 5; ++k) r.trajectory.push_back({k, 0.1 * k, -0.05 * k, 1.0, 0.0});
  r.trajectory.push_back({5, std::nan(""), 0.0, 1.0, 0.0});  // left out, not drawn through
  const Figure f = landscapeFigure(r, {"t", "s", "t", "gd", 2}, Theme::Dark);
  EXPECT_TRUE(f.legend.visible);
  const LineSeries* path = nullptr;
  for (const Series& s : f.series)
    if (const auto* l = std::get_if<LineSeries>(&s); l && l->label == "gd") path = l;
  ASSERT_NE(path, nullptr);
  EXPECT_EQ(path->xs.size(), 5u);
  EXPECT_DOUBLE_EQ(path->ys.back(), -0.2);
  EXPECT_EQ(path->style.color, seriesColor(Theme::Dark, 2));
}

TEST(LandscapeFigure, TextNamesThePlane) {
  Problem p;
  p.kind = Kind::Softmax;
  p.A = Eigen::MatrixXd::Ones(3, 2);
  const LandscapeFigureText axes = landscapeFigureText("axes", 0, 1, p, "");
  EXPECT_EQ(axes.x, "Δx₁");
  EXPECT_EQ(axes.y, "Δx₂");
  EXPECT_NE(axes.title.find("softmax, n = 3, d = 2"), std::string::npos) << axes.title;
  EXPECT_EQ(landscapeFigureText("random", 0, 1, p, "").x, "s (along u)");
  const LandscapeFigureText pca = landscapeFigureText("pca", 0, 1, p, "newton");
  EXPECT_NE(pca.title.find("newton"), std::string::npos);
  EXPECT_EQ(pca.path, "Newton");
  EXPECT_EQ(pca.pathColor, 2u);
}

}  // namespace
}  // namespace attnlab
