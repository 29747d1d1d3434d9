// `attnlab export` (cli.md, "export"): every figure of every lesson, in every format,
// rebuilt with no display (DISPLAY unset); --list; and bad input as cli.md's rules demand.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <utility>
#include <vector>
#include <sstream>
#include <nlohmann/json.hpp>

#include "cli/cli_testing.hpp"

namespace attnlab {
namespace {

namespace fs = std::filesystem;
using clitest::attnlab;
using clitest::Outcome;
using nlohmann::json;

const fs::path kLessons = fs::path(ATTNLAB_FIXTURES).parent_path().parent_path().parent_path() / "assets" / "lessons";

std::vector<fs::path> lessons() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(kLessons))
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

class ExportCli : public ::testing::Test {
 protected:
  void SetUp() override {
    unsetenv("DISPLAY");  // headless: no X server may be needed
    dir_ = fs::temp_directory_path() / ("attnlab_export_cli_" + std::to_string(getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  void expectRejected(const std::vector<std::string>& args, const std::string& mentions) const {
    const Outcome r = attnlab(args);
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_EQ(r.err.rfind("attnlab: error: ", 0), 0u) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_NE(r.err.find(mentions), std::string::npos) << r.err;
    EXPECT_TRUE(fs::is_empty(dir_)) << "a file was left behind";
  }

  fs::path dir_;
};

std::vector<std::string> figureNames(const fs::path& session) {
  const Outcome r = attnlab({"export", session.string(), "--list"});
  EXPECT_EQ(r.status, 0) << r.err;
  std::vector<std::string> names;
  const json listed = json::parse(r.out);  // kept: iterating a member of a temporary would dangle
  for (const json& name : listed.at("figures")) names.push_back(name.get<std::string>());
  return names;
}

TEST_F(ExportCli, ListNamesTheRegressionFigures) {
  ASSERT_GE(lessons().size(), 3u);
  const auto names = figureNames(kLessons / "02_pca_plane.json");
  EXPECT_EQ(names, (std::vector<std::string>{"landscape", "loss", "grad_norm", "plane_distance", "surface"}));
  // Two parameters: the landscape is the whole loss, no plane to be off.
  EXPECT_EQ(figureNames(kLessons / "01_softmax_landscape.json"),
            (std::vector<std::string>{"landscape", "loss", "grad_norm", "surface"}));
  EXPECT_EQ(figureNames(kLessons / "05_attention.json"),
            (std::vector<std::string>{"attention_exact", "attention_kernel", "attention_difference", "error_vs_length",
                                      "error_vs_features", "time_vs_length"}));
}

TEST_F(ExportCli, AttentionMatrixSvgNamesItsAxesAndKernel) {
  const fs::path svg = dir_ / "kernel.svg", csv = dir_ / "kernel.csv";
  const std::string lesson = (kLessons / "05_attention.json").string();
  ASSERT_EQ(attnlab({"export", lesson, "--figure", "attention_kernel", "--out", svg.string()}).status, 0);
  std::ifstream s(svg);
  const std::string text((std::istreambuf_iterator<char>(s)), {});
  EXPECT_NE(text.find(">key j<"), std::string::npos);
  EXPECT_NE(text.find(">query i<"), std::string::npos);
  EXPECT_NE(text.find("favor, m = 64"), std::string::npos);
  // The CSV holds the L×L weights: every row of the matrix sums to one.
  ASSERT_EQ(attnlab({"export", lesson, "--figure", "attention_kernel", "--out", csv.string()}).status, 0);
  std::ifstream c(csv);
  std::string line;
  std::getline(c, line);
  std::size_t cells = 0;
  std::map<std::string, double> rowSums;  // by y (the query)
  while (std::getline(c, line)) {
    ++cells;
    std::vector<std::string> fields;
    std::stringstream cellText(line);
    for (std::string field; std::getline(cellText, field, ',');) fields.push_back(field);
    ASSERT_EQ(fields.size(), 9u) << line;
    rowSums[fields[5]] += std::stod(fields[8]);
  }
  EXPECT_EQ(cells, 64u * 64u);
  ASSERT_EQ(rowSums.size(), 64u);
  for (const auto& [query, sum] : rowSums) EXPECT_NEAR(sum, 1.0, 1e-9) << "query at y = " << query;
}

// Read back as a user's tools would: the PNG's size from its header, the SVG through
// xmllint, the PDF rendered by pdftoppm to a page with ink on it.
std::pair<int, int> pngSize(const fs::path& png) {
  std::ifstream in(png, std::ios::binary);
  unsigned char header[24] = {};
  in.read(reinterpret_cast<char*>(header), 24);
  const auto be32 = [&](int at) { return header[at] << 24 | header[at + 1] << 16 | header[at + 2] << 8 | header[at + 3]; };
  return {be32(16), be32(20)};
}

bool svgParses(const fs::path& svg) {
  if (std::string(ATTNLAB_XMLLINT).empty()) return true;  // no xmllint: checked in tests/export too
  return std::system(("'" + std::string(ATTNLAB_XMLLINT) + "' --noout '" + svg.string() + "' 2>/dev/null").c_str()) == 0;
}

// The share of a grey rendering of the PDF's page that is not white.
double pdfInk(const fs::path& pdf) {
  if (std::string(ATTNLAB_PDFTOPPM).empty()) return 1.0;
  const fs::path base = pdf.parent_path() / (pdf.stem().string() + "_page");
  const std::string cmd = "'" + std::string(ATTNLAB_PDFTOPPM) + "' -gray -r 24 -singlefile '" + pdf.string() + "' '" +
                          base.string() + "' 2>/dev/null";
  if (std::system(cmd.c_str()) != 0) return 0.0;
  std::ifstream in(base.string() + ".pgm", std::ios::binary);
  std::string magic;
  int width = 0, height = 0, maxValue = 0;
  in >> magic >> width >> height >> maxValue;
  in.get();
  std::vector<unsigned char> grey(std::size_t(width) * height);
  in.read(reinterpret_cast<char*>(grey.data()), std::streamsize(grey.size()));
  fs::remove(base.string() + ".pgm");
  if (magic != "P5" || grey.empty()) return 0.0;
  return double(std::count_if(grey.begin(), grey.end(), [](unsigned char g) { return g < 200; })) / grey.size();
}

// The "Unseen symbols" lab headless: its lesson lists the three figures, and each one's
// files carry the experiment (the kernels' names as SVG text, the numbers in the CSV).
TEST_F(ExportCli, TemplatesFiguresExportHeadless) {
  const fs::path lesson = kLessons / "06_unseen_symbols.json";
  const Outcome listed = attnlab({"export", lesson.string(), "--list"});
  ASSERT_EQ(listed.status, 0) << listed.err;
  EXPECT_EQ(json::parse(listed.out).at("lab"), "templates");
  EXPECT_EQ(figureNames(lesson), (std::vector<std::string>{"test_error", "kernel_matrix", "template_spectrum",
                                                            "copy_task", "copy_task_width"}));
  // A small session of its own, so the test stays quick; the lesson's own run is covered below.
  const fs::path session = dir_ / "templates.json";
  std::ofstream(session) << R"({"version": 1, "lab": "templates",
    "templates": {"task": "aba_abb", "kernels": ["transformer", "mlp"], "train_sizes": [6, 24], "test_size": 40,
                  "samples": 100, "seed": 2, "copy": {"embeddings": [8, 64], "steps": 40}}})";
  const auto read = [](const fs::path& file) {
    std::ifstream in(file);
    return std::string((std::istreambuf_iterator<char>(in)), {});
  };
  for (const char* name : {"test_error", "kernel_matrix", "template_spectrum", "copy_task", "copy_task_width"})
    for (const char* ext : {".svg", ".png", ".pdf", ".csv"}) {
      const fs::path out = dir_ / (std::string(name) + ext);
      const Outcome r = attnlab({"export", session.string(), "--figure", name, "--out", out.string()});
      ASSERT_EQ(r.status, 0) << name << ext << ": " << r.err;
      EXPECT_GT(fs::file_size(out), 200u) << out;
    }
  EXPECT_NE(read(dir_ / "test_error.svg").find("transformer K_trans"), std::string::npos);
  EXPECT_NE(read(dir_ / "test_error.svg").find("αβα vs αββ"), std::string::npos);
  EXPECT_NE(read(dir_ / "template_spectrum.svg").find("κ(N)"), std::string::npos);
  EXPECT_NE(read(dir_ / "kernel_matrix.svg").find("αββ"), std::string::npos);
  EXPECT_NE(read(dir_ / "copy_task_width.svg").find("Thm 4.2"), std::string::npos);
  EXPECT_NE(read(dir_ / "copy_task.svg").find("d_emb = 64"), std::string::npos);
  const fs::path bad = dir_ / "bad.json";
  std::ofstream(bad) << R"({"version": 1, "lab": "templates", "templates": {"train_sizes": [8, -1]}})";
  const Outcome r = attnlab({"export", bad.string(), "--list"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("templates.train_sizes"), std::string::npos) << r.err;
}

TEST_F(ExportCli, EveryFigureOfEveryLessonInEveryFormat) {
  for (const fs::path& lesson : lessons())
    for (const std::string& name : figureNames(lesson))
      for (const char* ext : {".png", ".svg", ".pdf", ".csv", ".json"}) {
        const fs::path out = dir_ / (lesson.stem().string() + "_" + name + ext);
        const Outcome r = attnlab({"export", lesson.string(), "--figure", name, "--out", out.string(), "--size", "640x480"});
        ASSERT_EQ(r.status, 0) << lesson << " " << name << ext << ": " << r.err;
        const json summary = json::parse(r.out);
        EXPECT_EQ(summary.at("figure"), name);
        EXPECT_TRUE(summary.at("seconds").is_number());
        EXPECT_GT(fs::file_size(out), 200u) << out;
        const std::string e = ext;
        if (e == ".png") EXPECT_EQ(pngSize(out), std::make_pair(640, 480)) << out;
        if (e == ".svg") EXPECT_TRUE(svgParses(out)) << out;
        if (e == ".pdf") EXPECT_GT(pdfInk(out), 0.02) << out;
        fs::remove(out);  // the checks that need no file are done
      }
}

TEST_F(ExportCli, PngHasTheRequestedSizeAndSvgKeepsItsText) {
  const fs::path png = dir_ / "loss.png", svg = dir_ / "loss.svg";
  const std::string lesson = (kLessons / "01_softmax_landscape.json").string();
  ASSERT_EQ(attnlab({"export", lesson, "--figure", "loss", "--out", png.string(), "--size", "700x500", "--scale", "2"}).status, 0);
  std::ifstream in(png, std::ios::binary);
  unsigned char header[24];
  in.read(reinterpret_cast<char*>(header), 24);
  const auto be32 = [&](int at) { return header[at] << 24 | header[at + 1] << 16 | header[at + 2] << 8 | header[at + 3]; };
  EXPECT_EQ(be32(16), 1400);
  EXPECT_EQ(be32(20), 1000);
  ASSERT_EQ(attnlab({"export", lesson, "--figure", "loss", "--out", svg.string(), "--theme", "print"}).status, 0);
  std::ifstream s(svg);
  const std::string text((std::istreambuf_iterator<char>(s)), {});
  EXPECT_NE(text.find(">iteration t<"), std::string::npos);
  EXPECT_NE(text.find("Newton"), std::string::npos);
}

// The 3-D view, headless: a picture of the requested size with many colours (a lit,
// colormapped mesh), an SVG xmllint accepts with the axis names as text, a PDF, and a CSV
// of the polygons with the loss each stands for.
TEST_F(ExportCli, SurfaceExportsHeadless) {
  const std::string lesson = (kLessons / "01_softmax_landscape.json").string();
  const fs::path png = dir_ / "surface.png", svg = dir_ / "surface.svg", pdf = dir_ / "surface.pdf",
                 csv = dir_ / "surface.csv";
  ASSERT_EQ(attnlab({"export", lesson, "--figure", "surface", "--out", png.string(), "--size", "900x700"}).status, 0);
  std::ifstream in(png, std::ios::binary);
  unsigned char header[24];
  in.read(reinterpret_cast<char*>(header), 24);
  const auto be32 = [&](int at) { return header[at] << 24 | header[at + 1] << 16 | header[at + 2] << 8 | header[at + 3]; };
  EXPECT_EQ(be32(16), 900);
  EXPECT_EQ(be32(20), 700);

  ASSERT_EQ(attnlab({"export", lesson, "--figure", "surface", "--out", svg.string()}).status, 0);
  std::ifstream s(svg);
  const std::string text((std::istreambuf_iterator<char>(s)), {});
  for (const char* name : {">x₁</text>", ">x₂</text>", ">log₁₀ L</text>", "Newton</text>"})
    EXPECT_NE(text.find(name), std::string::npos) << name;
  if (std::system("command -v xmllint > /dev/null 2>&1") == 0) {
    EXPECT_EQ(std::system(("xmllint --noout '" + svg.string() + "'").c_str()), 0);
  }

  ASSERT_EQ(attnlab({"export", lesson, "--figure", "surface", "--out", pdf.string()}).status, 0);
  EXPECT_GT(fs::file_size(pdf), 10000u);

  ASSERT_EQ(attnlab({"export", lesson, "--figure", "surface", "--out", csv.string()}).status, 0);
  std::ifstream c(csv);
  std::string header_line, first;
  std::getline(c, header_line);
  std::getline(c, first);
  EXPECT_EQ(first.rfind("0,polygons,", 0), 0u) << first;
  std::size_t corners = 1;
  for (std::string row; std::getline(c, row);) corners += row.rfind("0,polygons,", 0) == 0 ? 1 : 0;
  EXPECT_EQ(corners, 64u * 64u * 4u) << "a 256² grid is drawn as 64² quads";
}

TEST_F(ExportCli, BadInputIsOneLineAndLeavesNoFile) {
  const std::string lesson = (kLessons / "02_pca_plane.json").string();
  const std::string out = (dir_ / "x.png").string();
  expectRejected({"export", lesson, "--figure", "nonesuch", "--out", out}, "nonesuch");
  // The bounds lab has no 3-D view.
  expectRejected({"export", (kLessons / "04_shift_bounds.json").string(), "--figure", "surface", "--out", out},
                 "surface");
  expectRejected({"export", lesson, "--figure", "loss", "--out", (dir_ / "x.gif").string()}, ".gif");
  expectRejected({"export", lesson, "--figure", "loss", "--out", (dir_ / "no" / "x.png").string()}, "--out");
  expectRejected({"export", lesson, "--out", out}, "--figure");
  expectRejected({"export", lesson, "--figure", "loss", "--out", out, "--size", "5x5"}, "--size");
  expectRejected({"export", lesson, "--figure", "loss", "--out", out, "--theme", "neon"}, "--theme");
  expectRejected({"export", (dir_ / "missing.json").string(), "--list"}, "missing.json");
  const fs::path bad = fs::temp_directory_path() / ("attnlab_bad_session_" + std::to_string(getpid()) + ".json");
  std::ofstream(bad) << R"({"version": 1, "regression": {"kind": "softmaxx"}})";
  expectRejected({"export", bad.string(), "--list"}, "regression.kind");
  fs::remove(bad);
}

}  // namespace
}  // namespace attnlab
