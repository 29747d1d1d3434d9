// [SECTION] camera
// [SECTION] geometry: the lattice, the box, the paths
// [SECTION] drawing
#include "app/gui/surface_renderer.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <stdexcept>

namespace attnlab::gui {
namespace {

constexpr float kPi = 3.14159265358979f;
float radians(float degrees) { return degrees * kPi / 180.0f; }

// One vertex of a wide-line quad (shaders/lines.vert).
struct LineVertex {
  float position[3];
  float other[3];
  float side;
  float color[4];
};

Eigen::Matrix4f lookAt(const Eigen::Vector3f& eye, const Eigen::Vector3f& target, const Eigen::Vector3f& up) {
  const Eigen::Vector3f f = (target - eye).normalized();
  const Eigen::Vector3f s = f.cross(up).normalized();
  const Eigen::Vector3f u = s.cross(f);
  Eigen::Matrix4f m = Eigen::Matrix4f::Identity();
  m.block<1, 3>(0, 0) = s.transpose();
  m.block<1, 3>(1, 0) = u.transpose();
  m.block<1, 3>(2, 0) = -f.transpose();
  m(0, 3) = -s.dot(eye);
  m(1, 3) = -u.dot(eye);
  m(2, 3) = f.dot(eye);
  return m;
}

Eigen::Matrix4f perspective(float fovyDegrees, float aspect, float near, float far) {
  const float f = 1.0f / std::tan(radians(fovyDegrees) / 2.0f);
  Eigen::Matrix4f m = Eigen::Matrix4f::Zero();
  m(0, 0) = f / aspect;
  m(1, 1) = f;
  m(2, 2) = (far + near) / (near - far);
  m(2, 3) = 2.0f * far * near / (near - far);
  m(3, 2) = -1.0f;
  return m;
}

// Adds the quad of segment a→b (two triangles, six vertices).
void addSegment(std::vector<LineVertex>& out, const Eigen::Vector3f& a, const Eigen::Vector3f& b,
                const std::array<float, 4>& color) {
  auto vertex = [&](const Eigen::Vector3f& p, const Eigen::Vector3f& q, float side) {
    return LineVertex{{p.x(), p.y(), p.z()}, {q.x(), q.y(), q.z()}, side, {color[0], color[1], color[2], color[3]}};
  };
  // At b the direction is reversed (its "other" end is a), so its sides swap sign.
  const LineVertex a0 = vertex(a, b, 1.0f), a1 = vertex(a, b, -1.0f);
  const LineVertex b0 = vertex(b, a, -1.0f), b1 = vertex(b, a, 1.0f);
  out.insert(out.end(), {a0, a1, b0, a1, b1, b0});
}

}  // namespace

// [SECTION] camera


// [SECTION] geometry: the lattice, the box, the paths

SurfaceRenderer::SurfaceRenderer()
    : surface_(embeddedShader("surface.vert"), embeddedShader("surface.frag")),
      lines_(embeddedShader("lines.vert"), embeddedShader("lines.frag")) {}

void SurfaceRenderer::setGrid(int cols, int rows, std::span<const float> values) {
  if (cols < 2 || rows < 2 || values.size() != static_cast<std::size_t>(cols) * rows)
    throw std::invalid_argument("surface grid: values do not match cols × rows (at least 2×2)");
  uploadGridTexture(grid_.get(), cols, rows, values.data());
  cols_ = cols;
  rows_ = rows;
  values_.assign(values.begin(), values.end());
  const int side = std::min({kMaxMeshSide, std::max(cols, rows)});
  useMesh(side);
  dirty_ = linesDirty_ = true;
}

void SurfaceRenderer::setPaths(std::vector<SurfacePath> paths) {
  paths_ = std::move(paths);
  dirty_ = linesDirty_ = true;
}

void SurfaceRenderer::useMesh(int side) {
  if (meshes_[mesh_].side == side) return;
  mesh_ = 1 - mesh_;
  if (meshes_[mesh_].side != side) buildMesh(meshes_[mesh_], side);
}

void SurfaceRenderer::buildMesh(LatticeMesh& mesh, int side) {
  std::vector<float> vertices;
  vertices.reserve(static_cast<std::size_t>(side) * side * 2);
  for (int j = 0; j < side; ++j)
    for (int i = 0; i < side; ++i) {
      vertices.push_back(static_cast<float>(i) / static_cast<float>(side - 1));
      vertices.push_back(static_cast<float>(j) / static_cast<float>(side - 1));
    }
  std::vector<GLuint> indices;
  indices.reserve(static_cast<std::size_t>(side - 1) * (side - 1) * 6);
  for (int j = 0; j + 1 < side; ++j)
    for (int i = 0; i + 1 < side; ++i) {
      const auto k = static_cast<GLuint>(j * side + i), up = k + static_cast<GLuint>(side);
      indices.insert(indices.end(), {k, k + 1, up + 1, k, up + 1, up});
    }
  glBindVertexArray(mesh.vao.get());
  glBindBuffer(GL_ARRAY_BUFFER, mesh.vertices.get());
  glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(vertices.size() * sizeof(float)), vertices.data(), GL_STATIC_DRAW);
  glEnableVertexAttribArray(0);
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 2 * sizeof(float), nullptr);
  glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, mesh.indices.get());
  glBufferData(GL_ELEMENT_ARRAY_BUFFER, static_cast<GLsizeiptr>(indices.size() * sizeof(GLuint)), indices.data(),
               GL_STATIC_DRAW);
  glBindVertexArray(0);
  mesh.side = side;
  mesh.indexCount = static_cast<GLsizei>(indices.size());
}

