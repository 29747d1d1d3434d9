// app/export: a figure holding every kind of series written as PNG, SVG, PDF, CSV and JSON,
// and each file read back the way a user would meet it — the PNG decoded by Cairo, the SVG
// parsed by xmllint, the PDF rendered by pdftoppm — then checked for its size, for ink in
// the plot area, for its text, and for its columns. Failed writes leave nothing behind.
#include <cairo.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "app/export/export.hpp"
#include "core/errors.hpp"
#include "core/figure/contour.hpp"

namespace attnlab::exporting {
namespace {

namespace fs = std::filesystem;

// [SECTION] A figure with everything
Figure everySeriesFigure() {
  Figure f;
  f.name = "everything";
  f.title = "Every series — ‖∇L‖ ≤ β";
  f.x.label = "step α";
  f.y.label = "‖∇L(x)‖₂ · 10⁻³";
  HeatmapSeries h;
  h.rows = 24;
  h.cols = 32;
  h.x = {0.0, 10.0};
  h.y = {-2.0, 6.0};
  for (int r = 0; r < h.rows; ++r)
    for (int c = 0; c < h.cols; ++c) h.values.push_back(std::sin(0.3 * c) * std::cos(0.25 * r) + 0.05 * c);
  h.values[5] = std::nan("");  // a hole: the no-data grey
  h.colormap = "magma";
  const std::vector<ContourSeries> contours = contourSeries(h, contourLevels(heatmapValueRange(h), Scale::Linear, 5));
  f.colorbar = Colorbar{"L(x)", "magma", Scale::Linear, heatmapValueRange(h)};
  f.series.push_back(std::move(h));
  for (const ContourSeries& c : contours) f.series.push_back(c);

  AreaSeries band{"band", {0, 2, 4, 6, 8, 10}, {0, 0.5, 1, 1.2, 1.1, 0.8}, {1, 1.8, 2.5, 2.9, 2.6, 2.0}, std::nullopt, 0.3f};
  f.series.push_back(band);
  BarSeries a{"bars a", {1, 3, 5, 7, 9}, {1, 2, 3, 2.5, 1.5}, 1.2, std::nullopt};
  BarSeries b{"bars b", {1, 3, 5, 7, 9}, {0.5, 1.5, 2, 3, 2}, 1.2, std::nullopt};
  f.series.push_back(a);
  f.series.push_back(b);
  LineSeries line;
  line.label = "gd, η = 0.1";
  line.style.dash = Dash::Dashed;
  line.markers = Marker{MarkerShape::Square, 3.5f, true};
  for (int i = 0; i <= 20; ++i) {
    line.xs.push_back(0.5 * i);
    line.ys.push_back(5.0 - 0.4 * i + 0.3 * std::sin(i));
  }
  f.series.push_back(line);
  MarkerSeries markers{"samples", {1, 2, 3, 4}, {4, 3.5, 4.5, 5}, Marker{MarkerShape::TriangleUp, 5.0f, false},
                       std::nullopt};
  f.series.push_back(markers);
  f.annotations.push_back(Annotation{5.0, 3.0, "minimum ≈ β₁", 14.0f, -14.0f, true, std::nullopt, true});
  f.legend.location = LegendLocation::NorthWest;
  return f;
}

// [SECTION] Reading files back
struct Image {
  int width = 0, height = 0;
  std::vector<std::uint32_t> argb;  // row-major
  std::uint32_t at(int x, int y) const { return argb[static_cast<std::size_t>(y) * width + x]; }
};

Image readPng(const fs::path& path) {
  cairo_surface_t* s = cairo_image_surface_create_from_png(path.c_str());
  Image image;
  if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS) {
    cairo_surface_flush(s);
    image.width = cairo_image_surface_get_width(s);
    image.height = cairo_image_surface_get_height(s);
    const int stride = cairo_image_surface_get_stride(s);
    const unsigned char* data = cairo_image_surface_get_data(s);
    for (int y = 0; y < image.height; ++y)
      for (int x = 0; x < image.width; ++x)
        image.argb.push_back(reinterpret_cast<const std::uint32_t*>(data + static_cast<std::size_t>(y) * stride)[x]);
  }
  cairo_surface_destroy(s);
  return image;
}

// Distinct colours and the spread of brightness over the middle of the page (the plot area
// of any sane layout): a blank or one-colour page has one colour and no spread.
struct InkStats {
  std::size_t colors = 0;
  double brightnessStdDev = 0.0;
};

InkStats inkStats(const Image& image) {
  std::set<std::uint32_t> colors;
  double sum = 0, sum2 = 0;
  int n = 0;
  for (int y = image.height / 4; y < 3 * image.height / 4; ++y)
    for (int x = image.width / 4; x < 3 * image.width / 4; ++x) {
      const std::uint32_t p = image.at(x, y);
      colors.insert(p);
      const double v = ((p >> 16) & 255) + ((p >> 8) & 255) + (p & 255);
      sum += v;
      sum2 += v * v;
      ++n;
    }
  const double mean = sum / n;
  return {colors.size(), std::sqrt(std::max(0.0, sum2 / n - mean * mean))};
}

std::string readText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

int run(const std::string& command) { return std::system(command.c_str()); }

class FigureExport : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "attnlab-export-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::add);
    fs::remove_all(dir_);
  }
  std::size_t filesInDir() const { return std::distance(fs::directory_iterator(dir_), fs::directory_iterator()); }

  fs::path dir_;
  Figure figure_ = everySeriesFigure();
};

