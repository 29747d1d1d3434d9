// The plot layer driven headless: an ImGui context with no backend (fonts built into an
// atlas nobody uploads), frames run by hand with synthetic mouse input, and assertions on
// the draw data and on the views the plots keep. No window, no GL.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <vector>

#include "app/gui/figure_view.hpp"
#include "app/gui/plot.hpp"
#include "core/figure/contour.hpp"

namespace attnlab::plot {
namespace {

class PlotLayer : public ::testing::Test {
 protected:
  void SetUp() override {
    imgui_ = ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(1000, 800);
    io.DeltaTime = 1.0f / 60.0f;
    io.IniFilename = nullptr;
    io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;  // big heatmaps exceed 64k vertices
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(1)));
    plot_ = CreateContext();
    SetCurrentContext(plot_);
    SetTheme(Theme::Light, 1.0f);
  }
  void TearDown() override {
    DestroyContext(plot_);
    ImGui::DestroyContext(imgui_);
  }

  // One frame: a full-screen window holding whatever `body` draws.
  ImDrawData* frame(const std::function<void()>& body) {
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize);
    ImGui::Begin("test", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove);
    body();
    ImGui::End();
    ImGui::Render();
    return ImGui::GetDrawData();
  }

  // A plot of y = x² on [−1, 2] that records its plot area and view.
  void parabola(PlotFlags flags = PlotFlags_None, Scale yScale = Scale::Linear) {
    if (!BeginPlot("Parabola##p", ImVec2(800, 500), flags)) return;
    SetupAxes("x", "y");
    SetupAxisScale(PlotAxis_Y, yScale);
    std::vector<double> xs, ys;
    for (int i = 0; i <= 60; ++i) {
      xs.push_back(-1.0 + 3.0 * i / 60);
      ys.push_back(xs.back() * xs.back());
    }
    PlotLine("x²", xs.data(), ys.data(), static_cast<int>(xs.size()));
    const double flat[2] = {-1.0, 2.0}, zero[2] = {0.5, 0.5};
    PlotLine("level", flat, zero, 2);
    plotPos_ = GetPlotPos();
    plotSize_ = GetPlotSize();
    limits_ = GetPlotLimits();
    menuOpen_ = false;
    if (BeginPlotContextMenu()) {
      menuOpen_ = true;
      EndPlotContextMenu();
    }
    EndPlot();
  }
  ImVec2 plotCentre() const { return ImVec2(plotPos_.x + plotSize_.x / 2, plotPos_.y + plotSize_.y / 2); }

  static int vertexCount(const ImDrawData* d) { return d->TotalVtxCount; }

  ImGuiContext* imgui_ = nullptr;
  PlotContext* plot_ = nullptr;
  ImVec2 plotPos_, plotSize_;
  PlotLimits limits_;
  bool menuOpen_ = false;
};

TEST_F(PlotLayer, DrawsIntoTheWindowClippedToThePlotArea) {
  frame([&] { parabola(); });
  const ImDrawData* d = frame([&] { parabola(); });
  ASSERT_NE(d, nullptr);
  EXPECT_GT(vertexCount(d), 500);
  EXPECT_GT(plotSize_.x, 600.0f);  // the frame minus axes and labels
  EXPECT_GT(plotSize_.y, 350.0f);
  EXPECT_LE(plotSize_.x, 800.0f);
  // Items are drawn under a clip rect that is exactly the plot area.
  bool found = false;
  for (int l = 0; l < d->CmdListsCount; ++l)
    for (const ImDrawCmd& cmd : d->CmdLists[l]->CmdBuffer)
      if (cmd.ElemCount > 0 && cmd.ClipRect.x == plotPos_.x && cmd.ClipRect.y == plotPos_.y &&
          cmd.ClipRect.z == plotPos_.x + plotSize_.x && cmd.ClipRect.w == plotPos_.y + plotSize_.y)
        found = true;
  EXPECT_TRUE(found);
}

TEST_F(PlotLayer, FitsTheDataWithAMargin) {
  frame([&] { parabola(); });  // the first frame measures the data
  frame([&] { parabola(); });
  EXPECT_LT(limits_.x.min, -1.0);
  EXPECT_GT(limits_.x.max, 2.0);
  EXPECT_LT(limits_.x.min, -1.0 + 0.1);  // a margin, not a vast one
  EXPECT_LT(limits_.y.min, 0.0);
  EXPECT_GT(limits_.y.max, 4.0);
}

