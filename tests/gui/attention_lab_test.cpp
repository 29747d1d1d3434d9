// The attention lab in the real window: attnlab is started with a --script that selects the
// "Attention" tab and sets its parameters, waits until its jobs are idle and takes a
// screenshot; the test then measures the picture — the three matrices on top (viridis
// weights, a diverging difference), the kernels' colours in the sweep plots below.
#include <gtest/gtest.h>

#include <cstdint>

#include "gui_testing.hpp"

namespace attnlab::gui {
namespace {

using AttentionLabWindow = testing::LabWindowTest;
using testing::countNear;

// Okabe–Ito in the light theme, as attention_lab_figures.cpp gives them to the kernels.
constexpr std::uint32_t kElu = 0x0072B2, kFavor = 0xE69F00, kGlu = 0xCC79A7;
// The plots fill the right of the parameter panel (about 21 em, ~300 px), two rows of three.
constexpr int kLeft = 360, kRight = 1270, kTop = 60, kMiddle = 420, kBottom = 770;
constexpr int kThird = (kRight - kLeft) / 3;

TEST_F(AttentionLabWindow, ScriptSelectsTheTabAndDrawsMatricesAndSweeps) {
  const Image image = screenshot(R"([
    {"set": {"lab": "attention", "sigma": 1.0, "length": 48, "kernel": "glu", "features": 32, "fit_steps": 20,
             "sweep": {"kernels": ["elu", "favor", "glu"], "lengths": [32, 64, 128], "features": [8, 32]}}},
    {"wait": "idle"}, {"frames": 3}])");
  ASSERT_EQ(image.width, 1280);
  ASSERT_EQ(image.height, 800);
  // Each matrix is a picture with many colours, not a flat panel.
  for (int k = 0; k < 3; ++k) {
    const testing::PixelStats m = testing::pixelStats(image, kLeft + k * kThird, kTop, kLeft + (k + 1) * kThird, kMiddle);
    EXPECT_GT(m.distinctColours, 100u) << "matrix " << k;
    EXPECT_GT(m.lumaStdDev, 10.0) << "matrix " << k;
  }
  // viridis' dark violet in the weights; in the difference blue and red where the kernel
  // gives a key too little or too much weight (white, near 0, is the ground's colour too).
  EXPECT_GT(countNear(image, 0x440154, kLeft, kTop, kLeft + kThird, kMiddle, 40), 500);
  EXPECT_GT(countNear(image, 0x4393C3, kLeft + 2 * kThird, kTop, kRight, kMiddle, 60) +
                countNear(image, 0xD6604D, kLeft + 2 * kThird, kTop, kRight, kMiddle, 60),
            40);
  // One line per kernel in each sweep plot.
  for (std::uint32_t colour : {kElu, kFavor, kGlu})
    for (int k = 0; k < 3; ++k) {
      if (k == 1 && colour == kElu) continue;  // elu has no m: a dash-dot level, thinner
      EXPECT_GT(countNear(image, colour, kLeft + k * kThird, kMiddle, kLeft + (k + 1) * kThird, kBottom), 40)
          << std::hex << colour << " in sweep plot " << k;
    }
}

TEST_F(AttentionLabWindow, SessionOpensOnTheAttentionTab) {
  const Image image = screenshot("", R"({"version": 1, "lab": "attention",
    "attention": {"length": 32, "kernel": "elu", "causal": true,
                  "sweep": {"kernels": ["elu"], "lengths": [16, 32], "features": [8]}}})");
  ASSERT_EQ(image.width, 1280);
  // Causal: the upper triangle of the exact matrix holds zero weights, viridis' darkest.
  EXPECT_GT(countNear(image, 0x440154, kLeft, kTop, kLeft + kThird, kMiddle, 12), 2000);
  EXPECT_GT(countNear(image, kElu, kLeft, kMiddle, kRight, kBottom), 80);
}

}  // namespace
}  // namespace attnlab::gui