// [SECTION] Formats
TEST_F(FigureExport, PngHasTheRequestedSizeAndInk) {
  ExportOptions options;
  options.width = 640;
  options.height = 480;
  for (double scale : {1.0, 2.0}) {
    options.scale = scale;
    const fs::path path = dir_ / ("figure@" + std::to_string(int(scale)) + "x.png");
    writeFigure(figure_, options, path);
    const Image image = readPng(path);
    EXPECT_EQ(image.width, int(640 * scale));
    EXPECT_EQ(image.height, int(480 * scale));
    const InkStats ink = inkStats(image);
    EXPECT_GT(ink.colors, 100u) << "the plot area looks blank";
    EXPECT_GT(ink.brightnessStdDev, 20.0);
  }
}

TEST_F(FigureExport, SvgParsesAndKeepsItsTextAsText) {
  const fs::path path = dir_ / "figure.svg";
  writeFigure(figure_, {}, path);
  if (std::string(ATTNLAB_XMLLINT).empty()) GTEST_SKIP() << "xmllint not found";
  EXPECT_EQ(run(std::string(ATTNLAB_XMLLINT) + " --noout '" + path.string() + "'"), 0);
  const std::string svg = readText(path);
  for (const std::string& text : {figure_.title, figure_.x.label, figure_.y.label, std::string("L(x)"),
                                  std::string("gd, η = 0.1"), std::string("minimum ≈ β₁")})
    EXPECT_NE(svg.find(">" + text + "</text>"), std::string::npos) << text;
  EXPECT_NE(svg.find("data:image/png;base64,"), std::string::npos) << "the heatmap is embedded as an image";
  EXPECT_EQ(svg.find("<symbol"), std::string::npos) << "glyphs turned into outlines";
}

TEST_F(FigureExport, PdfRendersToAPageWithInk) {
  const fs::path path = dir_ / "figure.pdf";
  writeFigure(figure_, {}, path);
  EXPECT_EQ(readText(path).rfind("%PDF-", 0), 0u);
  if (std::string(ATTNLAB_PDFTOPPM).empty()) GTEST_SKIP() << "pdftoppm not found";
  const fs::path prefix = dir_ / "page";
  ASSERT_EQ(run(std::string(ATTNLAB_PDFTOPPM) + " -png -r 50 -singlefile '" + path.string() + "' '" + prefix.string() +
                "'"),
            0);
  const Image page = readPng(prefix.string() + ".png");
  // 800×600 points at 50 dpi.
  EXPECT_NEAR(page.width, 800 * 50 / 72, 2);
  EXPECT_NEAR(page.height, 600 * 50 / 72, 2);
  const InkStats ink = inkStats(page);
  EXPECT_GT(ink.colors, 50u);
  EXPECT_GT(ink.brightnessStdDev, 20.0);
}

