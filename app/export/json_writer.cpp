#include "app/export/json_writer.hpp"

#include <nlohmann/json.hpp>

namespace attnlab::exporting {
namespace {

using Json = nlohmann::ordered_json;

const char* scaleName(Scale s) { return s == Scale::Log10 ? "log10" : "linear"; }

Json rangeJson(Range r) { return Json::array({r.min, r.max}); }

Json axisJson(const Figure& f, AxisId id) {
  const Axis& a = id == AxisId::X ? f.x : f.y;
  return {{"label", a.label}, {"scale", scaleName(a.scale)}, {"range", rangeJson(viewRange(f, id))}};
}

Json seriesJson(const LineSeries& s) { return {{"type", "line"}, {"label", s.label}, {"x", s.xs}, {"y", s.ys}}; }
Json seriesJson(const MarkerSeries& s) { return {{"type", "markers"}, {"label", s.label}, {"x", s.xs}, {"y", s.ys}}; }
Json seriesJson(const AreaSeries& s) {
  return {{"type", "area"}, {"label", s.label}, {"x", s.xs}, {"lower", s.lower}, {"upper", s.upper}};
}
Json seriesJson(const BarSeries& s) {
  return {{"type", "bars"}, {"label", s.label}, {"x", s.xs}, {"height", s.heights}, {"width", s.width}};
}
Json seriesJson(const HeatmapSeries& s) {
  Json values = Json::array();
  for (int row = 0; row < s.rows && s.values.size() == static_cast<std::size_t>(s.rows) * s.cols; ++row) {
    const auto first = s.values.begin() + static_cast<std::ptrdiff_t>(row) * s.cols;
    values.push_back(std::vector<double>(first, first + s.cols));
  }
  return {{"type", "heatmap"},   {"label", s.label},    {"rows", s.rows},
          {"cols", s.cols},      {"x", rangeJson(s.x)}, {"y", rangeJson(s.y)},
          {"colormap", s.colormap}, {"scale", scaleName(s.scale)}, {"value_range", rangeJson(heatmapValueRange(s))},
          {"values", std::move(values)}};
}
Json seriesJson(const ContourSeries& s) {
  Json lines = Json::array();
  for (const Polyline& p : s.polylines) lines.push_back({{"x", p.xs}, {"y", p.ys}, {"closed", p.closed}});
  return {{"type", "contour"}, {"label", s.label}, {"level", s.level}, {"polylines", std::move(lines)}};
}

Json seriesJson(const PolygonSeries& s) {
  Json polygons = Json::array();
  for (std::size_t k = 0; k < s.polygons.size(); ++k) {
    const Polyline& p = s.polygons[k];
    Json polygon{{"x", p.xs}, {"y", p.ys}};
    if (k < s.fills.size()) {
      const Rgba& c = s.fills[k];
      polygon["fill"] = Json::array({c.r, c.g, c.b, c.a});
    }
    if (k < s.values.size()) polygon["value"] = s.values[k];
    polygons.push_back(std::move(polygon));
  }
  return {{"type", "polygons"}, {"label", s.label}, {"polygons", std::move(polygons)}};
}

}  // namespace

std::string figureJson(const Figure& figure) {
  Json doc;
  doc["name"] = figure.name;
  doc["title"] = figure.title;
  doc["x"] = axisJson(figure, AxisId::X);
  doc["y"] = axisJson(figure, AxisId::Y);
  if (figure.colorbar) {
    const Colorbar& c = *figure.colorbar;
    doc["colorbar"] = {{"label", c.label}, {"colormap", c.colormap}, {"scale", scaleName(c.scale)},
                       {"range", rangeJson(c.range)}};
  }
  Json series = Json::array();
  for (const Series& s : figure.series) series.push_back(std::visit([](const auto& v) { return seriesJson(v); }, s));
  doc["series"] = std::move(series);
  Json notes = Json::array();
  for (const Annotation& a : figure.annotations) notes.push_back({{"x", a.x}, {"y", a.y}, {"text", a.text}});
  doc["annotations"] = std::move(notes);
  return doc.dump() + "\n";
}

}  // namespace attnlab::exporting
