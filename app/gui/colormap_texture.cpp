#include "app/gui/colormap_texture.hpp"

#include <stdexcept>
#include <vector>

namespace attnlab::gui {

bool ColormapTexture::upload(const std::string& name, std::span<const Rgb8> table) {
  if (texture_ && name == name_) return false;
  if (table.size() != kColormapSize)
    throw std::invalid_argument("a colormap table needs " + std::to_string(kColormapSize) + " entries");
  std::vector<std::uint8_t> rgba;
  rgba.reserve(table.size() * 4);
  for (const Rgb8& c : table) rgba.insert(rgba.end(), {c[0], c[1], c[2], 255});
  glBindTexture(GL_TEXTURE_2D, texture_.get());
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, kColormapSize, 1, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
  // Linear between table entries: the shaders address texel centres, so the ends are exact.
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glBindTexture(GL_TEXTURE_2D, 0);
  name_ = name;
  return true;
}

}  // namespace attnlab::gui
