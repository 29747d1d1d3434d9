// The bounds figure's hover text, driven headless as in plot_layer_test: an ImGui context
// with no backend, frames run by hand with the mouse put on a failing step's marker.
#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <set>
#include <string>

#include "core/labs/bounds_compute.hpp"
#include "app/gui/bounds_lab.hpp"
#include "app/gui/figure_view.hpp"
#include "app/gui/legend_strip.hpp"
#include "app/gui/plot.hpp"

namespace attnlab::gui {
namespace {

class BoundsHover : public ::testing::Test {
 protected:
  void SetUp() override {
    imgui_ = ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(1000, 800);
    io.DeltaTime = 1.0f / 60.0f;
    io.IniFilename = nullptr;
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(1)));
    plot_ = plot::CreateContext();
    plot::SetCurrentContext(plot_);
    plot::SetTheme(Theme::Light, 1.0f);
  }
  void TearDown() override {
    plot::DestroyContext(plot_);
    ImGui::DestroyContext(imgui_);
  }

  void frame(const std::function<void()>& body) {
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize);
    ImGui::Begin("test", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove);
    body();
    ImGui::End();
    ImGui::Render();
  }

  // Draws the run's figure; records where step `t`'s marker is and whether a tooltip opened.
  void draw(const BoundsResult& run, long long t) {
    const Figure figure = boundsFigure(run, Theme::Light);
    DrawFigure(figure, ImVec2(800, 500), nullptr, {}, [&](const Figure&) {
      markerPixel_ = plot::PlotToPixels(static_cast<double>(t), markerHeight(run, run.steps[t]));
      opened_ = failureTooltip(run);
    });
  }

  static BoundsResult runWith(double boundsR) {
    BoundsLabParams p;
    p.n = 6;
    p.seed = 3;
    p.d = 3;
    p.steps = 5;
    p.lr = 0.05;
    p.fixR = boundsR > 0.0;
    p.boundsR = boundsR;
    Progress progress;
    return runBounds(makeBoundsProblem(p), boundsParamsFor(p, Shift::Weight), progress);
  }

  ImGuiContext* imgui_ = nullptr;
  plot::PlotContext* plot_ = nullptr;
  ImVec2 markerPixel_;
  bool opened_ = false;
};

TEST_F(BoundsHover, FailingStepsMarkerOpensTheExplanation) {
  const BoundsResult run = runWith(2.0);  // R = 2 < 4 < ‖A‖: every step fails
  ASSERT_FALSE(run.steps[3].hypotheses.all());
  for (int i = 0; i < 3; ++i) frame([&] { draw(run, 3); });
  EXPECT_FALSE(opened_) << "the mouse is nowhere near yet";
  ImGui::GetIO().MousePos = markerPixel_;
  frame([&] { draw(run, 3); });
  frame([&] { draw(run, 3); });
  EXPECT_TRUE(opened_);
}

TEST_F(BoundsHover, StepsWhereEveryHypothesisHoldsOpenNothing) {
  const BoundsResult run = runWith(0.0);  // R automatic: the hypotheses hold
  ASSERT_TRUE(run.steps[3].hypotheses.all());
  for (int i = 0; i < 3; ++i) frame([&] { draw(run, 3); });
  ImGui::GetIO().MousePos = markerPixel_;
  frame([&] { draw(run, 3); });
  frame([&] { draw(run, 3); });
  EXPECT_FALSE(opened_);
}

TEST_F(BoundsHover, LegendStripEntriesAreClickable) {
  const BoundsResult run = runWith(2.0);
  const std::vector<LegendEntry> entries = legendEntries(boundsFigure(run, Theme::Light), Theme::Light);
  ASSERT_GE(entries.size(), 8u);  // five bounds, three measured, the failure markers
  const UiPalette& ui = uiPalette(Theme::Light);
  const std::set<std::string> hidden;
  std::optional<std::string> clicked;
  ImVec2 first;
  const auto strip = [&] {
    first = ImGui::GetCursorScreenPos();
    clicked = drawLegendStrip(entries, 900.0f, ui, [](const std::string&) { return "help"; }, hidden);
  };
  frame(strip);
  frame(strip);
  EXPECT_FALSE(clicked.has_value());
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = ImVec2(first.x + 10.0f, first.y + 5.0f);  // on the first entry's swatch
  frame(strip);
  io.MouseDown[0] = true;
  frame(strip);
  ASSERT_TRUE(clicked.has_value());
  EXPECT_EQ(*clicked, entries.front().label);
  io.MouseDown[0] = false;
  frame(strip);
  EXPECT_FALSE(clicked.has_value());
}

}  // namespace
}  // namespace attnlab::gui
