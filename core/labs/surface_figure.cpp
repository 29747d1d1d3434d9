// [SECTION] camera and heights (app/gui/surface_renderer.cpp, shaders/surface.*)
// [SECTION] the mesh: quads, light, painting order
// [SECTION] lines on the surface, the box, the labels
// [SECTION] the figure
#include "core/labs/surface_figure.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace attnlab {
namespace {

constexpr double kPi = 3.14159265358979323846;
double radians(double degrees) { return degrees * kPi / 180.0; }
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

// [SECTION] camera and heights (app/gui/surface_renderer.cpp, shaders/surface.*)

SurfaceCamera::SurfaceCamera(const OrbitCamera& camera, double aspect, double boxHeight)
    : focal_(1.0 / std::tan(radians(kSurfaceFovY) / 2.0)), aspect_(aspect) {
  const double yaw = radians(camera.yaw), pitch = radians(camera.pitch);
  const Eigen::Vector3d centre(0.0, 0.0, boxHeight * 0.45);
  eye_ = centre + static_cast<double>(camera.distance) *
                      Eigen::Vector3d(std::cos(pitch) * std::sin(yaw), -std::cos(pitch) * std::cos(yaw), std::sin(pitch));
  // lookAt(eye, centre, +z) of the renderer.
  const Eigen::Vector3d f = (centre - eye_).normalized();
  const Eigen::Vector3d s = f.cross(Eigen::Vector3d::UnitZ()).normalized();
  const Eigen::Vector3d u = s.cross(f);
  rotation_.row(0) = s.transpose();
  rotation_.row(1) = u.transpose();
  rotation_.row(2) = -f.transpose();
}

std::optional<Eigen::Vector3d> SurfaceCamera::project(const Eigen::Vector3d& world) const {
  const Eigen::Vector3d c = toCamera(world);
  const double w = -c.z();  // clip w of the perspective matrix
  if (!(w > 1e-6)) return std::nullopt;
  // NDC x = (focal / aspect)·x / w; times the aspect, one unit is as long across as up.
  return Eigen::Vector3d(focal_ * c.x() / w, focal_ * c.y() / w, w);
}

SurfaceHeights::SurfaceHeights(int cols, int rows, std::span<const float> values, Scale scale, Range valueRange,
                               double height)
    : cols_(cols), rows_(rows), values_(values.begin(), values.end()), scale_(scale),
      lo_(toScale(scale, valueRange.min)), hi_(toScale(scale, valueRange.max)), height_(height) {
  if (cols < 2 || rows < 2 || values.size() != static_cast<std::size_t>(cols) * static_cast<std::size_t>(rows))
    throw std::invalid_argument("surface: values do not match cols × rows (at least 2×2)");
  if (!std::isfinite(lo_) || !std::isfinite(hi_)) {
    lo_ = 0.0;
    hi_ = 1.0;
  }
}

double SurfaceHeights::scaled(double u, double v) const {
  if (!std::isfinite(u) || !std::isfinite(v)) return hi_;
  const double x = std::clamp(u, 0.0, 1.0) * (cols_ - 1), y = std::clamp(v, 0.0, 1.0) * (rows_ - 1);
  const int i = std::min(static_cast<int>(x), cols_ - 2), j = std::min(static_cast<int>(y), rows_ - 2);
  const double fx = x - i, fy = y - j;
  const auto at = [&](int ii, int jj) { return static_cast<double>(values_[static_cast<std::size_t>(jj) * cols_ + ii]); };
  const double value =
      (1 - fy) * ((1 - fx) * at(i, j) + fx * at(i + 1, j)) + fy * ((1 - fx) * at(i, j + 1) + fx * at(i + 1, j + 1));
  if (!std::isfinite(value)) return hi_;
  if (scale_ == Scale::Log10) return value > 0.0 ? std::log10(value) : lo_;
  return value;
}

double SurfaceHeights::fractionOf(double scaledValue) const {
  if (!std::isfinite(scaledValue)) return 1.0;
  return std::clamp((scaledValue - lo_) / std::max(hi_ - lo_, 1e-30), 0.0, 1.0);
}

bool SurfaceHeights::visible(const Eigen::Vector3d& world, const Eigen::Vector3d& eye) const {
  const Eigen::Vector3d d = world - eye;
  const double length = d.norm();
  if (!(length > 1e-9)) return true;
  // Only where the sight line is below the box's top can the surface be in front.
  double s0 = 0.0;
  if (eye.z() > height_ && d.z() < 0.0) s0 = std::clamp((height_ - eye.z()) / d.z(), 0.0, 1.0);
  const double s1 = 1.0 - 0.03 / length;  // not the point's own neighbourhood
  constexpr int kSteps = 160;
  constexpr double kTolerance = 0.004;    // world units: lines lying on the surface show
  for (int k = 0; k <= kSteps && s0 < s1; ++k) {
    const Eigen::Vector3d q = eye + d * (s0 + (s1 - s0) * k / kSteps);
    if (std::abs(q.x()) > 1.0 || std::abs(q.y()) > 1.0) continue;
    if (q.z() < fraction((q.x() + 1.0) / 2.0, (q.y() + 1.0) / 2.0) * height_ - kTolerance) return false;
  }
  return true;
}

// [SECTION] the mesh: quads, light, painting order

Rgba shadeSurface(Rgba base, const Eigen::Vector3d& normalCamera, const Eigen::Vector3d& positionCamera) {
  Eigen::Vector3d n = normalCamera.normalized();
  const Eigen::Vector3d toEye = (-positionCamera).normalized();
  if (n.dot(toEye) < 0.0) n = -n;  // two-sided: the underside is lit too
  const Eigen::Vector3d light = Eigen::Vector3d(-0.35, 0.55, 0.75).normalized();
  const double diffuse = std::max(n.dot(light), 0.0);
  const Eigen::Vector3d reflected = -light + 2.0 * n.dot(light) * n;  // reflect(−light, n)
  const double specular = std::pow(std::max(reflected.dot(toEye), 0.0), 40.0);
  const auto channel = [&](float c) {
    return static_cast<float>(std::clamp(c * (0.42 + 0.58 * diffuse) + 0.12 * specular, 0.0, 1.0));
  };
  return {channel(base.r), channel(base.g), channel(base.b), 1.0f};
}

std::vector<SurfaceQuad> surfaceQuads(const SurfaceHeights& heights, const SurfaceCamera& camera, Colormap colormap,
                                      int maxQuads) {
  const int n = std::clamp(std::max(heights.cols(), heights.rows()) - 1, 1, std::max(maxQuads, 1));
  const int side = n + 1;
  std::vector<Eigen::Vector3d> world(static_cast<std::size_t>(side) * side);
  std::vector<std::optional<Eigen::Vector3d>> projected(world.size());
  for (int j = 0; j < side; ++j)
    for (int i = 0; i < side; ++i) {
      const std::size_t k = static_cast<std::size_t>(j) * side + i;
      world[k] = heights.point(static_cast<double>(i) / n, static_cast<double>(j) / n);
      projected[k] = camera.project(world[k]);
    }
  std::vector<SurfaceQuad> quads;
  quads.reserve(static_cast<std::size_t>(n) * n);
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < n; ++i) {
      const std::size_t k00 = static_cast<std::size_t>(j) * side + i, k10 = k00 + 1, k01 = k00 + side, k11 = k01 + 1;
      if (!projected[k00] || !projected[k10] || !projected[k11] || !projected[k01]) continue;
      SurfaceQuad q;
      const std::size_t order[4] = {k00, k10, k11, k01};
      for (int c = 0; c < 4; ++c) q.corners[c] = projected[order[c]]->head<2>();
      const Eigen::Vector3d centre = 0.25 * (world[k00] + world[k10] + world[k11] + world[k01]);
      const Eigen::Vector3d dx = world[k10] + world[k11] - world[k00] - world[k01];
      const Eigen::Vector3d dy = world[k01] + world[k11] - world[k00] - world[k10];
      const Eigen::Vector3d position = camera.toCamera(centre);
      q.depth = -position.z();
      q.value = heights.scaled((i + 0.5) / n, (j + 0.5) / n);
      q.base = sample(colormap, heights.fractionOf(q.value));
      q.fill = shadeSurface(q.base, camera.rotation() * dx.cross(dy), position);
      quads.push_back(q);
    }
  // The painter's algorithm: far to near, each quad covering what lies behind it.
  std::stable_sort(quads.begin(), quads.end(), [](const SurfaceQuad& a, const SurfaceQuad& b) { return a.depth > b.depth; });
  return quads;
}

