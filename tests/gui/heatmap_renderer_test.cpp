// The heatmap shader against a CPU reference on synthetic grids: the colour of each pixel
// is the colormap at the (bilinearly interpolated, optionally log10) value, non-finite
// values take the no-data colour, isolines sit where the value crosses a level, and a
// zoomed window shows exactly the corresponding part of the full picture.
#include <cmath>
#include <limits>
#include <vector>

#include "app/gui/heatmap_renderer.hpp"
#include "gui_testing.hpp"

namespace attnlab::gui {
namespace {

using testing::GlTest;

// A grey ramp: entry k is (k, k, k), so a pixel's red channel reads back t·255.
std::vector<Rgb8> greyRamp() {
  std::vector<Rgb8> table(kColormapSize);
  for (int k = 0; k < kColormapSize; ++k) {
    const auto v = static_cast<std::uint8_t>(k);
    table[static_cast<std::size_t>(k)] = {v, v, v};
  }
  return table;
}

struct Grid {
  int cols, rows;
  std::vector<float> values;
  float at(int i, int j) const { return values[static_cast<std::size_t>(j) * cols + i]; }
  // Bilinear interpolation at grid-extent coordinates (u, v) ∈ [0,1]², as the shader does.
  double bilinear(double u, double v) const {
    const double x = u * (cols - 1), y = v * (rows - 1);
    const int i = std::min(static_cast<int>(x), cols - 2), j = std::min(static_cast<int>(y), rows - 2);
    const double fx = x - i, fy = y - j;
    return (1 - fy) * ((1 - fx) * at(i, j) + fx * at(i + 1, j)) + fy * ((1 - fx) * at(i, j + 1) + fx * at(i + 1, j + 1));
  }
};

Grid planeGrid(int cols, int rows) {
  Grid g{cols, rows, {}};
  for (int j = 0; j < rows; ++j)
    for (int i = 0; i < cols; ++i) g.values.push_back(static_cast<float>(i + 2 * j));
  return g;
}

// The pixel at column x, row y of a bottom-up RGBA read-back.
const std::uint8_t* pixel(const std::vector<std::uint8_t>& rgba, int width, int x, int y) {
  return rgba.data() + (static_cast<std::size_t>(y) * width + x) * 4;
}

class HeatmapRendererTest : public GlTest {
 protected:
  void SetUp() override {
    renderer_ = std::make_unique<HeatmapRenderer>();
    const auto ramp = greyRamp();
    renderer_->colormap().upload("grey", ramp);
  }
  std::unique_ptr<HeatmapRenderer> renderer_;
};

TEST_F(HeatmapRendererTest, LinearScaleMatchesBilinearReference) {
  const Grid g = planeGrid(33, 17);
  renderer_->setGrid(g.cols, g.rows, g.values);
  HeatmapStyle style;
  style.lo = 0.0f;
  style.hi = 32.0f + 2.0f * 16.0f;
  const int w = 200, h = 120;
  renderer_->render(w, h, style);
  const auto rgba = renderer_->target().readPixels();
  double worst = 0.0;
  for (int y = 0; y < h; y += 7)
    for (int x = 0; x < w; x += 5) {
      const double u = (x + 0.5) / w, v = (y + 0.5) / h;
      const double expected = 255.0 * g.bilinear(u, v) / style.hi;
      worst = std::max(worst, std::abs(pixel(rgba, w, x, y)[0] - expected));
    }
  // 8-bit colour, an 8-bit table and float interpolation: within two levels.
  EXPECT_LE(worst, 2.0);
}

TEST_F(HeatmapRendererTest, FirstRowIsTheFirstGridRow) {
  // Values grow with t only: the bottom row (GL row 0) must be the darkest.
  Grid g{4, 4, {}};
  for (int j = 0; j < 4; ++j)
    for (int i = 0; i < 4; ++i) g.values.push_back(static_cast<float>(j));
  renderer_->setGrid(4, 4, g.values);
  HeatmapStyle style;
  style.hi = 3.0f;
  renderer_->render(16, 16, style);
  const auto rgba = renderer_->target().readPixels();
  EXPECT_LT(pixel(rgba, 16, 8, 0)[0], 20);
  EXPECT_GT(pixel(rgba, 16, 8, 15)[0], 235);
}

TEST_F(HeatmapRendererTest, LogScaleMapsDecadesEvenly) {
  // 10^(i/4) along s: on a log scale the picture is a linear ramp in x.
  Grid g{9, 2, {}};
  for (int j = 0; j < 2; ++j)
    for (int i = 0; i < 9; ++i) g.values.push_back(static_cast<float>(std::pow(10.0, i / 4.0)));
  renderer_->setGrid(9, 2, g.values);
  HeatmapStyle style;
  style.scale = ValueScale::Log;
  style.lo = 0.0f;
  style.hi = 2.0f;
  const int w = 9, h = 2;
  // Nine pixels over nine points: pixel x's centre is at u = (x + 0.5)/9, between points.
  renderer_->render(w, h, style);
  const auto rgba = renderer_->target().readPixels();
  const std::uint8_t left = pixel(rgba, w, 0, 0)[0], right = pixel(rgba, w, w - 1, 0)[0];
  const std::uint8_t middle = pixel(rgba, w, 4, 0)[0];
  EXPECT_LT(left, 40);
  EXPECT_GT(right, 215);
  EXPECT_NEAR(middle, 127.5, 3.0);  // 10^1 is the middle of [10^0, 10^2] on a log scale
}

TEST_F(HeatmapRendererTest, NonFiniteValuesTakeTheNoDataColour) {
  Grid g{4, 4, std::vector<float>(16, 1.0f)};
  for (int k : {0, 1, 4, 5}) g.values[static_cast<std::size_t>(k)] = std::numeric_limits<float>::infinity();
  renderer_->setGrid(4, 4, g.values);
  HeatmapStyle style;
  style.noDataColor = {1.0f, 0.0f, 0.0f, 1.0f};
  renderer_->render(40, 40, style);
  const auto rgba = renderer_->target().readPixels();
  const std::uint8_t* corner = pixel(rgba, 40, 1, 1);  // near the infinite corner
  EXPECT_EQ(corner[0], 255);
  EXPECT_EQ(corner[1], 0);
  const std::uint8_t* far = pixel(rgba, 40, 38, 38);  // value 1 → top of the ramp
  EXPECT_EQ(far[1], far[0]);
}

TEST_F(HeatmapRendererTest, IsolinesFollowTheLevels) {
  // L = s along x from 0 to 10; isolines at 2.5, 5, 7.5 → vertical lines at x = W/4, W/2, 3W/4.
  Grid g{11, 2, {}};
  for (int j = 0; j < 2; ++j)
    for (int i = 0; i <= 10; ++i) g.values.push_back(static_cast<float>(i));
  renderer_->setGrid(11, 2, g.values);
  HeatmapStyle style;
  style.lo = 0.0f;
  style.hi = 10.0f;
  style.levels = {2.5f, 5.0f, 7.5f};
  style.contourWidth = 2.0f;
  style.contourColor = {1.0f, 0.0f, 0.0f, 1.0f};  // pure red on a grey ramp
  const int w = 400, h = 10;
  renderer_->render(w, h, style);
  const auto rgba = renderer_->target().readPixels();
  auto redness = [&](int x) {
    const std::uint8_t* p = pixel(rgba, w, x, 5);
    return static_cast<int>(p[0]) - static_cast<int>(p[1]);
  };
  for (int x : {100, 200, 300}) EXPECT_GT(std::max(redness(x - 1), redness(x)), 150) << "no isoline at x=" << x;
  for (int x : {50, 150, 250, 350}) EXPECT_LT(redness(x), 5) << "stray isoline at x=" << x;
}

TEST_F(HeatmapRendererTest, ZoomedWindowShowsThatPartOfTheGrid) {
  const Grid g = planeGrid(65, 65);
  renderer_->setGrid(g.cols, g.rows, g.values);
  HeatmapStyle style;
  style.hi = 192.0f;
  style.uvRect = {0.5f, 0.25f, 0.75f, 0.5f};
  const int w = 64, h = 64;
  renderer_->render(w, h, style);
  const auto rgba = renderer_->target().readPixels();
  double worst = 0.0;
  for (int y = 0; y < h; y += 3)
    for (int x = 0; x < w; x += 3) {
      const double u = 0.5 + 0.25 * (x + 0.5) / w, v = 0.25 + 0.25 * (y + 0.5) / h;
      worst = std::max(worst, std::abs(pixel(rgba, w, x, y)[0] - 255.0 * g.bilinear(u, v) / 192.0));
    }
  EXPECT_LE(worst, 2.0);
}

TEST_F(HeatmapRendererTest, UnchangedInputsDoNotRedraw) {
  const Grid g = planeGrid(8, 8);
  renderer_->setGrid(8, 8, g.values);
  HeatmapStyle style;
  style.hi = 21.0f;
  void* first = renderer_->render(32, 32, style);
  // Scribble over the target; an unchanged render must leave the scribble alone.
  renderer_->target().begin();
  glClearColor(0, 1, 0, 1);
  glClear(GL_COLOR_BUFFER_BIT);
  renderer_->target().end();
  // The handle carries the pixels' generation (damage tracking): the scribble changed it, and
  // a render that draws nothing leaves it as the scribble left it.
  void* scribbled = renderer_->target().imTextureId();
  EXPECT_NE(scribbled, first);
  EXPECT_EQ(renderer_->render(32, 32, style), scribbled);
  EXPECT_EQ(pixel(renderer_->target().readPixels(), 32, 3, 3)[1], 255);
  style.hi = 20.0f;
  renderer_->render(32, 32, style);
  EXPECT_NE(pixel(renderer_->target().readPixels(), 32, 3, 3)[1], 255);
}

}  // namespace
}  // namespace attnlab::gui
