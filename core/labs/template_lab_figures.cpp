#include "core/labs/template_lab_figures.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/figure/ticks.hpp"

namespace attnlab {
namespace {

// Pattern names fit under a block up to this many templates; beyond, the axis counts strings.
constexpr std::size_t kNamedBlocksUpTo = 8;
// A singular value at or below this fraction of the largest is 0 to double precision.
constexpr double kSingularFloor = 1e-16;
// A test MSE above this at the largest n is reported as not learnt (predicting 0 costs 1).
constexpr double kNotLearnt = 0.8;

std::string kernelSymbol(TemplateKernel kernel) {
  switch (kernel) {
    case TemplateKernel::Transformer: return "K_trans";
    case TemplateKernel::Attention: return "K_attn";
    case TemplateKernel::Mlp: return "K_MLP";
  }
  return "K";
}

// A band through zero cannot be drawn on a log axis: its lower edge stops at a tenth of the
// mean (the error bar then reads "at least down to here").
double bandLower(double mean, double se) { return mean - se > 0.1 * mean ? mean - se : 0.1 * mean; }

// The train sizes' indices in increasing n: the sizes may come in any order (the core keeps
// the given one), a line through them must not zig-zag.
std::vector<std::size_t> bySize(const std::vector<int>& sizes) {
  std::vector<std::size_t> order(sizes.size());
  std::iota(order.begin(), order.end(), std::size_t(0));
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return sizes[a] < sizes[b]; });
  return order;
}

std::vector<Tick> sizeTicks(const std::vector<int>& sizes) {
  std::vector<int> sorted = sizes;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  std::vector<Tick> ticks;
  // Every size labelled while they fit; a long list keeps the computed decades.
  if (sorted.size() > 10) return ticks;
  for (int n : sorted) ticks.push_back(Tick{double(n), std::to_string(n), true});
  return ticks;
}

LineSeries horizontalLine(double x0, double x1, double y, std::string label, Style style) {
  LineSeries line;
  line.label = std::move(label);
  line.xs = {x0, x1};
  line.ys = {y, y};
  line.style = style;
  return line;
}

}  // namespace

// "σ₂ = 0 (not drawn)", "σ₂…σ₁₆ = 0 (not drawn)": indices as subscript digits.
std::string zeroSingularValuesText(int first, int last) {
  static const char* const kSubscripts[] = {"₀", "₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉"};
  const auto sigma = [](int i) {
    std::string text = "σ";
    for (char c : std::to_string(i)) text += kSubscripts[c - '0'];
    return text;
  };
  return (first == last ? sigma(first) : sigma(first) + "…" + sigma(last)) + " = 0 (not drawn)";
}

std::string zeroSingularValuesNote(const TemplateMatrixCondition& c) {
  const Eigen::VectorXd& sigma = c.singularValues;
  for (Eigen::Index i = 0; i < sigma.size(); ++i)
    if (sigma(i) <= kSingularFloor * sigma(0)) return zeroSingularValuesText(int(i) + 1, int(sigma.size()));
  return "";
}

std::string kernelShortName(TemplateKernel kernel) {
  return kernel == TemplateKernel::Mlp ? "MLP" : std::string(templateKernelName(kernel));
}

std::string kernelTitle(TemplateKernel kernel) {
  switch (kernel) {
    case TemplateKernel::Transformer: return "transformer K_trans";
    case TemplateKernel::Attention: return "attention K_attn";
    case TemplateKernel::Mlp: return "MLP (inner product)";
  }
  return "?";
}

// Blue for the transformer, green for the attention layer alone, orange for the MLP, in
// every figure (Okabe–Ito slots of the theme).
Rgba kernelColour(TemplateKernel kernel, Theme theme) {
  switch (kernel) {
    case TemplateKernel::Transformer: return seriesColor(theme, 0);
    case TemplateKernel::Attention: return seriesColor(theme, 4);
    case TemplateKernel::Mlp: return seriesColor(theme, 1);
  }
  return seriesColor(theme, 0);
}

std::string taskTitle(const TemplateTask& task) {
  if (task.templates.size() > 4)
    return std::to_string(task.templates.size()) + " templates of length " + std::to_string(task.length);
  std::string text;
  for (const Template& t : task.templates) text += (text.empty() ? "" : " vs ") + patternName(t);
  return text;
}

std::string conditionText(const TemplateMatrixCondition& c) {
  if (!std::isfinite(c.condition)) return "κ(N) = ∞ (singular)";
  return "κ(N) = " + formatNumber(c.condition, 3) + (c.singular ? " (singular)" : "");
}

const TemplateKernelResult& kernelMatrixSource(const TemplateExperiment& e) {
  for (const TemplateKernelResult& r : e.kernels)
    if (r.kernel == TemplateKernel::Transformer) return r;
  return e.kernels.front();
}

std::vector<int> stringsByTemplate(const std::vector<TemplateString>& strings, int count) {
  std::vector<int> order(static_cast<std::size_t>(std::min<int>(count, int(strings.size()))));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return strings[std::size_t(a)].templateIndex < strings[std::size_t(b)].templateIndex;
  });
  return order;
}