TEST_F(PlotLayer, KnownExtentsFitFromTheFirstFrame) {
  frame([&] {
    ASSERT_TRUE(BeginPlot("extent", ImVec2(400, 300)));
    SetupAxisFitExtent(PlotAxis_X, {Range{10, 20}, std::nullopt});
    SetupAxisFitExtent(PlotAxis_Y, {Range{-3, 3}, std::nullopt});
    limits_ = GetPlotLimits();
    EndPlot();
  });
  EXPECT_EQ(limits_.x, (Range{10, 20}));  // tight: heatmaps fill the view edge to edge
  EXPECT_EQ(limits_.y, (Range{-3, 3}));
}

TEST_F(PlotLayer, LogAxesSkipNonPositiveValues) {
  for (int i = 0; i < 3; ++i) frame([&] { parabola(PlotFlags_None, Scale::Log10); });
  EXPECT_GT(limits_.y.min, 0.0);
  // x² reaches 0 at x = 0 (skipped); the smallest positive sample is (0.05)² = 0.0025.
  EXPECT_LT(limits_.y.min, 0.0025);
  EXPECT_GT(limits_.y.min, 1e-4);
}

TEST_F(PlotLayer, ScrollZoomsAboutTheCursor) {
  for (int i = 0; i < 3; ++i) frame([&] { parabola(); });
  const PlotLimits before = limits_;
  const ImVec2 at(plotPos_.x + plotSize_.x * 0.25f, plotPos_.y + plotSize_.y * 0.5f);
  const double xAt = before.x.min + 0.25 * before.x.span();
  ImGui::GetIO().MousePos = at;
  frame([&] { parabola(); });  // hover first: the wheel goes to the hovered item
  ImGui::GetIO().MouseWheel = 1.0f;
  frame([&] { parabola(); });
  EXPECT_NEAR(limits_.x.span(), before.x.span() * 0.85, 1e-9 * before.x.span());
  EXPECT_NEAR(limits_.y.span(), before.y.span() * 0.85, 1e-9 * before.y.span());
  // The point under the cursor stays under it (to a fraction of a pixel: the tick labels
  // of the new view may move the plot's left edge a little).
  EXPECT_NEAR(limits_.x.min + 0.25 * limits_.x.span(), xAt, 0.5 * limits_.x.span() / plotSize_.x);
  // Zoomed views stay put while the data does not change them.
  const PlotLimits zoomed = limits_;
  frame([&] { parabola(); });
  EXPECT_EQ(limits_.x, zoomed.x);
}

TEST_F(PlotLayer, WheelOverAnAxisZoomsThatAxisOnly) {
  for (int i = 0; i < 3; ++i) frame([&] { parabola(); });
  const PlotLimits before = limits_;
  ImGui::GetIO().MousePos = ImVec2(plotCentre().x, plotPos_.y + plotSize_.y + 8);  // over the x tick labels
  frame([&] { parabola(); });
  ImGui::GetIO().MouseWheel = -1.0f;
  frame([&] { parabola(); });
  EXPECT_GT(limits_.x.span(), before.x.span() * 1.1);
  EXPECT_EQ(limits_.y, before.y);
}

TEST_F(PlotLayer, DragPansAndDoubleClickFits) {
  for (int i = 0; i < 3; ++i) frame([&] { parabola(); });
  const PlotLimits fitted = limits_;
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = plotCentre();
  frame([&] { parabola(); });
  io.MouseDown[0] = true;
  frame([&] { parabola(); });
  for (int i = 1; i <= 10; ++i) {
    io.MousePos = ImVec2(plotCentre().x + 10.0f * i, plotCentre().y);
    frame([&] { parabola(); });
  }
  io.MouseDown[0] = false;
  frame([&] { parabola(); });
  // Dragged 100 px right: the view moved 100 px worth of x to the left, y untouched.
  const double perPixel = fitted.x.span() / plotSize_.x;
  EXPECT_NEAR(limits_.x.min, fitted.x.min - 100 * perPixel, 2 * perPixel);
  EXPECT_NEAR(limits_.y.min, fitted.y.min, 1e-9);

  // Double-click: back to the data.
  for (bool down : {true, false, true, false}) {
    io.MouseDown[0] = down;
    frame([&] { parabola(); });
  }
  frame([&] { parabola(); });
  EXPECT_NEAR(limits_.x.min, fitted.x.min, 1e-9);
  EXPECT_NEAR(limits_.x.max, fitted.x.max, 1e-9);
}

