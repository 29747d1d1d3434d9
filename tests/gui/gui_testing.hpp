// Shared by the GUI tests: a hidden window for a GL 3.3 context, pixel statistics, and the
// attnlab binary run on a lab script (LabWindowTest).
#pragma once
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <string>

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

// Pixels within `tolerance` of `rgb` in each channel, inside a rectangle.
inline int countNear(const Image& image, std::uint32_t rgb, int x0, int y0, int x1, int y1, int tolerance = 24) {
  const int r = (rgb >> 16) & 0xFF, g = (rgb >> 8) & 0xFF, b = rgb & 0xFF;
  int count = 0;
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) {
      const std::uint8_t* p = image.pixel(x, y);
      if (std::abs(p[0] - r) <= tolerance && std::abs(p[1] - g) <= tolerance && std::abs(p[2] - b) <= tolerance)
        ++count;
    }
  return count;
}

// A lab's window run by the attnlab binary at 1280×800 on a script (or, given a session,
// on that file alone), screenshot taken once its jobs are idle. Files live in a directory
// of the test's own, removed afterwards.
class LabWindowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("attnlab_lab_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  Image screenshot(const std::string& script, const std::string& session = "") {
    const std::filesystem::path s = dir_ / "script.json", png = dir_ / "shot.png", err = dir_ / "stderr";
    std::string input;
    if (session.empty()) {
      std::ofstream(s) << script;
      input = "--script '" + s.string() + "'";
    } else {
      const std::filesystem::path file = dir_ / "session.json";
      std::ofstream(file) << session;
      input = "'" + file.string() + "'";
    }
    const std::string cmd = std::string("'") + ATTNLAB_BINARY + "' --size 1280x800 " + input + " --screenshot '" +
                            png.string() + "' 2> '" + err.string() + "'";
    const int raw = std::system(cmd.c_str());
    EXPECT_TRUE(WIFEXITED(raw) && WEXITSTATUS(raw) == 0) << cmd;
    EXPECT_TRUE(std::filesystem::exists(png));
    return readPng(png);
  }

  std::filesystem::path dir_;
};

}  // namespace attnlab::gui::testing