// The scaled value at grid-extent (u, v), bilinear like the GPU's sampling.
float SurfaceRenderer::sampleScaled(float u, float v, const SurfaceStyle& style) const {
  if (!std::isfinite(u) || !std::isfinite(v)) return style.hi;  // never index with a NaN
  const float x = std::clamp(u, 0.0f, 1.0f) * static_cast<float>(cols_ - 1);
  const float y = std::clamp(v, 0.0f, 1.0f) * static_cast<float>(rows_ - 1);
  const int i = std::min(static_cast<int>(x), cols_ - 2), j = std::min(static_cast<int>(y), rows_ - 2);
  const float fx = x - static_cast<float>(i), fy = y - static_cast<float>(j);
  auto at = [&](int ii, int jj) { return values_[static_cast<std::size_t>(jj) * cols_ + ii]; };
  const float value = (1 - fy) * ((1 - fx) * at(i, j) + fx * at(i + 1, j)) + fy * ((1 - fx) * at(i, j + 1) + fx * at(i + 1, j + 1));
  if (!std::isfinite(value)) return style.hi;
  if (style.scale == ValueScale::Log) return value > 0.0f ? std::log10(value) : style.lo;
  return value;
}

Eigen::Vector3f SurfaceRenderer::surfacePoint(const Eigen::Vector2f& grid, const SurfaceStyle& style) const {
  const float t = (sampleScaled(grid.x(), grid.y(), style) - style.lo) / std::max(style.hi - style.lo, 1e-30f);
  return {grid.x() * 2.0f - 1.0f, grid.y() * 2.0f - 1.0f, std::clamp(t, 0.0f, 1.0f) * style.height};
}

// The box's twelve edges, then each path laid on the surface: segments are cut into pieces
// no longer than a grid cell, so a path follows hills and valleys instead of tunnelling.
void SurfaceRenderer::buildLines(const SurfaceStyle& style) {
  std::vector<LineVertex> vertices;
  const float h = style.height;
  const Eigen::Vector3f c[8] = {{-1, -1, 0}, {1, -1, 0}, {1, 1, 0}, {-1, 1, 0}, {-1, -1, h}, {1, -1, h}, {1, 1, h}, {-1, 1, h}};
  const int edges[12][2] = {{0, 1}, {1, 2}, {2, 3}, {3, 0}, {4, 5}, {5, 6}, {6, 7}, {7, 4}, {0, 4}, {1, 5}, {2, 6}, {3, 7}};
  for (const auto& e : edges) addSegment(vertices, c[e[0]], c[e[1]], style.boxColor);
  boxVertexCount_ = static_cast<GLsizei>(vertices.size());

  const float cell = 1.0f / static_cast<float>(std::max(std::max(cols_, rows_) - 1, 1));
  for (const SurfacePath& path : paths_) {
    for (std::size_t k = 0; k + 1 < path.points.size(); ++k) {
      const Eigen::Vector2f a = path.points[k], b = path.points[k + 1];
      // A diverged solver leaves points beyond float range: no segment to lay on the surface.
      if (!a.allFinite() || !b.allFinite()) continue;
      const int pieces = std::clamp(static_cast<int>((b - a).norm() / cell) + 1, 1, 64);
      Eigen::Vector3f previous = surfacePoint(a, style);
      for (int q = 1; q <= pieces; ++q) {
        const Eigen::Vector3f next = surfacePoint(a + (b - a) * (static_cast<float>(q) / pieces), style);
        addSegment(vertices, previous, next, path.color);
        previous = next;
      }
    }
  }
  pathVertexCount_ = static_cast<GLsizei>(vertices.size()) - boxVertexCount_;

  glBindVertexArray(linesVao_.get());
  glBindBuffer(GL_ARRAY_BUFFER, lineVertices_.get());
  glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(vertices.size() * sizeof(LineVertex)), vertices.data(),
               GL_DYNAMIC_DRAW);
  const auto stride = static_cast<GLsizei>(sizeof(LineVertex));
  glEnableVertexAttribArray(0);
  glVertexAttribPointer(0, 3, GL_FLOAT, GL_FALSE, stride, reinterpret_cast<void*>(offsetof(LineVertex, position)));
  glEnableVertexAttribArray(1);
  glVertexAttribPointer(1, 3, GL_FLOAT, GL_FALSE, stride, reinterpret_cast<void*>(offsetof(LineVertex, other)));
  glEnableVertexAttribArray(2);
  glVertexAttribPointer(2, 1, GL_FLOAT, GL_FALSE, stride, reinterpret_cast<void*>(offsetof(LineVertex, side)));
  glEnableVertexAttribArray(3);
  glVertexAttribPointer(3, 4, GL_FLOAT, GL_FALSE, stride, reinterpret_cast<void*>(offsetof(LineVertex, color)));
  glBindVertexArray(0);
  linesDirty_ = false;
}

