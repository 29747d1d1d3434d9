// The landscape as a 3-D surface: a lit mesh over the grid (shaders/surface.*), solver
// paths as wide polylines lying on it (shaders/lines.*), inside a thin box for depth cues,
// seen by an orbit camera — all into an offscreen texture that the lab shows with
// ImGui::Image. Like the heatmap, it redraws only when the data, the camera or the size
// changed; new data is drawn over a few frames (render()), so no frame pays for a whole mesh.
// core/labs/surface_figure draws the same picture for `attnlab export` (camera, projection,
// heights and light mirrored there): change the two together.
#pragma once
#include <Eigen/Dense>

#include <array>
#include <optional>
#include <span>
#include <vector>

#include "app/gui/colormap_texture.hpp"
#include "app/gui/gl_objects.hpp"
#include "app/gui/gl_shader.hpp"
#include "app/gui/heatmap_renderer.hpp"
#include "app/gui/render_target.hpp"
#include "core/labs/orbit_camera.hpp"

namespace attnlab::gui {

// A path in grid-extent coordinates ((0,0) the first grid point, (1,1) the last).
struct SurfacePath {
  std::vector<Eigen::Vector2f> points;
  std::array<float, 4> color{1.0f, 1.0f, 1.0f, 1.0f};
};

struct SurfaceStyle {
  ValueScale scale = ValueScale::Linear;
  float lo = 0.0f;  // scaled values at the floor and at the top of the box
  float hi = 1.0f;
  float height = 0.8f;  // top of the box, in floor half-widths
  std::vector<float> levels;  // isolines, scaled units
  std::array<float, 4> contourColor{1.0f, 1.0f, 1.0f, 0.45f};
  std::array<float, 4> background{1.0f, 1.0f, 1.0f, 1.0f};
  std::array<float, 4> boxColor{0.0f, 0.0f, 0.0f, 0.35f};
  std::array<float, 4> outlineColor{0.0f, 0.0f, 0.0f, 0.45f};
  float lineWidth = 2.5f;  // paths, pixels
  bool operator==(const SurfaceStyle&) const = default;
};

class SurfaceRenderer {
 public:
  static constexpr int kMaxMeshSide = 128;  // lattice vertices per side, whatever the grid (32k triangles)

  SurfaceRenderer();  // compiles the shaders: the GL context must be current

  // The grid, row-major as for HeatmapRenderer::setGrid; a copy is kept to lay paths on it.
  void setGrid(int cols, int rows, std::span<const float> values);
  void setPaths(std::vector<SurfacePath> paths);
  ColormapTexture& colormap() { return colormap_; }

  // The picture as an ImGui texture. New data under an unchanged camera and size is drawn
  // over the next kBands calls and shown by the call after, the previous picture on screen
  // meanwhile (renderPending()).
  void* render(int width, int height, const OrbitCamera& camera, const SurfaceStyle& style);
  static constexpr int kBands = 8;
  // A picture is being drawn in bands: call render() again next frame.
  bool renderPending() const { return bandsLeft_ > 0 || swapPending_; }

  // Where a point in world coordinates (floor [-1,1]², heights 0 … style.height) lands in
  // the last rendered picture, in pixels from its top-left; nothing when behind the camera.
  std::optional<Eigen::Vector2f> project(const Eigen::Vector3f& world) const;
  // The world point of a grid-extent position on the surface (for labels and tests).
  Eigen::Vector3f surfacePoint(const Eigen::Vector2f& grid, const SurfaceStyle& style) const;

  RenderTarget& target() { return target_; }

 private:
  // A side×side lattice over [0,1]², two triangles per cell. The last two are kept: a
  // progressive landscape alternates a coarse grid and a fine one.
  struct LatticeMesh {
    GlVertexArray vao;
    GlBuffer vertices;
    GlBuffer indices;
    int side = 0;
    GLsizei indexCount = 0;
  };
  void useMesh(int side);
  static void buildMesh(LatticeMesh& mesh, int side);
  const LatticeMesh& mesh() const { return meshes_[mesh_]; }
  void buildLines(const SurfaceStyle& style);
  void setCamera(const OrbitCamera& camera, const SurfaceStyle& style);
  void drawBands(RenderTarget& into, int first, int last, const SurfaceStyle& style);
  void drawSurface(const SurfaceStyle& style, GLsizei firstIndex, GLsizei indexCount);
  void drawLines(const SurfaceStyle& style);
  float sampleScaled(float u, float v, const SurfaceStyle& style) const;

  ShaderProgram surface_;
  ShaderProgram lines_;
  ColormapTexture colormap_;
  GlTexture grid_;
  std::array<LatticeMesh, 2> meshes_;
  int mesh_ = 0;  // the one in use
  GlVertexArray linesVao_;
  GlBuffer lineVertices_;
  RenderTarget target_;  // the picture shown
  RenderTarget next_;    // the picture being drawn in bands
  int bandsLeft_ = 0;
  bool swapPending_ = false;  // next_ is whole; shown by the next call
  bool hasPicture_ = false;

  int cols_ = 0;
  int rows_ = 0;
  std::vector<float> values_;
  std::vector<SurfacePath> paths_;
  GLsizei boxVertexCount_ = 0;   // box edges first in lineVertices_
  GLsizei pathVertexCount_ = 0;  // then the paths
  Eigen::Matrix4f view_ = Eigen::Matrix4f::Identity();
  Eigen::Matrix4f projection_ = Eigen::Matrix4f::Identity();
  Eigen::Matrix4f viewProjection_ = Eigen::Matrix4f::Identity();
  bool dirty_ = true;
  bool linesDirty_ = true;
  OrbitCamera lastCamera_;
  SurfaceStyle lastStyle_;
  std::string lastColormap_;
};

}  // namespace attnlab::gui
