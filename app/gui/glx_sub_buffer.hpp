// Presenting part of a frame under GLX: GLX_MESA_copy_sub_buffer copies a rectangle of the
// back buffer to the window. A program that presents only this way never swaps, so its back
// buffer keeps the last picture between frames (only a swap leaves it undefined) — the frame
// after needs to draw only what changed. Mesa's software rasterisers offer the extension;
// Wayland and EGL have no GLX display and get no copier.
#pragma once
#include <memory>

#include "app/gui/damage_tracker.hpp"

namespace attnlab::gui {

class GlxSubBufferCopier {
 public:
  // A copier for the current context's drawable, or null when the context is not GLX or the
  // extension is missing.
  static std::unique_ptr<GlxSubBufferCopier> forCurrentContext();

  // Copies `rect` (top-down pixels of a framebuffer `framebufferHeight` rows high) to the window.
  void copy(const PixelRect& rect, int framebufferHeight) const;

 private:
  GlxSubBufferCopier(void* display, unsigned long drawable) : display_(display), drawable_(drawable) {}
  void* display_;            // Display*, opaque here so that no X11 header spreads
  unsigned long drawable_;   // GLXDrawable
};

}  // namespace attnlab::gui
