#include "app/gui/figure_exporter.hpp"

#include <imgui.h>

#include <cstdlib>

namespace attnlab::gui {
namespace fs = std::filesystem;
namespace {

constexpr double kShowOutcomeSeconds = 8.0;

// PNGs at twice the logical size: crisp on slides and HiDPI screens.
exporting::ExportOptions optionsFor(exporting::FileFormat format, Theme theme) {
  exporting::ExportOptions options;
  options.theme = theme;
  options.width = 800.0;
  options.height = 600.0;
  options.scale = format == exporting::FileFormat::Png ? 2.0 : 1.0;
  return options;
}

// The window's figure as a file shows it: contour lines the window leaves to its shader
// (transparent polylines, labels only) are drawn, and a figure standing alone carries its
// legend (on screen one legend or strip may serve several plots).
Figure forFile(Figure figure) {
  for (Series& series : figure.series)
    if (auto* contour = std::get_if<ContourSeries>(&series); contour && contour->style.color && contour->style.color->a == 0.0f)
      contour->style.color.reset();
  figure.legend.visible = true;
  return figure;
}

}  // namespace

fs::path defaultExportDirectory() {
  if (const char* dir = std::getenv("ATTNLAB_EXPORT_DIR"); dir && *dir) return dir;
  std::error_code ec;
  return fs::current_path(ec) / "attnlab-figures";
}

FigureExporter::FigureExporter(fs::path directory) : directory_(std::move(directory)) {}

void FigureExporter::menuItems(const Figure& figure, Theme theme) {
  using exporting::FileFormat;
  ImGui::TextDisabled("Export to %s", directory_.string().c_str());
  for (auto [label, format] : {std::pair{"Export PNG", FileFormat::Png}, {"Export SVG", FileFormat::Svg},
                               {"Export PDF", FileFormat::Pdf}, {"Export CSV (data)", FileFormat::Csv},
                               {"Export JSON (data)", FileFormat::Json}})
    if (ImGui::MenuItem(label)) write(figure, format, theme);
}

std::optional<fs::path> FigureExporter::write(const Figure& shown, exporting::FileFormat format, Theme theme) {
  const Figure figure = forFile(shown);
  const std::string name = figure.name.empty() ? "figure" : figure.name;
  const fs::path path = directory_ / (name + std::string(exporting::formatExtension(format)));
  try {
    std::error_code ec;
    fs::create_directories(directory_, ec);
    exporting::writeFigure(figure, optionsFor(format, theme), path);
  } catch (const std::exception& e) {
    note(std::string("export failed: ") + e.what(), true);
    return std::nullopt;
  }
  note("saved " + path.string(), false);
  return path;
}

int FigureExporter::writeAll(const std::vector<const Figure*>& figures, Theme theme) {
  using exporting::FileFormat;
  int written = 0;
  for (const Figure* figure : figures)
    for (FileFormat format : {FileFormat::Png, FileFormat::Svg, FileFormat::Pdf, FileFormat::Csv})
      if (!write(*figure, format, theme)) return written;
      else ++written;
  note("saved " + std::to_string(written) + " files in " + directory_.string(), false);
  return written;
}

std::optional<FigureExporter::Outcome> FigureExporter::recentOutcome() const {
  if (last_.message.empty()) return std::nullopt;
  const double age = std::chrono::duration<double>(std::chrono::steady_clock::now() - lastAt_).count();
  if (age > kShowOutcomeSeconds) return std::nullopt;
  return last_;
}

void FigureExporter::note(std::string message, bool error) {
  last_ = Outcome{std::move(message), error};
  lastAt_ = std::chrono::steady_clock::now();
}

}  // namespace attnlab::gui
