#include "app/gui/heatmap_renderer.hpp"

#include <algorithm>
#include <stdexcept>

namespace attnlab::gui {

HeatmapRenderer::HeatmapRenderer()
    : program_(embeddedShader("heatmap.vert"), embeddedShader("heatmap.frag")) {}

void HeatmapRenderer::setGrid(int cols, int rows, std::span<const float> values) {
  if (cols < 1 || rows < 1 || values.size() != static_cast<std::size_t>(cols) * rows)
    throw std::invalid_argument("heatmap grid: values do not match cols × rows");
  uploadGridTexture(grid_.get(), cols, rows, values.data());
  cols_ = cols;
  rows_ = rows;
  dirty_ = true;
}

void* HeatmapRenderer::render(int width, int height, const HeatmapStyle& style) {
  if (!grid_ || !colormap_.texture()) throw std::logic_error("heatmap: render before setGrid/colormap");
  const bool resized = target_.ensure(width, height, {});
  if (!resized && !dirty_ && style == lastStyle_ && colormap_.name() == lastColormap_)
    return target_.imTextureId();

  target_.begin();
  glDisable(GL_BLEND);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_SCISSOR_TEST);
  glDisable(GL_CULL_FACE);
  program_.use();
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, grid_.name());
  glActiveTexture(GL_TEXTURE1);
  glBindTexture(GL_TEXTURE_2D, colormap_.texture());
  program_.set("uGrid", 0);
  program_.set("uColormap", 1);
  program_.set("uGridSize", static_cast<float>(cols_), static_cast<float>(rows_));
  program_.set("uLogScale", style.scale == ValueScale::Log ? 1 : 0);
  program_.set("uRange", style.lo, style.hi);
  const std::size_t levels = std::min(style.levels.size(), kMaxIsolines);
  if (levels > 0) glUniform1fv(program_.uniform("uLevels"), static_cast<GLsizei>(levels), style.levels.data());
  program_.set("uLevelCount", static_cast<int>(levels));
  program_.set("uContourWidth", style.contourWidth);
  const auto& c = style.contourColor;
  program_.set("uContourColor", c[0], c[1], c[2], c[3]);
  const auto& n = style.noDataColor;
  program_.set("uNoDataColor", n[0], n[1], n[2], n[3]);
  const auto& uv = style.uvRect;
  program_.set("uUvRect", uv[0], uv[1], uv[2], uv[3]);
  glBindVertexArray(quad_.get());
  glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
  glBindVertexArray(0);
  glActiveTexture(GL_TEXTURE1);
  glBindTexture(GL_TEXTURE_2D, 0);
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, 0);
  glUseProgram(0);
  target_.end();

  dirty_ = false;
  lastStyle_ = style;
  lastColormap_ = colormap_.name();
  return target_.imTextureId();
}

}  // namespace attnlab::gui
