// A landscape grid drawn as a picture: the values go to the GPU once as an R32F texture,
// and shaders/heatmap.frag colours them through a colormap (linear or log10) with isolines
// into an offscreen texture that the plot layer shows (plot::PlotHeatmap, ImGui::Image).
// The picture is redrawn only when the grid, the style or the size changed, so a frame
// that changes nothing costs no fill work.
#pragma once
#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "app/gui/colormap_texture.hpp"
#include "app/gui/gl_objects.hpp"
#include "app/gui/gl_shader.hpp"
#include "app/gui/render_target.hpp"

namespace attnlab::gui {

enum class ValueScale { Linear, Log };
inline constexpr std::size_t kMaxIsolines = 32;  // uLevels[32] in shaders/heatmap.frag

struct HeatmapStyle {
  ValueScale scale = ValueScale::Linear;
  float lo = 0.0f;  // scaled value (log10 of the value on a log scale) at the colormap's left end
  float hi = 1.0f;  // ... and at its right end
  // Isoline levels in scaled units (log10 of the level on a log scale), at most
  // kMaxIsolines of them; empty: none.
  std::vector<float> levels;
  float contourWidth = 1.25f;  // pixels
  std::array<float, 4> contourColor{1.0f, 1.0f, 1.0f, 0.6f};
  std::array<float, 4> noDataColor{0.55f, 0.55f, 0.55f, 1.0f};
  // The visible window (u0, v0, u1, v1) in grid-extent coordinates: (0,0) is the first
  // grid point, (1,1) the last. A plot zoomed in renders only what it shows.
  std::array<float, 4> uvRect{0.0f, 0.0f, 1.0f, 1.0f};
  bool operator==(const HeatmapStyle&) const = default;
};

class HeatmapRenderer {
 public:
  HeatmapRenderer();  // compiles the shaders: the GL context must be current

  // Uploads a cols×rows grid, row-major, row j holding the points (s_0..s_N-1, t_j).
  void setGrid(int cols, int rows, std::span<const float> values);
  // The look-up table the next render uses (uploaded by the caller, usually once).
  ColormapTexture& colormap() { return colormap_; }

  // Redraws into a width×height texture when anything changed; returns the texture.
  // Its first row is t = v0 (OpenGL's bottom-up order): show it with uv (0,1)–(1,0).
  void* render(int width, int height, const HeatmapStyle& style);

  int gridCols() const { return cols_; }
  int gridRows() const { return rows_; }
  RenderTarget& target() { return target_; }

 private:
  ShaderProgram program_;
  ColormapTexture colormap_;
  GlTexture grid_;
  GlVertexArray quad_;  // core profile needs a bound VAO even for attribute-less draws
  RenderTarget target_;
  int cols_ = 0;
  int rows_ = 0;
  bool dirty_ = true;
  HeatmapStyle lastStyle_;
  std::string lastColormap_;
};

}  // namespace attnlab::gui
