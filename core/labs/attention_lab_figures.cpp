#include "core/labs/attention_lab_figures.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/figure/ticks.hpp"

namespace attnlab {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string kernelLabel(AttentionKernel k, const AttentionLabParams& p) {
  const std::string name(attentionKernelName(k));
  if (k == AttentionKernel::Elu) return name + " (m = d = " + std::to_string(p.d) + ")";
  return name;
}

std::vector<double> asDoubles(const std::vector<int>& v) { return {v.begin(), v.end()}; }

// Query i at y = −i, so row 0 sits at the top; the tick labels say i.
std::vector<Tick> queryTicks(int length) {
  std::vector<Tick> ticks;
  for (Tick t : linearTicks(Range{0.0, double(std::max(length - 1, 1))}, 6)) {
    if (t.value < 0 || t.value > length - 1) continue;
    t.value = -t.value;
    ticks.push_back(t);
  }
  return ticks;
}

LineSeries sweepLine(std::string label, const std::vector<double>& xs, const std::vector<double>& ys, Rgba colour,
                     Dash dash = Dash::Solid) {
  LineSeries line;
  line.label = std::move(label);
  line.xs = xs;
  line.ys = ys;
  line.style = Style{colour, 2.0f, dash};
  line.markers = Marker{MarkerShape::Circle, 3.5f, true};
  return line;
}

// Short: three figures share one row of the window.
std::string inputSummary(const AttentionLabParams& p) {
  return "σ = " + formatNumber(p.sigma, 3) + (p.causal ? ", causal" : "");
}

// favor's error ∝ 1/√m, drawn through its first point: the slope its estimate must follow.
std::optional<LineSeries> rootMSlope(const AttentionSweeps& s, Theme theme) {
  for (const KernelSweep& k : s.kernels) {
    if (k.kernel != AttentionKernel::Favor || k.errorVsFeatures.empty() || !(k.errorVsFeatures[0] > 0)) continue;
    const std::vector<double> ms = asDoubles(s.params.featureCounts);
    LineSeries line;
    line.label = "∝ 1/√m";
    line.xs = ms;
    for (double m : ms) line.ys.push_back(k.errorVsFeatures[0] * std::sqrt(ms[0] / m));
    line.style = Style{themePalette(theme).text.withAlpha(0.5f), 1.5f, Dash::Dashed};
    return line;
  }
  return std::nullopt;
}

}  // namespace

Rgba kernelColour(AttentionKernel kernel, Theme theme) {
  switch (kernel) {
    case AttentionKernel::Softmax: return themePalette(theme).text;
    case AttentionKernel::Elu: return seriesColor(theme, 0);
    case AttentionKernel::Favor: return seriesColor(theme, 1);
    case AttentionKernel::Softplus: return seriesColor(theme, 2);
    case AttentionKernel::Glu: return seriesColor(theme, 3);
    case AttentionKernel::Aoglu: return seriesColor(theme, 4);
  }
  return seriesColor(theme, 5);
}

Figure attentionMatrixFigure(const RowMatrix<double>& W, const std::string& name, const std::string& title,
                             const std::string& colourLabel, const std::string& colormap, Range values) {
  Figure f;
  f.name = name;
  f.title = title;
  f.x.label = "key j";
  f.y.label = "query i";
  f.equalAspect = true;
  f.legend.visible = false;
  const int rows = int(W.rows()), cols = int(W.cols());
  HeatmapSeries h;
  h.rows = rows;
  h.cols = cols;
  h.x = Range{0.0, double(std::max(cols - 1, 1))};
  h.y = Range{-double(std::max(rows - 1, 1)), 0.0};
  h.colormap = colormap;
  h.valueRange = values;
  h.values.resize(std::size_t(rows) * std::size_t(cols));
  // Grid row r is at y = −(L−1) + r: query L−1−r.
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) h.values[std::size_t(r) * cols + c] = W(rows - 1 - r, c);
  f.x.range = h.x;
  f.y.range = h.y;
  f.y.ticks = queryTicks(rows);
  f.colorbar = Colorbar{colourLabel, colormap, Scale::Linear, values};
  f.series.push_back(std::move(h));
  return f;
}

AttentionMatrixFigures buildAttentionMatrixFigures(const AttentionMatrices& m, Theme) {
  const AttentionLabParams& p = m.params;
  const std::string L = std::to_string(p.length);
  const double top = std::max({m.exact.maxCoeff(), m.kernel.maxCoeff(), 1e-300});
  const Range weights{0.0, top};
  const std::string kernel(attentionKernelName(p.kernel));
  const std::string features = usesFeatures(p.kernel) ? ", m = " + std::to_string(p.features) : "";
  AttentionMatrixFigures out;
  out.exact = attentionMatrixFigure(m.exact, "attention_exact", "Exact softmax, L = " + L + " (" + inputSummary(p) + ")",
                                    "weight", "viridis", weights);
  out.kernel = attentionMatrixFigure(m.kernel, "attention_kernel", kernel + features + ": error " + formatNumber(m.outputError, 3),
                                     "weight", "viridis", weights);
  // Signed, on a diverging map centred on 0: red where the kernel gives a key too much weight.
  const RowMatrix<double> diff = m.kernel - m.exact;
  const double reach = std::max(m.largestWeightError, 1e-300);
  out.difference = attentionMatrixFigure(diff, "attention_difference",
                                         kernel + " − exact (max |Δ| = " + formatNumber(m.largestWeightError, 3) + ")",
                                         "Δ weight", "blue-white-red", Range{-reach, reach});
  return out;
}

