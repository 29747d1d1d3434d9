// An offscreen framebuffer whose colour ends in a plain RGBA8 texture that Dear ImGui can
// draw (ImGui::Image, plot::PlotHeatmap). Optionally with a depth buffer and multisampling,
// resolved into the texture by end(), for the 3-D view.
#pragma once
#include <cstdint>
#include <vector>

#include "app/gui/gl_objects.hpp"

namespace attnlab::gui {

class RenderTarget {
 public:
  struct Format {
    bool depth = false;  // a depth buffer, for 3-D scenes
    int samples = 0;     // 0: no multisampling; 4: smooth mesh edges and lines
    bool operator==(const Format&) const = default;
  };

  // (Re)allocates when the size or format changed; returns true when it did (the
  // previous picture is lost then and must be redrawn).
  bool ensure(int width, int height, Format format);

  // Binds the framebuffer that draws go to and sets the viewport to the whole target.
  void begin();
  // Resolves multisampling into the texture and binds the window's framebuffer again.
  void end();

  int width() const { return width_; }
  int height() const { return height_; }
  GLuint texture() const { return color_.name(); }
  // The texture as Dear ImGui's handle, with the content's generation in its upper bits (the
  // backend binds only the lower 32): a handle that changes whenever the pixels do, which is
  // how the window's DamageTracker sees a redrawn plot.
  void* imTextureId() const { return toImTextureId(color_.name(), generation_); }
  // The framebuffer that holds the texture (the resolved one, when multisampled).
  GLuint framebuffer() const { return resolveFbo_.name(); }

  // The texture's pixels, RGBA8, rows bottom-up (OpenGL's order). For tests and checks.
  std::vector<std::uint8_t> readPixels();

 private:
  void allocate();

  int width_ = 0;
  int height_ = 0;
  std::uint32_t generation_ = 0;  // bumped by begin() and allocate(): the pixels may change
  Format format_;
  GlTexture color_;          // what ImGui shows
  GlFramebuffer resolveFbo_; // colour = color_
  GlFramebuffer drawFbo_;    // multisampled colour + depth (only when samples > 0)
  GlRenderbuffer msColor_;
  GlRenderbuffer depth_;
};

}  // namespace attnlab::gui