// [SECTION] lines on the surface, the box, the labels
namespace {

// World points to figure coordinates, the stretches the surface hides (or behind the eye)
// cut out: runs separated by NaN, as the exporters and the plot layer break lines.
class SightLines {
 public:
  SightLines(const SurfaceHeights& heights, const SurfaceCamera& camera) : heights_(heights), camera_(camera) {}

  void add(const Eigen::Vector3d& world) {
    const auto p = camera_.project(world);
    if (!p || !heights_.visible(world, camera_.eye())) {
      breakRun();
      return;
    }
    line_.xs.push_back(p->x());
    line_.ys.push_back(p->y());
    ++run_;
  }
  void breakRun() {
    if (run_ == 1) {  // a lone point draws nothing
      line_.xs.pop_back();
      line_.ys.pop_back();
    }
    if (!line_.xs.empty() && !std::isnan(line_.xs.back())) {
      line_.xs.push_back(kNaN);
      line_.ys.push_back(kNaN);
    }
    run_ = 0;
  }
  LineSeries take(std::string label, Style style) {
    breakRun();
    LineSeries out = std::move(line_);
    line_ = {};
    out.label = std::move(label);
    out.style = style;
    return out;
  }

 private:
  const SurfaceHeights& heights_;
  const SurfaceCamera& camera_;
  LineSeries line_;
  int run_ = 0;
};

// A path in grid-extent coordinates, as the window lays it (regression_lab.cpp): a
// diverging run is followed until it leaves the grid's neighbourhood.
std::vector<Eigen::Vector2d> gridPath(const SolverRun& run, const LandscapeResult& landscape) {
  std::vector<Eigen::Vector2d> points;
  const double s0 = landscape.s(0), s1 = landscape.s(landscape.s.size() - 1);
  const double t0 = landscape.t(0), t1 = landscape.t(landscape.t.size() - 1);
  for (const TrajectoryPoint& q : run.onPlane) {
    const double u = (q.s - s0) / (s1 - s0), v = (q.t - t0) / (t1 - t0);
    if (!(u >= -0.25 && u <= 1.25 && v >= -0.25 && v <= 1.25)) break;
    points.emplace_back(u, v);
  }
  return points;
}

// Segments cut into pieces no longer than a grid cell, so a path follows hills and valleys.
void layPath(SightLines& lines, const SurfaceHeights& heights, const std::vector<Eigen::Vector2d>& path) {
  const double cell = 1.0 / std::max(std::max(heights.cols(), heights.rows()) - 1, 1);
  for (std::size_t k = 0; k < path.size(); ++k) {
    if (k == 0) {
      lines.add(heights.point(path[0].x(), path[0].y()));
      continue;
    }
    const Eigen::Vector2d a = path[k - 1], b = path[k];
    const int pieces = std::clamp(static_cast<int>((b - a).norm() / cell) + 1, 1, 64);
    for (int q = 1; q <= pieces; ++q) {
      const Eigen::Vector2d p = a + (b - a) * (static_cast<double>(q) / pieces);
      lines.add(heights.point(p.x(), p.y()));
    }
  }
  lines.breakRun();
}

const HeatmapSeries* heatmapOf(const Figure& figure) {
  for (const Series& s : figure.series)
    if (const auto* h = std::get_if<HeatmapSeries>(&s)) return h;
  return nullptr;
}

Annotation label(const SurfaceCamera& camera, const Eigen::Vector3d& at, const std::string& text, float dx = 0.0f) {
  Annotation a;
  const auto p = camera.project(at);
  a.x = p ? p->x() : kNaN;
  a.y = p ? p->y() : kNaN;
  a.text = text;
  a.dx = dx;
  a.dy = 0.0f;
  a.marker = false;
  a.boxed = false;
  return a;
}

}  // namespace