TEST_F(FigureExport, CsvHasNamedColumnsAndEverySeries) {
  const fs::path path = dir_ / "figure.csv";
  writeFigure(figure_, {}, path);
  std::istringstream in(readText(path));
  std::string header;
  std::getline(in, header);
  EXPECT_EQ(header, "series,type,label,part,x,y,lower,upper,value");
  std::set<std::string> types;
  std::size_t heatmapRows = 0;
  for (std::string row; std::getline(in, row);) {
    const auto first = row.find(','), second = row.find(',', first + 1);
    const std::string type = row.substr(first + 1, second - first - 1);
    types.insert(type);
    if (type == "heatmap") ++heatmapRows;
  }
  EXPECT_EQ(types, (std::set<std::string>{"line", "markers", "area", "bars", "heatmap", "contour"}));
  EXPECT_EQ(heatmapRows, 24u * 32u);
  EXPECT_NE(readText(path).find(",line,\"gd, η = 0.1\",,0,5,,,\n"), std::string::npos) << "label quoted, first point";
}

TEST_F(FigureExport, JsonHoldsEverySeries) {
  const fs::path path = dir_ / "figure.json";
  writeFigure(figure_, {}, path);
  const auto doc = nlohmann::json::parse(readText(path));
  EXPECT_EQ(doc["name"], "everything");
  EXPECT_EQ(doc["x"]["label"], figure_.x.label);
  ASSERT_EQ(doc["series"].size(), figure_.series.size());
  EXPECT_EQ(doc["series"][0]["type"], "heatmap");
  EXPECT_EQ(doc["series"][0]["values"].size(), 24u);
  EXPECT_TRUE(doc["series"][0]["values"][0][5].is_null()) << "NaN is written as null";
}

// [SECTION] A projected picture: filled polygons, no axes (the 3-D view's form)
Figure polygonFigure() {
  Figure f;
  f.name = "polygons";
  f.title = "Polygons";
  f.x.label = "hidden x";
  f.y.label = "hidden y";
  f.x.range = Range{-1.0, 1.0};
  f.y.range = Range{-1.0, 1.0};
  f.equalAspect = true;
  f.showAxes = false;
  f.colorbar = Colorbar{"L(x)", "viridis", Scale::Linear, Range{0.0, 1.0}};
  PolygonSeries mesh;
  mesh.label = "mesh";
  for (int j = 0; j < 8; ++j)
    for (int i = 0; i < 8; ++i) {
      const double x0 = -1.0 + 0.25 * i, y0 = -1.0 + 0.25 * j;
      mesh.polygons.push_back(Polyline{{x0, x0 + 0.25, x0 + 0.25, x0}, {y0, y0, y0 + 0.25, y0 + 0.25}, true});
      mesh.fills.push_back((i + j) % 2 == 0 ? Rgba{1.0f, 0.0f, 0.0f, 1.0f} : Rgba{0.0f, 0.0f, 1.0f, 1.0f});
      mesh.values.push_back(i + 8 * j);
    }
  f.series.push_back(std::move(mesh));
  Annotation name;
  name.x = 0.0;
  name.y = -0.9;
  name.text = "x₁ axis";
  name.dx = name.dy = 0.0f;
  name.marker = false;
  name.boxed = false;
  f.annotations.push_back(name);
  return f;
}

