// The plot layer's living documentation: one section per feature, each a small, complete
// example to copy from. Index:
// [SECTION] Helpers
// [SECTION] Lines, dashes and markers
// [SECTION] Log axes: convergence of gradient descent and Newton
// [SECTION] Areas and bars
// [SECTION] Heatmap, contours, colorbar and annotations
// [SECTION] Colormaps and themes
// [SECTION] Figures from core/figure
// [SECTION] The window
#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <vector>

#include "app/gui/figure_view.hpp"
#include "app/gui/plot.hpp"
#include "core/figure/contour.hpp"

namespace attnlab::plot {
namespace {

// [SECTION] Helpers
// Demo settings live in the window's ImGui storage, not in statics.
int& StoredInt(const char* key, int initial) { return *ImGui::GetStateStorage()->GetIntRef(ImGui::GetID(key), initial); }
bool& StoredBool(const char* key, bool initial) {
  return *ImGui::GetStateStorage()->GetBoolRef(ImGui::GetID(key), initial);
}
float& StoredFloat(const char* key, float initial) {
  return *ImGui::GetStateStorage()->GetFloatRef(ImGui::GetID(key), initial);
}

std::vector<double> Linspace(double a, double b, int n) {
  std::vector<double> v(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) v[static_cast<std::size_t>(i)] = a + (b - a) * i / std::max(n - 1, 1);
  return v;
}

void Hint(const char* text) {
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 40.0f);
  ImGui::TextDisabled("%s", text);
  ImGui::PopTextWrapPos();
}

// Rosenbrock's banana valley: the classic hard case for gradient descent, minimum 0 at (1, 1).
double Rosenbrock(double x, double y) { return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x); }

// [SECTION] Lines, dashes and markers
void DemoLines() {
  Hint("PlotLine draws a polyline; PlotStyle sets colour, width, dash and markers. Colours left "
       "automatic follow the theme's Okabe–Ito palette. Click a legend entry to hide its line.");
  int& points = StoredInt("points", 120);
  ImGui::SliderInt("points", &points, 4, 2000);
  const std::vector<double> x = Linspace(0, 4 * std::numbers::pi, points);
  std::vector<double> s(x.size()), c(x.size()), d(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    s[i] = std::sin(x[i]);
    c[i] = std::cos(x[i]);
    d[i] = std::sin(x[i]) * std::exp(-0.15 * x[i]);
  }
  if (BeginPlot("Lines##demo", ImVec2(-1, 280))) {
    SetupAxes("t", "amplitude");
    PlotLine("sin t", x.data(), s.data(), points);
    PlotStyle dashed;
    dashed.dash = Dash::Dashed;
    PlotLine("cos t", x.data(), c.data(), points, dashed);
    PlotStyle damped;
    damped.dash = Dash::DashDot;
    damped.marker = MarkerShape::Circle;
    damped.weight = 1.5f;
    PlotLine("sin t \xC2\xB7 exp(\xE2\x88\x92" "0.15 t)", x.data(), d.data(), std::min(points, 60), damped);
    EndPlot();
  }

  Hint("Markers: PlotScatter, or any line with PlotStyle::marker.");
  if (BeginPlot("Markers##demo", ImVec2(-1, 200), PlotFlags_NoInputs)) {
    SetupAxes(nullptr, nullptr, AxisFlags_NoTickLabels, AxisFlags_NoTickLabels);
    SetupAxisLimits(PlotAxis_X, 0, 10, ImGuiCond_Always);  // room on the right for the legend
    SetupAxisLimits(PlotAxis_Y, 0, 3, ImGuiCond_Always);
    constexpr std::array<MarkerShape, 7> kShapes = {MarkerShape::Circle,     MarkerShape::Square,
                                                    MarkerShape::Diamond,    MarkerShape::TriangleUp,
                                                    MarkerShape::TriangleDown, MarkerShape::Cross,
                                                    MarkerShape::Plus};
    constexpr std::array<const char*, 7> kNames = {"circle", "square", "diamond", "up", "down", "cross", "plus"};
    for (std::size_t k = 0; k < kShapes.size(); ++k) {
      const double xs[2] = {static_cast<double>(k + 1), static_cast<double>(k + 1)};
      const double ys[2] = {1.0, 2.0};
      PlotStyle style;
      style.marker = kShapes[k];
      style.markerSize = 6.0f;
      PlotScatter(kNames[k], xs, ys, 1, style);
      style.markerFilled = false;
      PlotScatter(kNames[k], xs + 1, ys + 1, 1, style);
    }
    EndPlot();
  }
}