TEST_F(PlotLayer, ClickingALegendEntryHidesItsSeries) {
  for (int i = 0; i < 3; ++i) frame([&] { parabola(); });
  int before = vertexCount(frame([&] { parabola(); }));
  // The legend sits in the north-east corner; its first row is the first series.
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = ImVec2(plotPos_.x + plotSize_.x - 14, plotPos_.y + 20);
  frame([&] { parabola(); });
  io.MouseDown[0] = true;
  frame([&] { parabola(); });
  io.MouseDown[0] = false;
  frame([&] { parabola(); });
  bool hidden = false;
  const ImDrawData* d = frame([&] {
    ASSERT_TRUE(BeginPlot("Parabola##p", ImVec2(800, 500)));
    hidden = IsItemHidden("x²");
    EndPlot();
  });
  (void)d;
  EXPECT_TRUE(hidden);
  io.MousePos = ImVec2(-100, -100);
  const int after = vertexCount(frame([&] { parabola(); }));
  EXPECT_LT(after, before);
}

TEST_F(PlotLayer, RightClickOpensTheContextMenuHook) {
  for (int i = 0; i < 2; ++i) frame([&] { parabola(); });
  EXPECT_FALSE(menuOpen_);
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = plotCentre();
  frame([&] { parabola(); });
  io.MouseDown[1] = true;
  frame([&] { parabola(); });
  io.MouseDown[1] = false;
  frame([&] { parabola(); });
  frame([&] { parabola(); });
  EXPECT_TRUE(menuOpen_);
}

TEST_F(PlotLayer, NoInputsMeansAStillPicture) {
  for (int i = 0; i < 3; ++i) frame([&] { parabola(PlotFlags_NoInputs); });
  const PlotLimits before = limits_;
  ImGui::GetIO().MousePos = plotCentre();
  frame([&] { parabola(PlotFlags_NoInputs); });
  ImGui::GetIO().MouseWheel = 3.0f;
  frame([&] { parabola(PlotFlags_NoInputs); });
  EXPECT_EQ(limits_.x, before.x);
}

TEST_F(PlotLayer, CpuHeatmapDrawsOneQuadPerCellAndReadsValues) {
  std::vector<double> values(12 * 10);
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = static_cast<double>(i);
  HeatmapData data;
  data.values = values.data();
  data.rows = 10;
  data.cols = 12;
  data.x = {0, 11};
  data.y = {0, 9};
  data.valueRange = {0, 119};
  const auto draw = [&](bool withHeatmap) {
    return vertexCount(frame([&] {
      ASSERT_TRUE(BeginPlot("heat", ImVec2(600, 500), PlotFlags_NoLegend));
      SetupAxisFitExtent(PlotAxis_X, {data.x, std::nullopt});
      SetupAxisFitExtent(PlotAxis_Y, {data.y, std::nullopt});
      if (withHeatmap) PlotHeatmap("values", data);
      EndPlot();
    }));
  };
  const int without = draw(false);
  const int with = draw(true);
  EXPECT_EQ(with - without, 12 * 10 * 4);

  // A big grid is drawn in blocks no finer than a few pixels, and past 16-bit indices.
  std::vector<double> big(1024 * 1024, 1.0);
  data.values = big.data();
  data.rows = data.cols = 1024;
  EXPECT_LT(draw(true) - without, 256 * 256 * 4 + 1);
}

TEST_F(PlotLayer, TwoContextsKeepTheirOwnViews) {
  for (int i = 0; i < 3; ++i) frame([&] { parabola(); });
  ImGui::GetIO().MousePos = plotCentre();
  frame([&] { parabola(); });
  ImGui::GetIO().MouseWheel = 2.0f;
  frame([&] { parabola(); });
  const PlotLimits zoomed = limits_;

  PlotContext* other = CreateContext();
  SetCurrentContext(other);
  ImGui::GetIO().MousePos = ImVec2(-100, -100);
  for (int i = 0; i < 3; ++i) frame([&] { parabola(); });
  EXPECT_GT(limits_.x.span(), zoomed.x.span() * 1.3);  // fitted afresh, not zoomed
  DestroyContext(other);
  SetCurrentContext(plot_);
  frame([&] { parabola(); });
  EXPECT_EQ(limits_.x, zoomed.x);
}

TEST_F(PlotLayer, OnceLimitsApplyAgainOnlyWhenTheyChange) {
  Range requested{0, 10};
  const auto draw = [&] {
    frame([&] {
      ASSERT_TRUE(BeginPlot("once", ImVec2(600, 400)));
      SetupAxisLimits(PlotAxis_X, requested.min, requested.max);
      plotPos_ = GetPlotPos();
      plotSize_ = GetPlotSize();
      limits_ = GetPlotLimits();
      EndPlot();
    });
  };
  for (int i = 0; i < 3; ++i) draw();
  EXPECT_EQ(limits_.x, requested);
  ImGui::GetIO().MousePos = plotCentre();
  draw();
  ImGui::GetIO().MouseWheel = 1.0f;
  draw();
  draw();
  EXPECT_LT(limits_.x.span(), 10.0);  // the user's zoom stays while the same limits come
  requested = {-5, 5};
  draw();
  EXPECT_EQ(limits_.x, requested);  // new limits from the caller win
}