Figure errorVsLengthFigure(const AttentionSweeps& s, Theme theme) {
  Figure f;
  f.name = "error_vs_length";
  f.title = "Error vs L (" + inputSummary(s.params) + ")";
  f.x.label = "sequence length L";
  f.x.scale = Scale::Log10;
  f.y.label = "‖Att_φ − Att‖_F / ‖Att‖_F";
  f.y.scale = Scale::Log10;
  f.legend.location = LegendLocation::SouthEast;
  const std::vector<double> Ls = asDoubles(s.params.lengths);
  for (const KernelSweep& k : s.kernels)
    f.series.push_back(sweepLine(kernelLabel(k.kernel, s.params), Ls, k.errorVsLength, kernelColour(k.kernel, theme)));
  return f;
}

Figure errorVsFeaturesFigure(const AttentionSweeps& s, Theme theme) {
  Figure f;
  f.name = "error_vs_features";
  f.title = "Error vs m, at L = " + std::to_string(s.params.length);
  f.x.label = "features m";
  f.x.scale = Scale::Log10;
  f.y.label = "‖Att_φ − Att‖_F / ‖Att‖_F";
  f.y.scale = Scale::Log10;
  f.legend.location = LegendLocation::SouthWest;
  const std::vector<double> ms = asDoubles(s.params.featureCounts);
  const auto [lo, hi] = std::minmax_element(ms.begin(), ms.end());
  for (const KernelSweep& k : s.kernels) {
    if (!k.errorVsFeatures.empty()) {
      f.series.push_back(sweepLine(kernelLabel(k.kernel, s.params), ms, k.errorVsFeatures, kernelColour(k.kernel, theme)));
    } else if (std::isfinite(k.errorAtLength)) {
      // elu has no m: its error at this L, as a level to beat.
      LineSeries line;
      line.label = kernelLabel(k.kernel, s.params);
      line.xs = {*lo, *hi};
      line.ys = {k.errorAtLength, k.errorAtLength};
      line.style = Style{kernelColour(k.kernel, theme), 2.0f, Dash::DashDot};
      f.series.push_back(std::move(line));
    }
  }
  if (auto slope = rootMSlope(s, theme)) f.series.push_back(std::move(*slope));
  return f;
}

Figure timeVsLengthFigure(const AttentionSweeps& s, Theme theme) {
  Figure f;
  f.name = "time_vs_length";
  f.x.label = "sequence length L";
  f.x.scale = Scale::Log10;
  f.y.label = "seconds (float32, median)";
  f.y.scale = Scale::Log10;
  f.legend.location = LegendLocation::NorthWest;
  const std::vector<double> Ls = asDoubles(s.params.lengths);
  f.series.push_back(sweepLine("exact softmax", Ls, s.exactSeconds, kernelColour(AttentionKernel::Softmax, theme)));
  for (const KernelSweep& k : s.kernels) {
    const std::optional<double> at = crossoverLength(Ls, s.exactSeconds, k.secondsVsLength);
    std::string label = kernelLabel(k.kernel, s.params);
    if (at) label += ", faster from L ≈ " + formatNumber(*at, 3);
    f.series.push_back(sweepLine(label, Ls, k.secondsVsLength, kernelColour(k.kernel, theme)));
    if (!at) continue;
    // A ring on the exact line where the kernel's line crosses it (log-log interpolation).
    for (std::size_t i = 0; i + 1 < Ls.size(); ++i) {
      if (!(Ls[i] <= *at && *at <= Ls[i + 1])) continue;
      const double t = std::log(*at / Ls[i]) / std::log(Ls[i + 1] / Ls[i]);
      MarkerSeries ring;
      ring.xs = {*at};
      ring.ys = {std::exp((1 - t) * std::log(s.exactSeconds[i]) + t * std::log(s.exactSeconds[i + 1]))};
      ring.marker = Marker{MarkerShape::Circle, 7.0f, false};
      ring.color = kernelColour(k.kernel, theme);
      f.series.push_back(std::move(ring));
      break;
    }
  }
  f.title = "Time vs L";
  if (!Ls.empty() && s.exactSeconds.back() > 0) {
    const double flops = exactAttentionFlops(Index(Ls.back()), Index(Ls.back()), s.params.d, s.params.d, s.params.causal);
    f.title += " (exact: " + formatNumber(flops / s.exactSeconds.back() / 1e9, 3) + " GFLOP/s)";
  }
  return f;
}

void buildAttentionSweepFigures(AttentionSweeps& s, Theme theme) {
  s.theme = theme;
  s.errorVsLength = errorVsLengthFigure(s, theme);
  s.errorVsFeatures = errorVsFeaturesFigure(s, theme);
  s.timeVsLength = timeVsLengthFigure(s, theme);
}

}  // namespace attnlab
