// Shared by the GUI tests: a hidden window for a GL 3.3 context, and pixel statistics.
#pragma once
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <set>

#include "app/gui/png_io.hpp"
#include "app/gui/window.hpp"

namespace attnlab::gui::testing {

// One hidden window (and so one GL context) per test suite: creating contexts is slow
// under llvmpipe, and the renderers only need one to be current.
class GlTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { window_ = std::make_unique<Window>(WindowConfig{320, 240, "attnlab test", true}); }
  static void TearDownTestSuite() { window_.reset(); }
  static inline std::unique_ptr<Window> window_;
};

// Statistics of the colours inside a rectangle of an image (top-down rows).
struct PixelStats {
  std::size_t distinctColours = 0;
  double meanLuma = 0.0;
  double lumaStdDev = 0.0;
};

inline PixelStats pixelStats(const Image& image, int x0, int y0, int x1, int y1) {
  std::set<std::uint32_t> colours;
  double sum = 0.0, sumSq = 0.0;
  std::size_t n = 0;
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) {
      const std::uint8_t* p = image.pixel(x, y);
      colours.insert(static_cast<std::uint32_t>(p[0]) << 16 | static_cast<std::uint32_t>(p[1]) << 8 | p[2]);
      const double luma = 0.2126 * p[0] + 0.7152 * p[1] + 0.0722 * p[2];
      sum += luma;
      sumSq += luma * luma;
      ++n;
    }
  PixelStats s;
  s.distinctColours = colours.size();
  if (n > 0) {
    s.meanLuma = sum / static_cast<double>(n);
    s.lumaStdDev = std::sqrt(std::max(0.0, sumSq / static_cast<double>(n) - s.meanLuma * s.meanLuma));
  }
  return s;
}

}  // namespace attnlab::gui::testing