// [SECTION] Figures
Figure everyKindOfSeries() {
  Figure f;
  f.name = "all";
  f.title = "Every series kind";
  f.x.label = "s";
  f.y.label = "\xE2\x80\x96\xE2\x88\x87L\xE2\x80\x96";  // ‖∇L‖
  HeatmapSeries h;
  h.label = "loss";
  h.rows = h.cols = 33;
  h.x = h.y = {-2, 2};
  for (int r = 0; r < 33; ++r)
    for (int c = 0; c < 33; ++c) {
      const double x = -2 + c / 8.0, y = -2 + r / 8.0;
      h.values.push_back(x * x + y * y + 0.1);
    }
  h.scale = Scale::Log10;
  f.series.push_back(h);
  for (ContourSeries& c : contourSeries(h, contourLevels(heatmapValueRange(h), Scale::Log10, 5))) f.series.push_back(c);
  f.series.push_back(LineSeries{"path", {-1.5, -1, 0}, {1.5, 0.5, 0}, {}, {MarkerShape::Circle, 3, true}});
  f.series.push_back(MarkerSeries{"start", {-1.5}, {1.5}, {}, {}});
  f.series.push_back(AreaSeries{"band", {-2, 2}, {-0.2, -0.2}, {0.2, 0.2}, {}, 0.2f});
  f.series.push_back(BarSeries{"bars", {-1, 1}, {1, 1.5}, 0.5, {}});
  f.series.push_back(BarSeries{"bars 2", {-1, 1}, {0.5, 1}, 0.5, {}});
  f.colorbar = Colorbar{"loss", "viridis", Scale::Log10, heatmapValueRange(h)};
  f.annotations.push_back({0, 0, "minimum", 12, -12, true, {}});
  f.equalAspect = true;
  return f;
}

TEST_F(PlotLayer, DrawFigureDrawsEverySeriesKind) {
  const Figure f = everyKindOfSeries();
  ASSERT_TRUE(figureProblems(f).empty());
  int vertices = 0;
  for (Theme theme : kAllFigureThemes) {
    SetTheme(theme, 1.5f);
    vertices = vertexCount(frame([&] { gui::DrawFigure(f, ImVec2(700, 500)); }));
    EXPECT_GT(vertices, 33 * 33 * 4);
  }
}

TEST_F(PlotLayer, DrawFigureUsesTheCallersHeatmapTexture) {
  const Figure f = everyKindOfSeries();
  const auto fake = reinterpret_cast<ImTextureID>(static_cast<intptr_t>(42));
  std::size_t calledFor = 99;
  plot::PlotLimits seen;
  gui::FigureTextures textures;
  textures.heatmap = [&](std::size_t index, const HeatmapSeries& s, const plot::PlotLimits& view, ImVec2 pixels) {
    calledFor = index;
    seen = view;
    EXPECT_GT(pixels.x, 100.0f);
    return gui::HeatmapImage{fake, {s.x.min, s.y.min}, {s.x.max, s.y.max}};
  };
  bool menuCalled = false;
  const ImDrawData* d = nullptr;
  for (int i = 0; i < 2; ++i)
    d = frame([&] { gui::DrawFigure(f, ImVec2(700, 500), &textures, [&](const Figure&) { menuCalled = true; }); });
  EXPECT_EQ(calledFor, 0u);
  EXPECT_LE(seen.x.min, -2.0);  // the whole grid is in view (equal aspect widens x)
  bool textured = false;
  for (int l = 0; l < d->CmdListsCount; ++l)
    for (const ImDrawCmd& cmd : d->CmdLists[l]->CmdBuffer) textured |= cmd.TextureId == fake && cmd.ElemCount == 6;
  EXPECT_TRUE(textured);
  EXPECT_FALSE(menuCalled);  // only while the menu is open
}

TEST_F(PlotLayer, DemoWindowRuns) {
  for (int i = 0; i < 3; ++i) {
    ImGui::NewFrame();
    ShowPlotDemoWindow(nullptr);
    ImGui::Render();
  }
  EXPECT_GT(ImGui::GetDrawData()->TotalVtxCount, 1000);
}

}  // namespace
}  // namespace attnlab::plot