bool shareSymbol(const TemplateString& x, const TemplateString& y) {
  for (SymbolIndex a : x.symbols)
    if (std::find(y.symbols.begin(), y.symbols.end(), a) != y.symbols.end()) return true;
  return false;
}

Figure testErrorFigure(const TemplateExperiment& e, const std::vector<int>& trainSizes, Theme theme) {
  Figure f;
  f.name = "test_error";
  f.title = "Test error on unseen symbols — " + taskTitle(e.task);
  f.x.label = "n (training strings)";
  f.x.scale = Scale::Log10;
  f.x.ticks = sizeTicks(trainSizes);
  f.y.label = "test MSE on unseen symbols";
  f.y.scale = Scale::Log10;
  f.legend.location = LegendLocation::SouthWest;
  const std::vector<std::size_t> order = bySize(trainSizes);
  std::vector<double> xs;
  for (std::size_t s : order) xs.push_back(double(trainSizes[s]));
  // The bands first, so every line is drawn over them.
  for (const TemplateKernelResult& r : e.kernels) {
    if (!r.monteCarlo) continue;
    AreaSeries band;
    band.label = "± 1 s.e. (" + std::string(templateKernelName(r.kernel)) + ", jackknife)";
    band.xs = xs;
    for (std::size_t s : order) {
      band.lower.push_back(bandLower(r.testError[s], r.testErrorStderr[s]));
      band.upper.push_back(r.testError[s] + r.testErrorStderr[s]);
    }
    band.color = kernelColour(r.kernel, theme);
    band.opacity = 0.22f;
    f.series.push_back(std::move(band));
  }
  if (!xs.empty()) {
    const auto [lo, hi] = std::minmax_element(xs.begin(), xs.end());
    // Labels are ±1 (random tasks: scaled so): predicting 0 costs MSE 1, the level of not learning.
    f.series.push_back(horizontalLine(*lo, *hi, 1.0, "predicting 0 (MSE 1)",
                                      Style{themePalette(theme).text.withAlpha(0.5f), 1.5f, Dash::Dashed}));
  }
  for (const TemplateKernelResult& r : e.kernels) {
    LineSeries line;
    line.label = kernelTitle(r.kernel);
    line.xs = xs;
    for (std::size_t s : order) line.ys.push_back(r.testError[s]);
    line.style = Style{kernelColour(r.kernel, theme), 2.5f, Dash::Solid};
    line.markers = Marker{r.kernel == TemplateKernel::Mlp ? MarkerShape::Square : MarkerShape::Circle, 4.0f, true};
    f.series.push_back(std::move(line));
  }
  return f;
}

Figure kernelMatrixFigure(const TemplateExperiment& e, Theme theme) {
  const TemplateKernelResult& source = kernelMatrixSource(e);
  const int total = int(source.trainKernel.rows());
  const int m = std::min(total, kMaxKernelFigureStrings);
  Figure f;
  f.name = "kernel_matrix";
  // Short: the window gives this square plot little width.
  f.title = kernelSymbol(source.kernel) + " on " + (m < total ? "the first " : "") + std::to_string(m) +
            " training strings";
  f.x.label = "string j (sorted by template)";
  f.y.label = "string i";
  f.legend.visible = false;
  f.equalAspect = true;
  if (m < 2) {
    f.title += " (needs two or more)";
    return f;
  }
  const std::vector<int> order = stringsByTemplate(e.train, m);
  const auto string = [&](int i) -> const TemplateString& { return e.train[std::size_t(order[std::size_t(i)])]; };
  // Row 0 of the grid is at the bottom: string i of the order goes to row m−1−i, so the
  // first template's block is top-left, as a matrix is read.
  HeatmapSeries h;
  h.label = kernelSymbol(source.kernel) + "(x, y)";
  h.rows = h.cols = m;
  h.values.resize(std::size_t(m) * std::size_t(m));
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < m; ++j) {
      const double v = source.trainKernel(order[std::size_t(i)], order[std::size_t(j)]);
      h.values[std::size_t(m - 1 - i) * std::size_t(m) + std::size_t(j)] = v;
      // Pairs sharing a symbol (the diagonal among them) take other values, some far off,
      // which would squeeze the blocks into a few shades: the colours span the pairs that
      // share none — the entries of N — and the exceptions above them saturate.
      if (!shareSymbol(string(i), string(j)) && std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    }
  h.x = Range{0.0, double(m - 1)};
  h.y = Range{0.0, double(m - 1)};
  // A fifth more on top, so that the largest block is not the colour of the exceptions above it.
  if (hi > lo) h.valueRange = Range{lo, hi + 0.2 * (hi - lo)};
  f.colorbar = Colorbar{h.label, h.colormap, h.scale, heatmapValueRange(h)};
  f.series.push_back(std::move(h));

  // Thin lines between the blocks, and a tick naming each block's template at its centre.
  const Rgba rule = themePalette(theme).plotBackground.withAlpha(0.9f);
  const bool named = e.task.templates.size() <= kNamedBlocksUpTo;
  for (int start = 0; start < m;) {
    const int t = string(start).templateIndex;
    int end = start;
    while (end < m && string(end).templateIndex == t) ++end;
    if (start > 0) {
      const double at = start - 0.5;
      LineSeries v, w;
      v.xs = {at, at};
      v.ys = {0.0, m - 1.0};
      w.xs = {0.0, m - 1.0};
      w.ys = {m - 1 - at, m - 1 - at};
      v.style = w.style = Style{rule, 1.0f, Dash::Solid};
      f.series.push_back(std::move(v));
      f.series.push_back(std::move(w));
    }
    if (named) {
      const double centre = (start + end - 1) / 2.0;
      const std::string name = patternName(e.task.templates[std::size_t(t)]);
      f.x.ticks.push_back(Tick{centre, name, true});
      f.y.ticks.insert(f.y.ticks.begin(), Tick{m - 1 - centre, name, true});
    }
    start = end;
  }
  if (named) {
    f.x.label = "string j, sorted by template";
    f.y.label = "string i";
  }
  // The picture spans the first to the last grid point (figure.hpp): so does the view.
  f.x.range = Range{0.0, m - 1.0};
  f.y.range = Range{0.0, m - 1.0};
  return f;
}

