// The regression lab's 3-D view as a plain Figure, for files ("surface"): the landscape as
// a lit mesh seen through the session's OrbitCamera, its quads painted far to near, the
// isolines, the box and the solvers' paths lying on it with what the surface hides left
// out, and the axis names at the box — the picture app/gui/surface_renderer draws with
// OpenGL (same camera, projection, heights, colours and light), for exporters with none.
#pragma once
#include <Eigen/Dense>

#include <array>
#include <optional>
#include <span>
#include <vector>

#include "core/figure/colormap.hpp"
#include "core/figure/figure.hpp"
#include "core/labs/orbit_camera.hpp"
#include "core/labs/regression_compute.hpp"

namespace attnlab {

inline constexpr double kSurfaceBoxHeight = 0.8;  // top of the box, floor half-widths (SurfaceStyle::height)
inline constexpr double kSurfaceFovY = 32.0;      // vertical field of view, degrees

// The window's camera: it orbits the box's centre (0, 0, 0.45·height) at `distance` floor
// half-widths, yaw about the vertical (0 looks along +y), pitch above the floor, up = +z;
// world x runs along the grid's columns (the plot's x), y along its rows, z is height.
class SurfaceCamera {
 public:
  SurfaceCamera(const OrbitCamera& camera, double aspect, double boxHeight = kSurfaceBoxHeight);

  // Figure coordinates — NDC x·aspect and NDC y, so the picture spans [−aspect, aspect] ×
  // [−1, 1] with one unit as long across as up — and the depth in front of the eye.
  // Nothing for a point at or behind the eye.
  std::optional<Eigen::Vector3d> project(const Eigen::Vector3d& world) const;
  Eigen::Vector3d toCamera(const Eigen::Vector3d& world) const { return rotation_ * (world - eye_); }
  const Eigen::Vector3d& eye() const { return eye_; }
  const Eigen::Matrix3d& rotation() const { return rotation_; }  // world → camera directions
  double aspect() const { return aspect_; }

 private:
  Eigen::Vector3d eye_;
  Eigen::Matrix3d rotation_;  // rows: right, up, backwards (camera looks along −z)
  double focal_;              // 1 / tan(fovy / 2)
  double aspect_;
};

// The landscape over the floor [−1, 1]²: values interpolated bilinearly (as the GPU samples
// the grid texture), then scaled (log10 on a log scale), then mapped to heights 0 … height
// over lo … hi of the scaled value; non-finite values stand at the top, as in the shaders.
class SurfaceHeights {
 public:
  SurfaceHeights(int cols, int rows, std::span<const float> values, Scale scale, Range valueRange,
                 double height = kSurfaceBoxHeight);

  double scaled(double u, double v) const;  // (u, v) ∈ [0, 1]² grid extent, clamped
  double fraction(double u, double v) const { return fractionOf(scaled(u, v)); }  // 0 … 1 of the box
  double fractionOf(double scaledValue) const;
  Eigen::Vector3d point(double u, double v) const {  // world: floor position unclamped, height clamped
    return {2.0 * u - 1.0, 2.0 * v - 1.0, fraction(u, v) * height_};
  }
  // True unless the surface hides `world` from `eye`: the sight line is marched through the
  // box and must not pass below the surface on the way (a tolerance lets lines lying on it
  // show, as the window's depth bias does).
  bool visible(const Eigen::Vector3d& world, const Eigen::Vector3d& eye) const;

  int cols() const { return cols_; }
  int rows() const { return rows_; }
  double height() const { return height_; }

 private:
  int cols_;
  int rows_;
  std::vector<float> values_;
  Scale scale_;
  double lo_;
  double hi_;
  double height_;
};

// One quad of the downsampled lattice as it is painted.
struct SurfaceQuad {
  std::array<Eigen::Vector2d, 4> corners;  // figure coordinates, counter-clockwise on the floor
  double depth = 0.0;                      // of its centre, in front of the eye
  double value = 0.0;                      // the scaled value at its centre
  Rgba base;                               // the colormap's colour of that value
  Rgba fill;                               // lit
};

// The lattice (at most maxQuads quads a side) projected, lit and sorted far to near.
// Quads with a corner behind the eye are left out.
std::vector<SurfaceQuad> surfaceQuads(const SurfaceHeights& heights, const SurfaceCamera& camera, Colormap colormap,
                                      int maxQuads = 64);

// shaders/surface.frag's light: a two-sided headlight, Lambert plus a small highlight.
// Normal and position in camera coordinates.
Rgba shadeSurface(Rgba base, const Eigen::Vector3d& normalCamera, const Eigen::Vector3d& positionCamera);

struct SurfaceFigureOptions {
  double aspect = 4.0 / 3.0;  // the picture's width over its height
  int maxQuads = 64;          // per side of the lattice
};

// "surface": the picture's landscape, isolines and paths seen through `camera`, with a
// title and the landscape's colorbar; no data axes. `picture.figure` must be the landscape
// figure (its heatmap, contours and axis names are used).
Figure surfaceFigure(const LandscapePicture& picture, const OrbitCamera& camera, Theme theme,
                     const SurfaceFigureOptions& options = {});

}  // namespace attnlab
