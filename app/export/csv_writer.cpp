#include "app/export/csv_writer.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <iterator>
#include <optional>
#include <variant>

namespace attnlab::exporting {
namespace {

void appendNumber(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "nan";
  } else if (std::isinf(v)) {
    out += v > 0 ? "inf" : "-inf";
  } else {
    char buffer[32];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, v).ptr;
    out.append(buffer, end);
  }
}

// RFC 4180: quoted when it holds a comma, a quote or a line break; quotes doubled.
void appendText(std::string& out, const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) {
    out += text;
    return;
  }
  out += '"';
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

struct Row {
  std::optional<double> x = std::nullopt, y = std::nullopt, lower = std::nullopt, upper = std::nullopt,
                        value = std::nullopt;
  std::optional<std::size_t> part = std::nullopt;
};

class Table {
 public:
  explicit Table(std::string& out) : out_(out) { out_ += "series,type,label,part,x,y,lower,upper,value\n"; }

  void begin(std::size_t index, const char* type, const std::string& label) {
    index_ = index;
    type_ = type;
    label_ = &label;
  }

  void add(const Row& row) {
    out_ += std::to_string(index_);
    out_ += ',';
    out_ += type_;
    out_ += ',';
    appendText(out_, *label_);
    out_ += ',';
    if (row.part) out_ += std::to_string(*row.part);
    for (const auto& cell : {row.x, row.y, row.lower, row.upper, row.value}) {
      out_ += ',';
      if (cell) appendNumber(out_, *cell);
    }
    out_ += '\n';
  }

 private:
  std::string& out_;
  std::size_t index_ = 0;
  const char* type_ = "";
  const std::string* label_ = nullptr;
};

void rows(Table& t, const LineSeries& s) {
  for (std::size_t i = 0; i < std::min(s.xs.size(), s.ys.size()); ++i) t.add({.x = s.xs[i], .y = s.ys[i]});
}
void rows(Table& t, const MarkerSeries& s) {
  for (std::size_t i = 0; i < std::min(s.xs.size(), s.ys.size()); ++i) t.add({.x = s.xs[i], .y = s.ys[i]});
}
void rows(Table& t, const AreaSeries& s) {
  for (std::size_t i = 0; i < std::min({s.xs.size(), s.lower.size(), s.upper.size()}); ++i)
    t.add({.x = s.xs[i], .lower = s.lower[i], .upper = s.upper[i]});
}
void rows(Table& t, const BarSeries& s) {
  for (std::size_t i = 0; i < std::min(s.xs.size(), s.heights.size()); ++i) t.add({.x = s.xs[i], .y = s.heights[i]});
}
void rows(Table& t, const HeatmapSeries& s) {
  if (s.values.size() != static_cast<std::size_t>(std::max(s.rows, 0)) * static_cast<std::size_t>(std::max(s.cols, 0)))
    return;
  for (int row = 0; row < s.rows; ++row) {
    const double y = s.rows > 1 ? s.y.min + row * s.y.span() / (s.rows - 1) : s.y.min;
    for (int col = 0; col < s.cols; ++col) {
      const double x = s.cols > 1 ? s.x.min + col * s.x.span() / (s.cols - 1) : s.x.min;
      t.add({.x = x, .y = y, .value = s.at(row, col)});
    }
  }
}
void rows(Table& t, const ContourSeries& s) {
  for (std::size_t k = 0; k < s.polylines.size(); ++k) {
    const Polyline& p = s.polylines[k];
    for (std::size_t i = 0; i < std::min(p.xs.size(), p.ys.size()); ++i)
      t.add({.x = p.xs[i], .y = p.ys[i], .value = s.level, .part = k});
  }
}

// A polygon's corners, `part` numbering the polygon, `value` its datum (when it has one).
void rows(Table& t, const PolygonSeries& s) {
  for (std::size_t k = 0; k < s.polygons.size(); ++k) {
    const Polyline& p = s.polygons[k];
    const std::optional<double> value = k < s.values.size() ? std::optional<double>(s.values[k]) : std::nullopt;
    for (std::size_t i = 0; i < std::min(p.xs.size(), p.ys.size()); ++i)
      t.add({.x = p.xs[i], .y = p.ys[i], .value = value, .part = k});
  }
}

const char* typeName(const Series& s) {
  constexpr const char* kNames[] = {"line", "markers", "area", "bars", "heatmap", "contour", "polygons"};
  static_assert(std::size(kNames) == std::variant_size_v<Series>);
  return kNames[s.index()];
}

}  // namespace

std::string figureCsv(const Figure& figure) {
  std::string out;
  Table table(out);
  for (std::size_t i = 0; i < figure.series.size(); ++i) {
    const Series& series = figure.series[i];
    table.begin(i, typeName(series), seriesLabel(series));
    std::visit([&](const auto& s) { rows(table, s); }, series);
  }
  return out;
}

}  // namespace attnlab::exporting
