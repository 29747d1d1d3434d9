// The "Unseen symbols" lab in the real window: attnlab is started with a --script that
// selects the tab and sets its parameters (or with a session file that opens on it), waits
// until its job is idle and takes a screenshot; the test then measures the plot areas — the
// kernels' colours on the test-error and spectrum plots, a heatmap's many colours where the
// kernel matrix is — not just that a file exists.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "gui_testing.hpp"

namespace attnlab::gui {
namespace {

namespace fs = std::filesystem;
using TemplateLabWindow = testing::LabWindowTest;
using testing::countNear;

// Okabe–Ito in the light theme, as template_lab_figures.cpp assigns them to the kernels.
constexpr std::uint32_t kTransformerBlue = 0x0072B2, kMlpOrange = 0xE69F00, kAttentionGreen = 0x009E73;
// viridis' ends: the kernel matrix's colours run between them.
constexpr std::uint32_t kViridisLow = 0x440154, kViridisHigh = 0xFDE725;

// The plots fill the right of the parameter panel (about 21 em): the test error on the top
// left, the kernel matrix top right, the spectrum of N bottom left, N's numbers bottom right.
constexpr int kLeft = 340, kRight = 1270, kTop = 50, kMiddle = 450, kBottom = 770;
constexpr int kMatrixLeft = 900, kSpectrumRight = 850;

TEST_F(TemplateLabWindow, ScriptSelectsTheTabAndEveryPlotShows) {
  const Image image = screenshot(R"([
    {"set": {"lab": "templates", "task": "aa_ab", "kernels": ["transformer", "attention", "mlp"],
             "train_sizes": [8, 16, 32, 64], "test_size": 100, "samples": 200}},
    {"wait": "idle"}, {"frames": 3}])");
  ASSERT_EQ(image.width, 1280);
  ASSERT_EQ(image.height, 800);
  // Test error: a line with markers and a band per kernel.
  for (std::uint32_t colour : {kTransformerBlue, kMlpOrange, kAttentionGreen})
    EXPECT_GT(countNear(image, colour, kLeft, kTop, kMatrixLeft - 10, kMiddle), 150) << std::hex << colour;
  // The kernel matrix: a heatmap, hundreds of colours, both ends of viridis present.
  const testing::PixelStats matrix = testing::pixelStats(image, kMatrixLeft, kTop + 40, kRight - 60, kMiddle - 40);
  EXPECT_GT(matrix.distinctColours, 150u);
  EXPECT_GT(matrix.lumaStdDev, 20.0);
  EXPECT_GT(countNear(image, kViridisHigh, kMatrixLeft, kTop, kRight, kMiddle, 40), 50);
  EXPECT_GT(countNear(image, kViridisLow, kMatrixLeft, kTop, kRight, kMiddle, 40), 50);
  // The spectrum of N: one line per kernel.
  for (std::uint32_t colour : {kTransformerBlue, kMlpOrange, kAttentionGreen})
    EXPECT_GT(countNear(image, colour, kLeft, kMiddle, kSpectrumRight, kBottom), 60) << std::hex << colour;
  // N as numbers: text on the panel's ground.
  const testing::PixelStats numbers = testing::pixelStats(image, kSpectrumRight + 20, kMiddle, kRight, kBottom);
  EXPECT_GT(numbers.lumaStdDev, 10.0);
}

TEST_F(TemplateLabWindow, SessionOpensOnTheTemplatesTab) {
  const Image image = screenshot("", R"({"version": 1, "lab": "templates",
    "templates": {"task": "aba_abb", "kernels": ["mlp"], "train_sizes": [6, 12, 24], "test_size": 50}})");
  ASSERT_EQ(image.width, 1280);
  // Only the MLP: orange on the plots, and no transformer blue.
  EXPECT_GT(countNear(image, kMlpOrange, kLeft, kTop, kMatrixLeft - 10, kMiddle), 150);
  EXPECT_LT(countNear(image, kTransformerBlue, kLeft, kTop, kMatrixLeft - 10, kMiddle), 20);
  // Its kernel matrix stands in for the transformer's.
  EXPECT_GT(testing::pixelStats(image, kMatrixLeft, kTop + 40, kRight - 60, kMiddle - 40).distinctColours, 20u);
}

// The copying view (001 Fig. 5): one colour per width on the left plot (solid and dashed),
// both theorems' lines on the right.
TEST_F(TemplateLabWindow, CopyingViewTrainsAndPlotsEveryWidth) {
  const Image image = screenshot(R"([
    {"set": {"lab": "templates", "view": "copying", "copy": {"embeddings": [16, 256], "steps": 60}}},
    {"wait": "idle"}, {"frames": 3}])");
  ASSERT_EQ(image.width, 1280);
  const int split = kLeft + (kRight - kLeft) * 55 / 100;
  EXPECT_GT(countNear(image, kTransformerBlue, kLeft, kTop, split, kBottom), 300);  // d_emb = 16
  EXPECT_GT(countNear(image, kMlpOrange, kLeft, kTop, split, kBottom), 300);        // d_emb = 256
  EXPECT_GT(countNear(image, kMlpOrange, split, kTop, kRight, kBottom), 100);       // Thm 4.1
  EXPECT_GT(countNear(image, 0xD55E00, split, kTop, kRight, kBottom), 100);         // Thm 4.2
}

TEST_F(TemplateLabWindow, BadScriptFieldIsRefusedByName) {
  const fs::path s = dir_ / "script.json", err = dir_ / "stderr";
  std::ofstream(s) << R"([{"set": {"lab": "templates", "samples": 1}}])";
  const std::string cmd = std::string("'") + ATTNLAB_BINARY + "' --size 640x480 --script '" + s.string() + "' 2> '" +
                          err.string() + "'";
  const int raw = std::system(cmd.c_str());
  EXPECT_TRUE(WIFEXITED(raw) && WEXITSTATUS(raw) != 0) << cmd;
  std::ifstream in(err);
  const std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_NE(text.find("templates.samples"), std::string::npos) << text;
}

}  // namespace
}  // namespace attnlab::gui
