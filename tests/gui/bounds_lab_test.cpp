// The bounds lab in the real window: attnlab is started with a --script that selects the
// "Bounds" tab and sets its parameters, waits until its jobs are idle and takes a
// screenshot; the test then measures the plot area — the bound colours of the theme, the
// red markers of failing hypotheses, the bars of the targets — not just that a file exists.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "gui_testing.hpp"

namespace attnlab::gui {
namespace {

using BoundsLabWindow = testing::LabWindowTest;
using testing::countNear;

// Okabe–Ito in the light theme (core/figure/theme.cpp), as bounds_figures.cpp assigns them.
constexpr std::uint32_t kBlue = 0x0072B2, kOrange = 0xE69F00, kVermillion = 0xD55E00, kPurple = 0xCC79A7,
                        kGreen = 0x009E73, kSky = 0x56B4E9;

TEST_F(BoundsLabWindow, ScriptSelectsTheTabAndThePlotsShowEveryBound) {
  // A fixed R of 2 makes every hypothesis fail, so the red markers must show too.
  const Image image = screenshot(R"([
    {"set": {"lab": "bounds", "n": 12, "d": 3, "steps": 12, "lr": 0.2, "bounds_R": 2,
             "sweep": {"axis": "R", "values": [4, 5, 6], "instances": 2}}},
    {"wait": "idle"}, {"frames": 3}])");
  ASSERT_EQ(image.width, 1280);
  ASSERT_EQ(image.height, 800);
  // The plots fill the right of the parameter panel (about 21 em, ~300 px); the top row
  // holds the bounds figure on the left 58 %, the slack on the right.
  const int left = 360, right = 1270, top = 60, middle = 440, bottom = 770;
  const int boundsRight = left + (right - left) * 55 / 100;
  const testing::PixelStats top_ = testing::pixelStats(image, left, top, right, middle);
  EXPECT_GT(top_.distinctColours, 200u);
  EXPECT_GT(top_.lumaStdDev, 10.0);
  for (std::uint32_t colour : {kBlue, kOrange, kPurple, kGreen, kSky})
    EXPECT_GT(countNear(image, colour, left, top, boundsRight, middle), 40) << std::hex << colour;
  EXPECT_GT(countNear(image, kVermillion, left, top, boundsRight, middle), 20) << "failure markers";
  // Bottom row: the targets' bars (blue and orange areas) and the sweep's lines.
  const int targetsRight = left + (right - left) / 2;
  EXPECT_GT(countNear(image, kBlue, left, middle, targetsRight, bottom), 300);
  EXPECT_GT(countNear(image, kOrange, left, middle, targetsRight, bottom), 300);
  const testing::PixelStats sweep = testing::pixelStats(image, targetsRight, middle, right, bottom);
  EXPECT_GT(sweep.distinctColours, 100u);
}

TEST_F(BoundsLabWindow, SessionOpensOnTheBoundsTab) {
  const Image image = screenshot("", R"({"version": 1, "lab": "bounds",
    "bounds": {"n": 10, "shift": "A", "attention_update": "lsa", "steps": 8, "sweep": {"axis": "step", "instances": 1}}})");
  ASSERT_EQ(image.width, 1280);
  const int left = 360, right = 1270, top = 60, middle = 440;
  const int boundsRight = left + (right - left) * 55 / 100;
  // Part 1 (blue) runs just under the lemma (orange, log₁₀ 2 above it): partly covered.
  for (std::uint32_t colour : {kBlue, kOrange, kPurple, kGreen})
    EXPECT_GT(countNear(image, colour, left, top, boundsRight, middle), 15) << std::hex << colour;
}

TEST_F(BoundsLabWindow, RegressionScriptsStillDriveTheRegressionTab) {
  // Backward compatible: "set" without "lab" goes to the open tab, the regression lab.
  const Image image = screenshot(R"([{"set": {"grid": 32, "steps": 20}}, {"wait": "idle"}])");
  ASSERT_EQ(image.width, 1280);
  // No bound colour in a purple dash-dot line: the surface, heatmap and curves instead.
  const testing::PixelStats plots = testing::pixelStats(image, 360, 60, 1270, 770);
  EXPECT_GT(plots.distinctColours, 500u);
}

}  // namespace
}  // namespace attnlab::gui
