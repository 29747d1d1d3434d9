// The 3-D view as a figure (core/labs/surface_figure): the window's camera projects known
// points where its matrices put them, the lattice's quads come far to near, none is
// degenerate, each takes the colormap's colour of its height, the surface hides what lies
// behind a ridge, and "surface" is a figure of every regression session.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/jobs/progress.hpp"
#include "core/jobs/worker_pool.hpp"
#include "core/labs/session_figures.hpp"
#include "core/labs/surface_figure.hpp"

namespace attnlab {
namespace {

constexpr double kPi = 3.14159265358979323846;

std::vector<float> grid(int cols, int rows, double (*f)(double, double)) {
  std::vector<float> values;
  for (int j = 0; j < rows; ++j)
    for (int i = 0; i < cols; ++i) values.push_back(static_cast<float>(f(double(i) / (cols - 1), double(j) / (rows - 1))));
  return values;
}

double bowl(double u, double v) { return 1.0 + (u - 0.4) * (u - 0.4) + (v - 0.6) * (v - 0.6); }

// [SECTION] The camera
TEST(SurfaceCamera, TheBoxCentreIsThePictureCentre) {
  for (const OrbitCamera camera : {OrbitCamera{}, OrbitCamera{120.0f, -20.0f, 3.0f}, OrbitCamera{0.0f, 80.0f, 9.0f}}) {
    const SurfaceCamera view(camera, 4.0 / 3.0);
    const auto p = view.project({0.0, 0.0, 0.45 * kSurfaceBoxHeight});
    ASSERT_TRUE(p);
    EXPECT_NEAR(p->x(), 0.0, 1e-12);
    EXPECT_NEAR(p->y(), 0.0, 1e-12);
    EXPECT_NEAR(p->z(), camera.distance, 1e-9) << "depth is the distance along the view";
  }
}

TEST(SurfaceCamera, ProjectsKnownPointsLikeThePerspectiveMatrix) {
  // Yaw 0, pitch 0: the eye on −y at the centre's height, looking along +y; +x is right.
  const OrbitCamera camera{0.0f, 0.0f, 5.0f};
  const SurfaceCamera view(camera, 2.0);
  const double cz = 0.45 * kSurfaceBoxHeight, focal = 1.0 / std::tan(16.0 * kPi / 180.0);
  const auto right = view.project({0.5, 0.0, cz});
  const auto up = view.project({0.0, 0.0, cz + 0.25});
  const auto nearer = view.project({0.5, -2.5, cz});
  ASSERT_TRUE(right && up && nearer);
  EXPECT_NEAR(right->x(), focal * 0.5 / 5.0, 1e-12);  // NDC x · aspect: independent of the aspect
  EXPECT_NEAR(right->y(), 0.0, 1e-12);
  EXPECT_NEAR(up->y(), focal * 0.25 / 5.0, 1e-12);
  EXPECT_NEAR(nearer->x(), focal * 0.5 / 2.5, 1e-12) << "perspective: nearer is larger";
  EXPECT_NEAR(nearer->z(), 2.5, 1e-12);
  EXPECT_FALSE(view.project({0.0, -6.0, cz})) << "behind the eye";
  // The default camera (yaw −50°) sees the corner (+1, −1) on its right, (−1, +1) on its left.
  const SurfaceCamera standard(OrbitCamera{}, 4.0 / 3.0);
  EXPECT_GT(standard.project({1.0, -1.0, 0.0})->x(), standard.project({-1.0, 1.0, 0.0})->x());
}

// [SECTION] The mesh
TEST(SurfaceQuads, FarToNearNonDegenerateAndAtMostTheLattice) {
  const std::vector<float> values = grid(101, 81, bowl);
  const SurfaceHeights heights(101, 81, values, Scale::Linear, Range{1.0, 1.6});
  for (const OrbitCamera camera : {OrbitCamera{}, OrbitCamera{150.0f, 60.0f, 4.0f}, OrbitCamera{-90.0f, -30.0f, 6.0f}}) {
    const std::vector<SurfaceQuad> quads = surfaceQuads(heights, SurfaceCamera(camera, 4.0 / 3.0), Colormap::Viridis, 32);
    ASSERT_EQ(quads.size(), 32u * 32u);
    for (std::size_t k = 0; k < quads.size(); ++k) {
      if (k > 0) {
        EXPECT_GE(quads[k - 1].depth, quads[k].depth) << "painted far to near";
      }
      double area = 0.0;  // shoelace
      for (int c = 0; c < 4; ++c) {
        const Eigen::Vector2d a = quads[k].corners[c], b = quads[k].corners[(c + 1) % 4];
        ASSERT_TRUE(a.allFinite());
        area += a.x() * b.y() - b.x() * a.y();
      }
      // Seen from below a quad may stand edge-on; from above (the bowl is gentler than the
      // view) every quad covers some of the picture.
      if (camera.pitch > 30.0f) {
        EXPECT_GT(std::abs(area) / 2, 1e-6) << "quad " << k << " has no area";
      }
    }
  }
  // A coarse grid gives one quad per cell.
  const std::vector<float> small = grid(5, 4, bowl);
  EXPECT_EQ(surfaceQuads(SurfaceHeights(5, 4, small, Scale::Linear, Range{1.0, 1.6}), SurfaceCamera(OrbitCamera{}, 1.0),
                         Colormap::Viridis)
                .size(),
            16u);
}

TEST(SurfaceQuads, ColourIsTheColormapOfTheHeightLit) {
  // A ramp along u, on a log scale: the colour follows log10 of the value.
  const std::vector<float> values = grid(33, 33, [](double u, double) { return std::pow(10.0, 3.0 * u - 1.0); });
  const SurfaceHeights heights(33, 33, values, Scale::Log10, Range{0.1, 100.0});
  const std::vector<SurfaceQuad> quads = surfaceQuads(heights, SurfaceCamera(OrbitCamera{}, 4.0 / 3.0), Colormap::Magma);
  double lowest = 1e9, highest = -1e9;
  for (const SurfaceQuad& q : quads) {
    const Rgba expected = sample(Colormap::Magma, (q.value + 1.0) / 3.0);
    EXPECT_NEAR(q.base.r, expected.r, 1e-6);
    EXPECT_NEAR(q.base.g, expected.g, 1e-6);
    EXPECT_NEAR(q.base.b, expected.b, 1e-6);
    // Lit: between the ambient 42 % of the colour and full colour plus the highlight.
    EXPECT_GE(q.fill.g, 0.42f * q.base.g - 1e-5f);
    EXPECT_LE(q.fill.g, std::min(1.0f, q.base.g + 0.12f) + 1e-5f);
    lowest = std::min(lowest, q.value);
    highest = std::max(highest, q.value);
  }
  EXPECT_NEAR(lowest, -1.0 + 3.0 / 64, 0.02);  // quad centres of a 32-quad lattice
  EXPECT_NEAR(highest, 2.0 - 3.0 / 64, 0.02);
  // Facing the light: full colour; edge-on to it and to the eye: the ambient part only.
  const Rgba grey{0.5f, 0.5f, 0.5f, 1.0f};
  const Eigen::Vector3d light = Eigen::Vector3d(-0.35, 0.55, 0.75).normalized();
  EXPECT_NEAR(shadeSurface(grey, light, -5.0 * light).r, 0.5 + 0.12, 1e-6);
  const Eigen::Vector3d across = light.cross(Eigen::Vector3d::UnitZ()).normalized();
  EXPECT_NEAR(shadeSurface(grey, across, Eigen::Vector3d(0, 0, -5)).r, 0.5 * 0.42, 1e-6);
  EXPECT_EQ(shadeSurface(grey, light, -5.0 * light), shadeSurface(grey, -light, -5.0 * light)) << "two-sided";
}

TEST(SurfaceHeights, ARidgeHidesWhatLiesBehindIt) {
  // A wall across the middle (v = 0.5) as high as the box; the eye low on −y.
  const std::vector<float> values = grid(41, 41, [](double, double v) { return std::abs(v - 0.5) < 0.06 ? 1.0 : 0.0; });
  const SurfaceHeights heights(41, 41, values, Scale::Linear, Range{0.0, 1.0});
  const SurfaceCamera view(OrbitCamera{0.0f, 10.0f, 5.4f}, 1.0);
  EXPECT_TRUE(heights.visible({0.0, -0.8, 0.0}, view.eye())) << "in front of the wall";
  EXPECT_FALSE(heights.visible({0.0, 0.8, 0.0}, view.eye())) << "behind the wall";
  EXPECT_TRUE(heights.visible(heights.point(0.5, 0.5), view.eye())) << "on the wall's top";
  // From high above, nothing on the floor is hidden by a wall it does not stand behind.
  const SurfaceCamera above(OrbitCamera{0.0f, 89.0f, 5.4f}, 1.0);
  EXPECT_TRUE(heights.visible({0.3, 0.8, 0.0}, above.eye()));
  // Heights: the floor for the lowest value, the box's top for the highest and for NaN.
  EXPECT_DOUBLE_EQ(heights.point(0.0, 0.0).z(), 0.0);
  EXPECT_DOUBLE_EQ(heights.point(0.3, 0.5).z(), kSurfaceBoxHeight);
  const std::vector<float> holes(4, std::nanf(""));
  EXPECT_DOUBLE_EQ(SurfaceHeights(2, 2, holes, Scale::Linear, Range{0.0, 1.0}).point(0.5, 0.5).z(), kSurfaceBoxHeight);
  EXPECT_THROW(SurfaceHeights(3, 2, holes, Scale::Linear, Range{0.0, 1.0}), std::invalid_argument);
}

// [SECTION] The figure of a session
TEST(SurfaceFigure, EveryRegressionSessionHasOne) {
  Session session;
  session.regression.gridPoints = 40;  // small: the test runs under the sanitizers too
  const std::vector<std::string> names = figureNames(session);
  ASSERT_FALSE(names.empty());
  EXPECT_EQ(names.back(), "surface");
  WorkerPool pool(2);
  Progress progress;
  const Figure f = figureOfSession(session, "surface", Theme::Light, pool, progress);
  EXPECT_TRUE(figureProblems(f).empty()) << figureProblems(f).front();
  EXPECT_EQ(f.name, "surface");
  EXPECT_FALSE(f.showAxes);
  EXPECT_TRUE(f.equalAspect);
  EXPECT_FALSE(f.title.empty());
  ASSERT_TRUE(f.colorbar);
  ASSERT_FALSE(f.series.empty());
  const auto* mesh = std::get_if<PolygonSeries>(&f.series.front());
  ASSERT_NE(mesh, nullptr) << "the mesh first, the lines over it";
  EXPECT_EQ(mesh->polygons.size(), 39u * 39u);
  EXPECT_EQ(mesh->values.size(), mesh->polygons.size());
  // Every polygon inside the picture's fixed ranges; one path per solver, named.
  for (const Polyline& p : mesh->polygons)
    for (std::size_t i = 0; i < p.xs.size(); ++i) {
      EXPECT_LE(std::abs(p.xs[i]), f.x.range->max);
      EXPECT_LE(std::abs(p.ys[i]), 1.0);
    }
  std::size_t named = 0;
  for (const Series& s : f.series)
    if (const auto* l = std::get_if<LineSeries>(&s); l && !l->label.empty()) ++named;
  EXPECT_EQ(named, 3u);
  // The axis names at the box, and the height's.
  ASSERT_EQ(f.annotations.size(), 3u);
  EXPECT_EQ(f.annotations[2].text, "log₁₀ L");
  for (const Annotation& a : f.annotations) EXPECT_FALSE(a.boxed);
  // The camera turns the picture.
  session.camera.yaw += 90.0f;
  const Figure turned = figureOfSession(session, "surface", Theme::Light, pool, progress);
  EXPECT_NE(std::get<PolygonSeries>(turned.series.front()).polygons.front().xs,
            mesh->polygons.front().xs);
}

}  // namespace
}  // namespace attnlab
