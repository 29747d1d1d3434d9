#include "app/export/heatmap_image.hpp"

#include <algorithm>
#include <cmath>

namespace attnlab::exporting {
namespace {

void put(RgbaImage& image, int x, int y, const Rgba& c) {
  const auto byte = [](float v) { return static_cast<std::uint8_t>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f)); };
  std::uint8_t* p = &image.pixels[(static_cast<std::size_t>(y) * image.width + x) * 4];
  p[0] = byte(c.r);
  p[1] = byte(c.g);
  p[2] = byte(c.b);
  p[3] = byte(c.a);
}

RgbaImage blank(int width, int height) {
  RgbaImage image;
  image.width = width;
  image.height = height;
  image.pixels.assign(static_cast<std::size_t>(width) * height * 4, 0);
  return image;
}

}  // namespace

RgbaImage heatmapImage(const HeatmapSeries& h) {
  if (h.rows < 1 || h.cols < 1 || h.values.size() != static_cast<std::size_t>(h.rows) * h.cols) return {};
  const Colormap map = colormapFromName(h.colormap).value_or(Colormap::Viridis);
  const Range range = heatmapValueRange(h);
  const double s0 = toScale(h.scale, range.min), s1 = toScale(h.scale, range.max);
  RgbaImage image = blank(h.cols, h.rows);
  for (int row = 0; row < h.rows; ++row) {
    for (int col = 0; col < h.cols; ++col) {
      const double s = toScale(h.scale, h.at(row, col));
      // Non-finite (or ≤ 0 on a log scale): the no-data grey, as in the window.
      const double t = std::isfinite(s) ? (s1 > s0 ? (s - s0) / (s1 - s0) : 0.5) : std::nan("");
      put(image, col, h.rows - 1 - row, sample(map, t));
    }
  }
  return image;
}

RgbaImage colormapImage(Colormap colormap, bool vertical) {
  RgbaImage image = vertical ? blank(1, kColormapSize) : blank(kColormapSize, 1);
  for (int i = 0; i < kColormapSize; ++i) {
    const Rgba c = sample(colormap, static_cast<double>(i) / (kColormapSize - 1));
    if (vertical) put(image, 0, kColormapSize - 1 - i, c);
    else put(image, i, 0, c);
  }
  return image;
}

}  // namespace attnlab::exporting