// [SECTION] drawing

void* SurfaceRenderer::render(int width, int height, const OrbitCamera& camera, const SurfaceStyle& style) {
  if (!grid_ || !colormap_.texture()) throw std::logic_error("surface: render before setGrid/colormap");
  // No multisampling: under a software rasteriser (Mesa llvmpipe, CI and many VMs) 4× MSAA
  // quadrupled the cost of a new surface to ~40 ms; the paths and the box are drawn by the
  // line shader with their own antialiasing, and the shaded mesh has no hard edges to alias.
  const RenderTarget::Format format{.depth = true, .samples = 0};
  const bool resized = target_.ensure(width, height, format);
  const bool styleChanged = !(style == lastStyle_);
  const bool cameraMoved = !(camera == lastCamera_);
  const bool changed = resized || dirty_ || styleChanged || cameraMoved || colormap_.name() != lastColormap_;
  if (!changed && bandsLeft_ == 0) {
    // The finished picture is shown a call after its last band: the window's fill of the new
    // picture and the rasteriser's last band then fall in different frames.
    if (swapPending_) std::swap(target_, next_);
    swapPending_ = false;
    return target_.imTextureId();
  }
  if (changed) {
    swapPending_ = false;
    if (linesDirty_ || styleChanged) buildLines(style);
    setCamera(camera, style);
    dirty_ = false;
    lastCamera_ = camera;
    lastStyle_ = style;
    lastColormap_ = colormap_.name();
    // New data seen from a still camera is drawn into a second target over kBands frames,
    // the old picture shown meanwhile: under a software rasteriser a whole surface costs a
    // frame's budget. A moving camera must follow the mouse at once; a first picture (or
    // one at a new size) must appear whole.
    if (resized || cameraMoved || !hasPicture_) {
      drawBands(target_, 0, kBands, style);
      hasPicture_ = true;
      bandsLeft_ = 0;
      return target_.imTextureId();
    }
    next_.ensure(width, height, format);
    bandsLeft_ = kBands;
  }
  drawBands(next_, kBands - bandsLeft_, kBands - bandsLeft_ + 1, style);
  if (--bandsLeft_ == 0) swapPending_ = true;
  return target_.imTextureId();
}

void SurfaceRenderer::setCamera(const OrbitCamera& camera, const SurfaceStyle& style) {
  const float yaw = radians(camera.yaw), pitch = radians(camera.pitch);
  const Eigen::Vector3f centre(0.0f, 0.0f, style.height * 0.45f);
  const Eigen::Vector3f eye = centre + camera.distance * Eigen::Vector3f(std::cos(pitch) * std::sin(yaw),
                                                                          -std::cos(pitch) * std::cos(yaw), std::sin(pitch));
  view_ = lookAt(eye, centre, Eigen::Vector3f::UnitZ());
  projection_ = perspective(32.0f, static_cast<float>(target_.width()) / static_cast<float>(target_.height()), 0.1f, 50.0f);
  viewProjection_ = projection_ * view_;
}