TEST_F(FigureExport, PolygonsFillInOrderWithNoAxes) {
  const Figure f = polygonFigure();
  EXPECT_TRUE(figureProblems(f).empty());
  ExportOptions options;
  options.width = 500;
  options.height = 400;
  const fs::path png = dir_ / "polygons.png";
  writeFigure(f, options, png);
  const Image image = readPng(png);
  ASSERT_EQ(image.width, 500);
  ASSERT_EQ(image.height, 400);
  // Red and blue cells, nothing else in them: count pure-ish red and blue pixels in the middle.
  std::size_t red = 0, blue = 0;
  for (int y = 150; y < 250; ++y)
    for (int x = 150; x < 300; ++x) {
      const std::uint32_t p = image.at(x, y);
      const int r = (p >> 16) & 255, b = p & 255;
      if (r > 200 && b < 60) ++red;
      if (b > 200 && r < 60) ++blue;
    }
  EXPECT_GT(red, 5000u);
  EXPECT_GT(blue, 5000u);

  const fs::path svg = dir_ / "polygons.svg";
  writeFigure(f, {}, svg);
  const std::string text = readText(svg);
  EXPECT_NE(text.find(">x₁ axis</text>"), std::string::npos);
  EXPECT_NE(text.find(">Polygons</text>"), std::string::npos);
  EXPECT_EQ(text.find("hidden x"), std::string::npos) << "no axis labels";
  if (!std::string(ATTNLAB_XMLLINT).empty()) {
    EXPECT_EQ(run(std::string(ATTNLAB_XMLLINT) + " --noout '" + svg.string() + "'"), 0);
  }

  const fs::path pdf = dir_ / "polygons.pdf";
  writeFigure(f, {}, pdf);
  EXPECT_EQ(readText(pdf).rfind("%PDF-", 0), 0u);

  const fs::path csv = dir_ / "polygons.csv";
  writeFigure(f, {}, csv);
  const std::string table = readText(csv);
  EXPECT_NE(table.find("0,polygons,mesh,0,-1,-1,,,0\n"), std::string::npos) << "first corner, its value";
  EXPECT_NE(table.find("0,polygons,mesh,63,1,1,,,63\n"), std::string::npos) << "last polygon, its value";
  EXPECT_EQ(std::count(table.begin(), table.end(), '\n'), 1 + 64 * 4);

  const fs::path json = dir_ / "polygons.json";
  writeFigure(f, {}, json);
  const auto doc = nlohmann::json::parse(readText(json));
  ASSERT_EQ(doc["series"][0]["type"], "polygons");
  ASSERT_EQ(doc["series"][0]["polygons"].size(), 64u);
  EXPECT_EQ(doc["series"][0]["polygons"][1]["fill"], nlohmann::json::parse("[0.0, 0.0, 1.0, 1.0]"));
  EXPECT_EQ(doc["series"][0]["polygons"][1]["value"], 1.0);
}

// [SECTION] Themes
TEST_F(FigureExport, ThemesDifferAndPrintIsWhite) {
  ExportOptions options;
  options.width = 320;
  options.height = 240;
  std::map<Theme, Image> images;
  for (Theme theme : kAllFigureThemes) {
    options.theme = theme;
    const fs::path path = dir_ / (std::string(themeName(theme)) + ".png");
    writeFigure(figure_, options, path);
    images[theme] = readPng(path);
  }
  EXPECT_EQ(images[Theme::Print].at(1, 1) & 0xFFFFFFu, 0xFFFFFFu);
  const std::uint32_t dark = images[Theme::Dark].at(1, 1);
  EXPECT_LT(((dark >> 16) & 255) + ((dark >> 8) & 255) + (dark & 255), 3u * 64u) << "dark ground";
  EXPECT_NE(images[Theme::Light].argb, images[Theme::Print].argb);
  EXPECT_NE(images[Theme::Light].argb, images[Theme::Dark].argb);
}

// [SECTION] Failures leave nothing
TEST_F(FigureExport, MissingDirectoryThrowsNamingTheFile) {
  const fs::path path = dir_ / "no" / "such" / "figure.png";
  try {
    writeFigure(figure_, {}, path);
    FAIL() << "no exception";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(path));
  EXPECT_EQ(filesInDir(), 0u);
}