// [SECTION] Log axes: convergence of gradient descent and Newton
void DemoLogAxes() {
  Hint("SetupAxisScale(PlotAxis_Y, Scale::Log10): equal ratios take equal lengths, so linear "
       "convergence is a straight line and quadratic convergence bends down ever faster. "
       "Values ≤ 0 (an error that underflowed to zero) are skipped, not drawn at −∞.");
  float& kappa = StoredFloat("kappa", 20.0f);
  ImGui::SliderFloat("condition number κ", &kappa, 2.0f, 1000.0f, "%.0f", ImGuiSliderFlags_Logarithmic);
  constexpr int kIterations = 40;
  std::vector<double> k(kIterations), gd(kIterations), momentum(kIterations), newton(kIterations);
  double e = 0.6;
  for (int i = 0; i < kIterations; ++i) {
    const auto u = static_cast<std::size_t>(i);
    k[u] = i;
    gd[u] = std::pow(1.0 - 1.0 / kappa, i);
    momentum[u] = std::pow(1.0 - 1.0 / std::sqrt(static_cast<double>(kappa)), i);
    newton[u] = e;
    // Quadratic: the number of correct digits doubles each step, until the error is below
    // double precision and comes out as exactly 0, which a log axis leaves out.
    e = e * e < 1e-16 ? 0.0 : e * e;
  }
  if (BeginPlot("Convergence##demo", ImVec2(-1, 300), PlotFlags_Crosshairs)) {
    SetupAxes("iteration k", "L(x\xE2\x82\x96) \xE2\x88\x92 L*");  // L(xₖ) − L*
    SetupAxisScale(PlotAxis_Y, Scale::Log10);
    SetupLegend(LegendLocation::SouthWest);
    PlotStyle style;
    style.marker = MarkerShape::Circle;
    style.markerSize = 2.5f;
    PlotLine("gradient descent", k.data(), gd.data(), kIterations, style);
    PlotLine("momentum", k.data(), momentum.data(), kIterations, style);
    PlotLine("Newton", k.data(), newton.data(), kIterations, style);
    EndPlot();
  }
}

// [SECTION] Areas and bars
void DemoAreasAndBars() {
  Hint("PlotShaded fills between two curves (or a curve and a level): a band of ±1 standard "
       "deviation around a mean.");
  const std::vector<double> x = Linspace(0, 10, 101);
  std::vector<double> mean(x.size()), lo(x.size()), hi(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    mean[i] = std::exp(-0.3 * x[i]) + 0.1;
    const double sd = 0.05 + 0.04 * x[i] * std::exp(-0.2 * x[i]);
    lo[i] = mean[i] - sd;
    hi[i] = mean[i] + sd;
  }
  if (BeginPlot("Mean and spread over 32 seeds##demo", ImVec2(-1, 240))) {
    SetupAxes("epoch", "test loss");
    PlotShaded("± 1 s.d.", x.data(), lo.data(), hi.data(), static_cast<int>(x.size()));
    PlotLine("mean", x.data(), mean.data(), static_cast<int>(x.size()));
    EndPlot();
  }

  Hint("PlotBars with a shift per series makes groups; SetupAxisTicks names the categories.");
  const double xs[4] = {0, 1, 2, 3};
  const double exact[4] = {1.0, 3.9, 15.8, 63.5};
  const double performer[4] = {0.9, 1.7, 3.4, 6.9};
  const double linear[4] = {0.6, 1.1, 2.3, 4.4};
  const Tick categories[4] = {{0, "L = 1k", true}, {1, "L = 2k", true}, {2, "L = 4k", true}, {3, "L = 8k", true}};
  bool& logBars = StoredBool("logBars", false);
  ImGui::Checkbox("log y", &logBars);
  if (BeginPlot("Attention time per head (ms)##demo", ImVec2(-1, 260))) {
    SetupAxes("sequence length", "milliseconds");
    SetupAxisTicks(PlotAxis_X, categories, 4);
    if (logBars) SetupAxisScale(PlotAxis_Y, Scale::Log10);
    SetupLegend(LegendLocation::NorthWest);
    const double w = 0.8 / 3;
    PlotBars("exact", xs, exact, 4, w, -w);
    PlotBars("Performer (FAVOR+)", xs, performer, 4, w, 0.0);
    PlotBars("linear (elu+1)", xs, linear, 4, w, w);
    EndPlot();
  }
}

