#include "core/labs/copy_task_figures.hpp"

#include <cmath>
#include <algorithm>
#include <string>

#include "core/figure/ticks.hpp"

namespace attnlab {
namespace {

std::vector<double> steps(std::size_t count) {
  std::vector<double> t(count);
  for (std::size_t i = 0; i < count; ++i) t[i] = double(i);
  return t;
}

LineSeries chanceLine(double x0, double x1, double logV, Theme theme) {
  LineSeries line;
  line.label = "chance: log V = " + formatNumber(logV, 3);
  line.xs = {x0, x1};
  line.ys = {logV, logV};
  line.style = Style{themePalette(theme).text.withAlpha(0.45f), 1.5f, Dash::Dotted};
  return line;
}

}  // namespace

Figure copyTaskFigure(const CopyTaskSweep& sweep, Theme theme) {
  Figure f;
  f.name = "copy_task";
  f.title = "Unseen tokens, per step (dashed: no b)";
  f.x.label = "gradient step";
  f.y.label = "test cross-entropy on unseen tokens";
  f.legend.location = LegendLocation::NorthEast;
  std::size_t longest = 0;
  for (std::size_t i = 0; i < sweep.embeddings.size(); ++i) {
    const Rgba colour = seriesColor(theme, i);
    const std::string width = "d_emb = " + std::to_string(sweep.embeddings[i]);
    for (const bool identity : {false, true}) {
      const CopyTaskRun& run = (identity ? sweep.identity : sweep.plain)[i];
      LineSeries line;
      line.label = identity ? width : "";  // the title says what dashed means; one entry per colour
      line.xs = steps(run.testLoss.size());
      line.ys = run.testLoss;
      line.style = Style{colour, 2.0f, identity ? Dash::Solid : Dash::Dashed};
      longest = std::max(longest, run.testLoss.size());
      f.series.push_back(std::move(line));
    }
  }
  const double logV = std::log(double(sweep.vocabulary));
  if (longest > 1) f.series.push_back(chanceLine(0.0, double(longest - 1), logV, theme));
  f.y.range = Range{-0.05 * logV, 1.5 * logV};  // the legend sits above the chance line
  return f;
}

Figure copyTaskWidthFigure(const CopyTaskSweep& sweep, Theme theme) {
  Figure f;
  f.name = "copy_task_width";
  f.title = "Final loss vs width (001 Fig. 5)";
  f.x.label = "embedding width d_emb";
  f.x.scale = Scale::Log10;
  f.y.label = "final test cross-entropy";
  f.legend.location = LegendLocation::NorthEast;
  for (const bool identity : {false, true}) {
    LineSeries line;
    line.label = identity ? "W_V W_Oᵀ + b·I (Thm 4.2)" : "W_V W_Oᵀ (Thm 4.1)";
    for (std::size_t i = 0; i < sweep.embeddings.size(); ++i) {
      const CopyTaskRun& run = (identity ? sweep.identity : sweep.plain)[i];
      if (run.testLoss.empty()) continue;
      line.xs.push_back(double(sweep.embeddings[i]));
      line.ys.push_back(run.testLoss.back());
    }
    line.style = Style{seriesColor(theme, identity ? 2 : 1), 2.0f, Dash::Solid};
    line.markers = Marker{MarkerShape::Circle, 4.0f, true};
    f.series.push_back(std::move(line));
  }
  const double logV = std::log(double(sweep.vocabulary));
  if (!sweep.embeddings.empty())
    f.series.push_back(chanceLine(double(sweep.embeddings.front()), double(sweep.embeddings.back()), logV, theme));
  f.y.range = Range{-0.05 * logV, 1.4 * logV};
  return f;
}

}  // namespace attnlab
