// Pixels in memory and in PNG files (libpng's simplified API): screenshots are written
// with it, and the GUI tests read them back to measure what was drawn.
#pragma once
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <vector>

namespace attnlab::gui {

// RGBA8 pixels, rows top-down (as image files store them).
struct Image {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgba;

  const std::uint8_t* pixel(int x, int y) const {
    return rgba.data() + (static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + x) * 4;
  }
};

class PngError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Writes an opaque RGB PNG (alpha dropped: a window has no transparency) to a temporary
// name beside path, then renames it over path, so no reader sees half a file.
void writePng(const std::filesystem::path& path, const Image& image);

// Reads any PNG as RGBA8.
Image readPng(const std::filesystem::path& path);

}  // namespace attnlab::gui
