#include "core/figure/contour.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <deque>
#include <tuple>
#include <unordered_map>

namespace attnlab {
namespace {

// Every crossing lies on one grid edge; naming points by their edge lets neighbouring
// cells share a point exactly, which is what joining segments relies on.
using EdgeId = std::int64_t;

struct Grid {
  std::span<const double> values;
  int rows, cols;
  Range x, y;
  double level;

  double at(int r, int c) const { return values[static_cast<std::size_t>(r) * cols + c]; }
  EdgeId horizontal(int r, int c) const { return 2 * (static_cast<EdgeId>(r) * cols + c); }  // (r,c)–(r,c+1)
  EdgeId vertical(int r, int c) const { return 2 * (static_cast<EdgeId>(r) * cols + c) + 1; }  // (r,c)–(r+1,c)

  double gx(double c) const { return cols > 1 ? x.min + c * x.span() / (cols - 1) : x.min; }
  double gy(double r) const { return rows > 1 ? y.min + r * y.span() / (rows - 1) : y.min; }

  // The crossing point on an edge, by linear interpolation between its end values.
  std::array<double, 2> point(EdgeId id) const {
    const EdgeId node = id / 2;
    const int r = static_cast<int>(node / cols);
    const int c = static_cast<int>(node % cols);
    const bool isHorizontal = id % 2 == 0;
    const double a = at(r, c);
    const double b = isHorizontal ? at(r, c + 1) : at(r + 1, c);
    const double t = std::clamp((level - a) / (b - a), 0.0, 1.0);
    return isHorizontal ? std::array{gx(c + t), gy(r)} : std::array{gx(c), gy(r + t)};
  }
};

struct Segment {
  EdgeId a, b;
};

std::vector<Segment> cellSegments(const Grid& g) {
  std::vector<Segment> segments;
  for (int r = 0; r + 1 < g.rows; ++r) {
    for (int c = 0; c + 1 < g.cols; ++c) {
      // Corners counter-clockwise from (r,c): 0 (r,c), 1 (r,c+1), 2 (r+1,c+1), 3 (r+1,c).
      const std::array<double, 4> v{g.at(r, c), g.at(r, c + 1), g.at(r + 1, c + 1), g.at(r + 1, c)};
      if (!std::all_of(v.begin(), v.end(), [](double d) { return std::isfinite(d); })) continue;
      int mask = 0;
      for (int k = 0; k < 4; ++k)
        if (v[static_cast<std::size_t>(k)] >= g.level) mask |= 1 << k;
      if (mask == 0 || mask == 15) continue;
      // Edges: bottom (0–1), right (1–2), top (3–2), left (0–3).
      const EdgeId bottom = g.horizontal(r, c), right = g.vertical(r, c + 1);
      const EdgeId top = g.horizontal(r + 1, c), left = g.vertical(r, c);
      // The two edges meeting at each corner: a segment between them cuts that corner off.
      const std::array<Segment, 4> cut{Segment{bottom, left}, Segment{bottom, right}, Segment{right, top},
                                       Segment{left, top}};
      if (mask == 5 || mask == 10) {
        // Saddle: the centre decides whether the "above" corners connect through the cell.
        const bool centreAbove = (v[0] + v[1] + v[2] + v[3]) / 4.0 >= g.level;
        const bool cutOdd = (mask == 5) == centreAbove;  // cut off corners 1 and 3?
        segments.push_back(cutOdd ? cut[1] : cut[0]);
        segments.push_back(cutOdd ? cut[3] : cut[2]);
        continue;
      }
      // Exactly two crossed edges: one segment between them.
      std::array<EdgeId, 2> crossed{};
      int n = 0;
      const auto consider = [&](int k0, int k1, EdgeId e) {
        if (((mask >> k0) & 1) != ((mask >> k1) & 1)) crossed[static_cast<std::size_t>(n++)] = e;
      };
      consider(0, 1, bottom);
      consider(1, 2, right);
      consider(3, 2, top);
      consider(0, 3, left);
      segments.push_back({crossed[0], crossed[1]});
    }
  }
  return segments;
}

}  // namespace

std::vector<Polyline> marchingSquares(std::span<const double> values, int rows, int cols, Range x, Range y,
                                      double level) {
  std::vector<Polyline> lines;
  if (rows < 2 || cols < 2 || values.size() < static_cast<std::size_t>(rows) * cols || !std::isfinite(level))
    return lines;
  const Grid grid{values, rows, cols, x, y, level};
  const std::vector<Segment> segments = cellSegments(grid);

  // Each edge point is an end of at most two segments (the two cells sharing the edge).
  std::unordered_map<EdgeId, std::array<int, 2>> ends;
  ends.reserve(segments.size() * 2);
  for (int i = 0; i < static_cast<int>(segments.size()); ++i) {
    for (EdgeId e : {segments[static_cast<std::size_t>(i)].a, segments[static_cast<std::size_t>(i)].b}) {
      auto [it, inserted] = ends.try_emplace(e, std::array<int, 2>{i, -1});
      if (!inserted) it->second[1] = i;
    }
  }
  std::vector<bool> used(segments.size(), false);
  // The unused segment at edge `e`, and the edge at its far end.
  const auto next = [&](EdgeId e) -> std::pair<int, EdgeId> {
    for (int s : ends[e]) {
      if (s < 0 || used[static_cast<std::size_t>(s)]) continue;
      const Segment& seg = segments[static_cast<std::size_t>(s)];
      return {s, seg.a == e ? seg.b : seg.a};
    }
    return {-1, 0};
  };

  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (used[i]) continue;
    used[i] = true;
    std::deque<EdgeId> chain{segments[i].a, segments[i].b};
    for (auto [s, e] = next(chain.back()); s >= 0; std::tie(s, e) = next(chain.back())) {
      used[static_cast<std::size_t>(s)] = true;
      chain.push_back(e);
    }
    for (auto [s, e] = next(chain.front()); s >= 0; std::tie(s, e) = next(chain.front())) {
      used[static_cast<std::size_t>(s)] = true;
      chain.push_front(e);
    }
    Polyline line;
    line.closed = chain.size() > 3 && chain.front() == chain.back();
    if (line.closed) chain.pop_back();
    line.xs.reserve(chain.size());
    line.ys.reserve(chain.size());
    for (EdgeId e : chain) {
      const auto p = grid.point(e);
      line.xs.push_back(p[0]);
      line.ys.push_back(p[1]);
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

std::vector<double> contourLevels(Range range, Scale scale, int targetCount) {
  std::vector<double> levels;
  const double lo = std::min(range.min, range.max);
  const double hi = std::max(range.min, range.max);
  if (!std::isfinite(lo) || !std::isfinite(hi) || !(hi > lo)) return levels;
  const auto keep = [&](double v) {
    // Strictly inside: a level at the extreme value would trace single points.
    if (v > lo && v < hi) levels.push_back(v);
  };
  if (scale == Scale::Linear) {
    for (const Tick& t : linearTicks({lo, hi}, targetCount + 1)) keep(t.value);
    return levels;
  }
  if (!(lo > 0.0)) return levels;
  const double l0 = std::log10(lo), l1 = std::log10(hi);
  const double step = niceStep({l0, l1}, targetCount + 1);
  if (step >= 1.0) {
    const double decades = std::max(1.0, std::round(step));
    for (double k = std::ceil(l0 / decades); k * decades <= l1; k += 1.0) keep(std::pow(10.0, k * decades));
    return levels;
  }
  static constexpr std::array<int, 3> kOneTwoFive = {1, 2, 5};
  static constexpr std::array<int, 9> kAll = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  const std::span<const int> mantissas = step >= 0.15 ? std::span<const int>(kOneTwoFive) : std::span<const int>(kAll);
  for (int d = static_cast<int>(std::floor(l0)); d <= static_cast<int>(std::ceil(l1)); ++d)
    for (int m : mantissas) keep(m * std::pow(10.0, d));
  return levels;
}

std::vector<ContourSeries> contourSeries(const HeatmapSeries& heatmap, std::span<const double> levels,
                                         const Style& style) {
  std::vector<ContourSeries> out;
  for (double level : levels) {
    ContourSeries s;
    s.level = level;
    s.style = style;
    s.polylines = marchingSquares(heatmap.values, heatmap.rows, heatmap.cols, heatmap.x, heatmap.y, level);
    if (!s.polylines.empty()) out.push_back(std::move(s));
  }
  return out;
}

}  // namespace attnlab