// [SECTION] the figure

Figure surfaceFigure(const LandscapePicture& picture, const OrbitCamera& camera, Theme theme,
                     const SurfaceFigureOptions& options) {
  if (!picture.landscape || !picture.solve) throw std::invalid_argument("surface: the picture has no landscape");
  const HeatmapSeries* heatmap = heatmapOf(picture.figure);
  if (heatmap == nullptr) throw std::invalid_argument("surface: the picture's figure has no heatmap");
  const Scale scale = picture.params.colorScale;
  const SurfaceHeights heights(heatmap->cols, heatmap->rows, picture.values, scale, picture.valueRange);
  const SurfaceCamera view(camera, options.aspect);
  const ThemePalette& palette = themePalette(theme);
  const bool log = scale == Scale::Log10;

  Figure f;
  f.name = "surface";
  f.title = "Surface: " + picture.figure.title;
  f.x.label = picture.figure.x.label;  // named at the box; kept for the JSON export
  f.y.label = picture.figure.y.label;
  f.x.range = Range{-options.aspect, options.aspect};
  f.y.range = Range{-1.0, 1.0};
  f.equalAspect = true;
  f.showAxes = false;
  f.colorbar = picture.figure.colorbar;
  f.legend.location = LegendLocation::NorthWest;

  PolygonSeries mesh;
  mesh.label = log ? "log₁₀ L(x)" : "L(x)";
  for (const SurfaceQuad& q : surfaceQuads(heights, view, picture.params.colormap, options.maxQuads)) {
    Polyline polygon;
    polygon.closed = true;
    for (const Eigen::Vector2d& c : q.corners) {
      polygon.xs.push_back(c.x());
      polygon.ys.push_back(c.y());
    }
    mesh.polygons.push_back(std::move(polygon));
    mesh.fills.push_back(q.fill);
    mesh.values.push_back(fromScale(scale, q.value));
  }
  f.series.push_back(std::move(mesh));

  // Isolines at their level's height; the window draws them at 35 % strength.
  SightLines lines(heights, view);
  for (const Series& s : picture.figure.series) {
    const auto* contour = std::get_if<ContourSeries>(&s);
    if (contour == nullptr) continue;
    const double z = heights.fractionOf(toScale(scale, contour->level)) * heights.height();
    for (const Polyline& p : contour->polylines) {
      const std::size_t count = std::min(p.xs.size(), p.ys.size());
      for (std::size_t i = 0; i < count + (p.closed && count > 0 ? 1 : 0); ++i) {
        const double u = (p.xs[i % count] - heatmap->x.min) / heatmap->x.span();
        const double v = (p.ys[i % count] - heatmap->y.min) / heatmap->y.span();
        lines.add({2.0 * u - 1.0, 2.0 * v - 1.0, z});
      }
      lines.breakRun();
    }
  }
  const Rgba isoline = theme == Theme::Print ? Rgba{0.0f, 0.0f, 0.0f, 0.35f} : Rgba{1.0f, 1.0f, 1.0f, 0.35f};
  if (LineSeries iso = lines.take("", Style{isoline, 1.2f, Dash::Solid}); !iso.xs.empty()) f.series.push_back(std::move(iso));

  // The box's twelve edges, thin, hidden where the surface stands in front.
  const double h = heights.height();
  const Eigen::Vector3d corner[8] = {{-1, -1, 0}, {1, -1, 0}, {1, 1, 0}, {-1, 1, 0},
                                     {-1, -1, h}, {1, -1, h}, {1, 1, h}, {-1, 1, h}};
  const int edges[12][2] = {{0, 1}, {1, 2}, {2, 3}, {3, 0}, {4, 5}, {5, 6}, {6, 7}, {7, 4}, {0, 4}, {1, 5}, {2, 6}, {3, 7}};
  for (const auto& e : edges) {
    constexpr int kPieces = 48;
    for (int q = 0; q <= kPieces; ++q)
      lines.add(corner[e[0]] + (corner[e[1]] - corner[e[0]]) * (static_cast<double>(q) / kPieces));
    lines.breakRun();
  }
  f.series.push_back(lines.take("", Style{palette.axis.withAlpha(0.5f), 1.0f, Dash::Solid}));

  // Each path twice, as the window draws it: a dark, wider outline, then its colour.
  std::vector<LineSeries> outlines, paths;
  for (const SolverRun& run : picture.solve->runs) {
    SightLines path(heights, view);
    layPath(path, heights, gridPath(run, *picture.landscape));
    LineSeries colour = path.take(std::string(solverTitle(run.id)), Style{seriesColor(theme, solverIndex(run.id)), 2.5f, Dash::Solid});
    LineSeries outline = colour;
    outline.label.clear();
    outline.style = Style{Rgba{0.0f, 0.0f, 0.0f, 0.45f}, 4.5f, Dash::Solid};
    outlines.push_back(std::move(outline));
    paths.push_back(std::move(colour));
  }
  for (LineSeries& s : outlines) f.series.push_back(std::move(s));
  for (LineSeries& s : paths) f.series.push_back(std::move(s));

  // Each floor axis named beside the box edge nearest the camera, the height beside the
  // vertical edge furthest left (drawSurfaceLabels in regression_lab.cpp).
  const double yaw = radians(camera.yaw);
  const double sx = std::sin(yaw) >= 0.0 ? 1.0 : -1.0, sy = -std::cos(yaw) >= 0.0 ? 1.0 : -1.0;
  f.annotations.push_back(label(view, {0.0, 1.3 * sy, 0.0}, picture.figure.x.label));
  f.annotations.push_back(label(view, {1.3 * sx, 0.0, 0.0}, picture.figure.y.label));
  std::optional<Eigen::Vector3d> left;
  Eigen::Vector3d leftWorld;
  for (double cx : {-1.0, 1.0})
    for (double cy : {-1.0, 1.0}) {
      const Eigen::Vector3d at(cx, cy, h * 0.5);
      if (const auto p = view.project(at); p && (!left || p->x() < left->x())) {
        left = p;
        leftWorld = at;
      }
    }
  if (left) {
    const std::string name = log ? "log₁₀ L" : "L";
    f.annotations.push_back(label(view, leftWorld, name, log ? -34.0f : -14.0f));
  }
  return f;
}

}  // namespace attnlab