// Bands [first, last) of kBands of the mesh's rows into `into`: the first clears it, the
// last adds the box and the paths on top.
void SurfaceRenderer::drawBands(RenderTarget& into, int first, int last, const SurfaceStyle& style) {
  into.begin();
  if (first == 0) {
    const auto& bg = style.background;
    glClearColor(bg[0], bg[1], bg[2], bg[3]);
    glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
  }
  glDisable(GL_SCISSOR_TEST);
  glDisable(GL_CULL_FACE);
  glEnable(GL_DEPTH_TEST);
  glDepthFunc(GL_LEQUAL);
  surface_.use();
  surface_.setMatrix4("uView", view_.data());
  surface_.setMatrix4("uProjection", projection_.data());
  // Whole rows of cells (six indices each) per band.
  const GLsizei perRow = static_cast<GLsizei>(mesh().side - 1) * 6, rows = mesh().side - 1;
  const GLsizei begin = perRow * (rows * first / kBands), end = perRow * (rows * last / kBands);
  drawSurface(style, begin, end - begin);
  if (last == kBands) drawLines(style);
  glDisable(GL_DEPTH_TEST);
  glUseProgram(0);
  into.end();
}

void SurfaceRenderer::drawSurface(const SurfaceStyle& style, GLsizei firstIndex, GLsizei indexCount) {
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, grid_.name());
  glActiveTexture(GL_TEXTURE1);
  glBindTexture(GL_TEXTURE_2D, colormap_.texture());
  surface_.set("uGrid", 0);
  surface_.set("uColormap", 1);
  surface_.set("uGridSize", static_cast<float>(cols_), static_cast<float>(rows_));
  surface_.set("uLogScale", style.scale == ValueScale::Log ? 1 : 0);
  surface_.set("uRange", style.lo, style.hi);
  surface_.set("uHeight", style.height);
  const float step = 1.0f / static_cast<float>(mesh().side - 1);
  surface_.set("uMeshStep", step, step);
  const std::size_t levels = std::min(style.levels.size(), kMaxIsolines);
  if (levels > 0) glUniform1fv(surface_.uniform("uLevels"), static_cast<GLsizei>(levels), style.levels.data());
  surface_.set("uLevelCount", static_cast<int>(levels));
  surface_.set("uContourWidth", 1.2f);
  const auto& c = style.contourColor;
  surface_.set("uContourColor", c[0], c[1], c[2], c[3]);
  glBindVertexArray(mesh().vao.name());
  glDrawElements(GL_TRIANGLES, indexCount, GL_UNSIGNED_INT,
                 reinterpret_cast<const void*>(static_cast<std::size_t>(firstIndex) * sizeof(GLuint)));
  glBindVertexArray(0);
  glActiveTexture(GL_TEXTURE1);
  glBindTexture(GL_TEXTURE_2D, 0);
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, 0);
}

// The box thin and behind nothing in particular; each path twice: a dark, wider outline
// first, then its colour on top (same depth, GL_LEQUAL), both pulled slightly forward.
void SurfaceRenderer::drawLines(const SurfaceStyle& style) {
  glEnable(GL_BLEND);
  // Colour blends; alpha stays 1, so ImGui shows the picture opaque.
  glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
  lines_.use();
  lines_.setMatrix4("uViewProjection", viewProjection_.data());
  lines_.set("uViewport", static_cast<float>(target_.width()), static_cast<float>(target_.height()));
  glBindVertexArray(linesVao_.name());
  lines_.set("uDepthBias", 0.0f);
  lines_.set("uWidth", 1.0f);
  lines_.set("uColorOverride", 0.0f, 0.0f, 0.0f, -1.0f);
  glDrawArrays(GL_TRIANGLES, 0, boxVertexCount_);
  if (pathVertexCount_ > 0) {
    lines_.set("uDepthBias", 0.002f);
    lines_.set("uWidth", style.lineWidth + 2.0f);
    const auto& o = style.outlineColor;
    lines_.set("uColorOverride", o[0], o[1], o[2], o[3]);
    glDrawArrays(GL_TRIANGLES, boxVertexCount_, pathVertexCount_);
    lines_.set("uDepthBias", 0.0025f);
    lines_.set("uWidth", style.lineWidth);
    lines_.set("uColorOverride", 0.0f, 0.0f, 0.0f, -1.0f);
    glDrawArrays(GL_TRIANGLES, boxVertexCount_, pathVertexCount_);
  }
  glBindVertexArray(0);
  glDisable(GL_BLEND);
}

std::optional<Eigen::Vector2f> SurfaceRenderer::project(const Eigen::Vector3f& world) const {
  const Eigen::Vector4f clip = viewProjection_ * world.homogeneous();
  if (clip.w() <= 1e-6f) return std::nullopt;
  const float x = clip.x() / clip.w(), y = clip.y() / clip.w();
  return Eigen::Vector2f((x * 0.5f + 0.5f) * static_cast<float>(target_.width()),
                         (0.5f - y * 0.5f) * static_cast<float>(target_.height()));
}

}  // namespace attnlab::gui