TEST_F(FigureExport, ReadOnlyDirectoryThrowsAndLeavesNoFile) {
  for (const char* ext : {".png", ".svg", ".pdf", ".csv", ".json"}) {
    fs::path path;
    if (geteuid() == 0) {
      path = fs::path("/proc/self") / (std::string("figure") + ext);  // read-only even for root
    } else {
      fs::permissions(dir_, fs::perms::owner_read | fs::perms::owner_exec, fs::perm_options::replace);
      path = dir_ / (std::string("figure") + ext);
    }
    EXPECT_THROW(writeFigure(figure_, {}, path), InputError) << ext;
    EXPECT_FALSE(fs::exists(path)) << ext;
  }
  fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::replace);
  EXPECT_EQ(filesInDir(), 0u);
}

TEST_F(FigureExport, UnknownExtensionAndBadSizeWriteNothing) {
  EXPECT_THROW(writeFigure(figure_, {}, dir_ / "figure.txt"), InputError);
  ExportOptions tiny;
  tiny.width = 2;
  EXPECT_THROW(writeFigure(figure_, tiny, dir_ / "figure.png"), InputError);
  EXPECT_EQ(filesInDir(), 0u);
}

TEST_F(FigureExport, OverwritesAnExistingFileWhole) {
  const fs::path path = dir_ / "figure.svg";
  std::ofstream(path) << "old contents, much longer than nothing at all";
  writeFigure(figure_, {}, path);
  EXPECT_EQ(readText(path).rfind("<?xml", 0), 0u);
  EXPECT_EQ(filesInDir(), 1u) << "no temporary left over";
}

// [SECTION] Degenerate figures still make files
TEST_F(FigureExport, EmptyLogAndOnePointFiguresWrite) {
  Figure empty;
  empty.name = "empty";
  Figure log;
  log.name = "log";
  log.y.scale = Scale::Log10;
  log.x.label = "iteration t";
  log.series.push_back(LineSeries{"loss", {0, 1, 2, 3, 4}, {1.0, 1e-3, 0.0, -1.0, 1e-9}, {}, {}});  // ≤ 0 skipped
  log.series.push_back(BarSeries{"bars", {1, 2}, {1e-2, 1e-5}, 0.5, std::nullopt});
  Figure point;
  point.name = "point";
  point.series.push_back(MarkerSeries{"one", {3.0}, {3.0}, Marker{MarkerShape::Cross, 4.0f, true}, std::nullopt});
  point.series.push_back(LineSeries{"nan", {0.0, std::nan(""), 1.0}, {std::nan(""), 1.0, 2.0}, {}, {}});
  for (const Figure& f : {empty, log, point})
    for (const char* ext : {".png", ".svg", ".pdf", ".csv", ".json"}) {
      const fs::path path = dir_ / (f.name + ext);
      EXPECT_NO_THROW(writeFigure(f, {}, path)) << f.name << ext;
      EXPECT_GT(fs::file_size(path), 0u) << f.name << ext;
    }
  if (!std::string(ATTNLAB_XMLLINT).empty())
    EXPECT_EQ(run(std::string(ATTNLAB_XMLLINT) + " --noout '" + (dir_ / "log.svg").string() + "'"), 0);
  EXPECT_EQ(readPng(dir_ / "log.png").width, 800);
}

TEST(ExportFormats, ByExtensionCaseInsensitive) {
  EXPECT_EQ(formatFromPath("a/b.PNG"), FileFormat::Png);
  EXPECT_EQ(formatFromPath("b.svg"), FileFormat::Svg);
  EXPECT_EQ(formatFromPath("b.Pdf"), FileFormat::Pdf);
  EXPECT_EQ(formatFromPath("b.csv"), FileFormat::Csv);
  EXPECT_EQ(formatFromPath("b.json"), FileFormat::Json);
  EXPECT_EQ(formatFromPath("b.jpeg"), std::nullopt);
  EXPECT_EQ(formatFromPath("png"), std::nullopt);
}

}  // namespace
}  // namespace attnlab::exporting
