// A colormap as a 256×1 RGBA8 look-up texture for the heatmap and surface shaders. The
// table itself comes from core/figure (viridis, cividis, magma), so the window and the
// exported files colour a value identically.
#pragma once
#include <span>
#include <string>

#include "app/gui/gl_objects.hpp"
#include "core/figure/colormap.hpp"

namespace attnlab::gui {

class ColormapTexture {
 public:
  // Uploads the table (kColormapSize colours, low values first) unless `name` is the
  // colormap already uploaded. Returns true when it uploaded.
  bool upload(const std::string& name, std::span<const Rgb8> table);
  // One of core/figure's colormaps, by its name.
  bool upload(Colormap map) { return upload(std::string(colormapName(map)), colormapTable(map)); }
  GLuint texture() const { return texture_.name(); }
  const std::string& name() const { return name_; }

 private:
  GlTexture texture_;
  std::string name_;
};

}  // namespace attnlab::gui