Figure templateSpectrumFigure(const TemplateExperiment& e, Theme theme) {
  Figure f;
  f.name = "template_spectrum";
  f.title = "Singular values of the template matrix N (" + std::to_string(e.task.templates.size()) + "×" +
            std::to_string(e.task.templates.size()) + ")";
  f.x.label = "i";
  f.y.label = "σᵢ(N)";
  f.y.scale = Scale::Log10;
  // A descending spectrum leaves the bottom-left corner free.
  f.legend.location = LegendLocation::SouthWest;
  std::size_t r = 0;
  for (const TemplateKernelResult& k : e.kernels) {
    const Eigen::VectorXd& sigma = k.NCondition.singularValues;
    r = std::max<std::size_t>(r, std::size_t(sigma.size()));
    // Points, not a line: the spectrum is a handful of numbers, and a line would run into
    // the legend. Singular values that are 0 to double precision have no place on a log
    // axis (drawing them at a floor would stretch it over 16 decades): the legend says
    // which they are.
    MarkerSeries points;
    points.color = kernelColour(k.kernel, theme);
    points.marker = Marker{k.kernel == TemplateKernel::Mlp ? MarkerShape::Square : MarkerShape::Circle, 5.5f, true};
    for (Eigen::Index i = 0; i < sigma.size(); ++i) {
      if (sigma(i) <= kSingularFloor * sigma(0)) continue;
      points.xs.push_back(double(i + 1));
      points.ys.push_back(sigma(i));
    }
    points.label = kernelShortName(k.kernel) + ": " + conditionText(k.NCondition);
    if (const std::string zeros = zeroSingularValuesNote(k.NCondition); !zeros.empty()) points.label += ", " + zeros;
    f.series.push_back(std::move(points));
  }
  // Whole-numbered indices, with room either side of the first and last.
  if (r <= 24)
    for (std::size_t i = 1; i <= r; ++i) f.x.ticks.push_back(Tick{double(i), std::to_string(i), true});
  if (r > 0) f.x.range = Range{0.5, double(r) + 0.5};
  return f;
}

TemplateFigures buildTemplateFigures(const TemplateExperiment& e, const std::vector<int>& trainSizes, Theme theme) {
  return {testErrorFigure(e, trainSizes, theme), kernelMatrixFigure(e, theme), templateSpectrumFigure(e, theme)};
}

std::string testErrorSummary(const TemplateExperiment& e, const std::vector<int>& trainSizes) {
  if (trainSizes.empty() || e.kernels.empty()) return "";
  const std::vector<std::size_t> order = bySize(trainSizes);
  const std::size_t first = order.front(), last = order.back();
  std::string text;
  for (const TemplateKernelResult& r : e.kernels) {
    if (r.testError.size() != trainSizes.size()) continue;
    text += (text.empty() ? "" : "; ") + kernelShortName(r.kernel) + (text.empty() ? " test MSE " : " ");
    text += formatNumber(r.testError[first], 2);
    if (order.size() > 1) text += " → " + formatNumber(r.testError[last], 2);
    if (text.find(" as n goes ") == std::string::npos && order.size() > 1)
      text += " as n goes " + std::to_string(trainSizes[first]) + " → " + std::to_string(trainSizes[last]);
    // Predicting 0 costs 1: a kernel still near it has not told the unseen symbols apart.
    if (r.testError[last] > kNotLearnt) text += " (no better than predicting 0)";
  }
  return text;
}

std::string conditionSummary(const TemplateExperiment& e) {
  std::string text;
  for (const TemplateKernelResult& r : e.kernels)
    text += (text.empty() ? "" : "; ") + kernelShortName(r.kernel) + " " + conditionText(r.NCondition);
  return text;
}

}  // namespace attnlab