// [SECTION] Heatmap, contours, colorbar and annotations
void DemoHeatmap() {
  Hint("PlotHeatmap draws a grid: from a GL texture when the window has one (HeatmapRenderer), "
       "else as coloured cells on the CPU, as here. Hover for the value under the cursor. "
       "Contours come from core/figure/contour (marching squares), the colorbar from "
       "SetupColorbar, the trajectory is an ordinary line and the minimum an annotation. "
       "PlotFlags_Equal keeps one unit of x as long as one of y.");
  int& map = StoredInt("colormap", 0);
  bool& logColours = StoredBool("logColours", true);
  int& resolution = StoredInt("resolution", 96);
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
  const char* names[] = {"viridis", "cividis", "magma", "blue-white-red"};
  ImGui::Combo("colormap", &map, names, 4);
  ImGui::SameLine();
  ImGui::Checkbox("log10 colours", &logColours);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
  ImGui::SliderInt("grid", &resolution, 8, 256);

  HeatmapSeries h;
  h.rows = h.cols = resolution;
  h.x = {-2.0, 2.0};
  h.y = {-1.0, 3.0};
  h.values.resize(static_cast<std::size_t>(resolution) * resolution);
  for (int r = 0; r < resolution; ++r)
    for (int c = 0; c < resolution; ++c)
      h.values[static_cast<std::size_t>(r) * resolution + c] =
          Rosenbrock(h.x.min + c * h.x.span() / (resolution - 1), h.y.min + r * h.y.span() / (resolution - 1));
  h.scale = logColours ? Scale::Log10 : Scale::Linear;
  const Range values = heatmapValueRange(h);
  const auto levels = contourLevels(values, h.scale, 7);
  const auto contours = contourSeries(h, levels);

  // Gradient descent down the valley.
  std::vector<double> tx{-1.5}, ty{2.0};
  for (int i = 0; i < 6000; ++i) {
    const double x = tx.back(), y = ty.back();
    const double gx = -2 * (1 - x) - 400 * x * (y - x * x), gy = 200 * (y - x * x);
    tx.push_back(x - 5e-4 * gx);  // below 2/λ_max of the Hessian along the path: stable
    ty.push_back(y - 5e-4 * gy);
  }

  HeatmapData data;
  data.values = h.values.data();
  data.rows = h.rows;
  data.cols = h.cols;
  data.x = h.x;
  data.y = h.y;
  data.colormap = static_cast<Colormap>(std::clamp(map, 0, 3));
  data.scale = h.scale;
  data.valueRange = values;
  const float side = std::min(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 36);
  if (BeginPlot("Rosenbrock: (1 \xE2\x88\x92 x)\xC2\xB2 + 100 (y \xE2\x88\x92 x\xC2\xB2)\xC2\xB2##demo", ImVec2(side, side * 0.85f),
                PlotFlags_Equal)) {
    SetupAxes("x", "y");
    SetupColorbar(logColours ? "f(x, y), log scale" : "f(x, y)", data.colormap, values, h.scale);
    SetupLegend(LegendLocation::SouthEast);
    PlotHeatmap("f", data);
    for (const ContourSeries& c : contours) {
      const std::string text = formatNumber(c.level, 3);
      PlotContours("contours", c.polylines.data(), static_cast<int>(c.polylines.size()), text.c_str());
    }
    PlotStyle path;
    path.color = ImVec4(1.0f, 0.45f, 0.1f, 1.0f);
    path.weight = 2.5f;
    PlotLine("gradient descent", tx.data(), ty.data(), static_cast<int>(tx.size()), path);
    PlotAnnotation(1.0, 1.0, "minimum (1, 1)", ImVec4(1, 1, 1, 1), ImVec2(14, 18));
    PlotAnnotation(tx.front(), ty.front(), "start", kAutoColor, ImVec2(12, -12));
    EndPlot();
  }
}

