// The 3-D view's renderer drawing new data in bands (SurfaceRenderer::kBands frames): the
// old picture stays on screen until the new one is whole (and a frame longer), and the banded picture is the
// same, pixel for pixel, as one drawn at once; a moving camera is drawn at once.
#include <cmath>
#include <vector>

#include "app/gui/surface_renderer.hpp"
#include "gui_testing.hpp"

namespace attnlab::gui {
namespace {

using testing::GlTest;
using SurfaceRendererTest = GlTest;

std::vector<float> bowl(int side, float tilt) {
  std::vector<float> v;
  for (int j = 0; j < side; ++j)
    for (int i = 0; i < side; ++i) {
      const float x = float(i) / float(side - 1) - 0.5f, y = float(j) / float(side - 1) - 0.5f;
      v.push_back(x * x + y * y + tilt * x);
    }
  return v;
}

SurfaceStyle style() {
  SurfaceStyle s;
  s.lo = -0.5f;
  s.hi = 1.0f;
  s.levels = {0.1f, 0.3f};
  return s;
}

std::vector<std::uint8_t> pixels(SurfaceRenderer& r) { return r.target().readPixels(); }

// A renderer that has drawn `grid` once, whole.
std::vector<std::uint8_t> drawnAtOnce(const std::vector<float>& grid, const OrbitCamera& camera) {
  SurfaceRenderer r;
  r.colormap().upload(Colormap::Viridis);
  r.setGrid(64, 64, grid);
  r.render(320, 240, camera, style());
  EXPECT_FALSE(r.renderPending());
  return pixels(r);
}

TEST_F(SurfaceRendererTest, NewDataIsDrawnInBandsBehindTheOldPicture) {
  const OrbitCamera camera;
  const std::vector<float> first = bowl(64, 0.0f), second = bowl(64, 0.8f);
  const auto firstPicture = drawnAtOnce(first, camera), secondPicture = drawnAtOnce(second, camera);
  ASSERT_NE(firstPicture, secondPicture);

  SurfaceRenderer r;
  r.colormap().upload(Colormap::Viridis);
  r.setGrid(64, 64, first);
  r.render(320, 240, camera, style());
  EXPECT_EQ(pixels(r), firstPicture);
  r.setGrid(64, 64, second);
  for (int band = 1; band <= SurfaceRenderer::kBands; ++band) {
    r.render(320, 240, camera, style());
    EXPECT_TRUE(r.renderPending()) << band;
    EXPECT_EQ(pixels(r), firstPicture) << "a half-drawn picture was shown after band " << band;
  }
  r.render(320, 240, camera, style());  // the call after the last band shows the new picture
  EXPECT_FALSE(r.renderPending());
  EXPECT_EQ(pixels(r), secondPicture);
  // Nothing changed: nothing to draw, the same picture.
  r.render(320, 240, camera, style());
  EXPECT_EQ(pixels(r), secondPicture);
}

TEST_F(SurfaceRendererTest, AMovingCameraIsDrawnAtOnce) {
  OrbitCamera camera;
  const std::vector<float> grid = bowl(64, 0.3f);
  SurfaceRenderer r;
  r.colormap().upload(Colormap::Viridis);
  r.setGrid(64, 64, grid);
  r.render(320, 240, camera, style());
  camera.rotate(25.0f, 5.0f);
  r.render(320, 240, camera, style());
  EXPECT_FALSE(r.renderPending());
  EXPECT_EQ(pixels(r), drawnAtOnce(grid, camera));
}

// A progressive landscape alternates a coarse grid (a 48-vertex lattice) and a fine one (the
// 128-vertex lattice); the renderer keeps both lattices and must draw each grid as if new.
TEST_F(SurfaceRendererTest, AlternatingGridSizesDrawAsFromScratch) {
  const OrbitCamera camera;
  const std::vector<float> coarse = bowl(48, 0.2f), fine = bowl(200, 0.2f);
  SurfaceRenderer fresh;
  fresh.colormap().upload(Colormap::Viridis);
  fresh.setGrid(200, 200, fine);
  fresh.render(320, 240, camera, style());
  const auto finePicture = pixels(fresh);

  SurfaceRenderer r;
  r.colormap().upload(Colormap::Viridis);
  const auto drawWhole = [&] {
    do r.render(320, 240, camera, style());
    while (r.renderPending());
    return pixels(r);
  };
  r.setGrid(48, 48, coarse);
  const auto coarsePicture = drawWhole();
  ASSERT_NE(coarsePicture, finePicture);
  for (int round = 0; round < 2; ++round) {
    r.setGrid(200, 200, fine);
    EXPECT_EQ(drawWhole(), finePicture) << round;
    r.setGrid(48, 48, coarse);
    EXPECT_EQ(drawWhole(), coarsePicture) << round;
  }
}

}  // namespace
}  // namespace attnlab::gui