// [SECTION] Colormaps and themes
void DemoColormaps() {
  Hint("Colormaps are chosen by name (core/figure/colormap). viridis, cividis and magma are "
       "perceptually uniform and read in grey; blue-white-red centres signed values on white.");
  for (Colormap m : kAllColormaps) {
    const std::string name(colormapName(m));
    ColormapPreview(name.c_str(), m, ImVec2(ImGui::GetFontSize() * 20, 0));
    ImGui::SameLine();
    ImGui::TextUnformatted(name.c_str());
  }
  Hint("Themes recolour every plot: light and dark for screens, print for projectors and "
       "paper (white ground, black ink, thicker lines).");
  int theme = static_cast<int>(GetTheme());
  bool changed = ImGui::RadioButton("light", &theme, 0);
  ImGui::SameLine();
  changed |= ImGui::RadioButton("dark", &theme, 1);
  ImGui::SameLine();
  changed |= ImGui::RadioButton("print", &theme, 2);
  if (changed) SetTheme(static_cast<Theme>(theme), GetPixelScale());
}

// [SECTION] Figures from core/figure
void DemoFigure() {
  Hint("Labs never call the Plot* functions themselves: they build a core Figure (plain data) "
       "and hand it to gui::DrawFigure, the path every figure takes to the screen, and the "
       "same Figure goes to app/export for PNG, SVG and PDF. Right-click: the figure's "
       "context menu, with entries the caller adds.");
  Figure f;
  f.name = "demo-gradient-norm";
  f.title = "Gradient norm, softmax regression";
  f.x.label = "iteration";
  f.y.label = "\xE2\x80\x96\xE2\x88\x87L(x)\xE2\x80\x96\xE2\x82\x82";  // ‖∇L(x)‖₂
  f.y.scale = Scale::Log10;
  LineSeries gd{"gradient descent, \xCE\xB7 = 0.1", {}, {}, {}, {}};
  LineSeries newton{"Newton", {}, {}, {}, {MarkerShape::Diamond, 4.0f, true}};
  double g = 1.0;
  for (int i = 0; i <= 25; ++i) {
    gd.xs.push_back(i);
    gd.ys.push_back(std::pow(0.8, i));
    if (g > 1e-15) {
      newton.xs.push_back(i);
      newton.ys.push_back(g);
    }
    g = 0.9 * g * g;
  }
  AreaSeries tolerance{"below tolerance", {0, 25}, {1e-16, 1e-16}, {1e-10, 1e-10}, Rgba::hex(0x009E73), 0.15f};
  f.series = {tolerance, gd, newton};
  f.annotations.push_back({6, 0.8 * 0.8 * 0.8 * 0.8 * 0.8 * 0.8, "linear: a straight line", 14, -16, true, {}});
  f.legend.location = LegendLocation::NorthEast;
  gui::DrawFigure(f, ImVec2(-1, 300), nullptr, [](const Figure& figure) {
    ImGui::TextDisabled("%s", figure.name.c_str());
    ImGui::MenuItem("Export PNG\xE2\x80\xA6", nullptr, false, false);
    ImGui::MenuItem("Export SVG\xE2\x80\xA6", nullptr, false, false);
  });
}

}  // namespace

// [SECTION] The window
void ShowPlotDemoWindow(bool* open) {
  IM_ASSERT(GetCurrentContext() != nullptr && "plot::CreateContext() first");
  ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 46, ImGui::GetFontSize() * 50), ImGuiCond_FirstUseEver);
  if (!ImGui::Begin("Plot demo", open)) {
    ImGui::End();
    return;
  }
  ImGui::TextWrapped("Scroll to zoom about the cursor (over an axis: that axis only), drag to pan, "
                     "double-click to fit the data, hover for values, click a legend entry to hide "
                     "its series, right-click for the menu.");
  if (ImGui::CollapsingHeader("Lines, dashes and markers", ImGuiTreeNodeFlags_DefaultOpen)) DemoLines();
  if (ImGui::CollapsingHeader("Log axes: convergence", ImGuiTreeNodeFlags_DefaultOpen)) DemoLogAxes();
  if (ImGui::CollapsingHeader("Areas and bars")) DemoAreasAndBars();
  if (ImGui::CollapsingHeader("Heatmap, contours, colorbar, annotations", ImGuiTreeNodeFlags_DefaultOpen))
    DemoHeatmap();
  if (ImGui::CollapsingHeader("Colormaps and themes")) DemoColormaps();
  if (ImGui::CollapsingHeader("Figures from core/figure")) DemoFigure();
  ImGui::End();
}

}  // namespace attnlab::plot
