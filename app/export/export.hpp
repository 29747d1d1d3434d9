// Figures to files, with no display: PNG, SVG and PDF drawn by one layout and painter
// (figure_layout, figure_painter) over Cairo or SVG markup, and the data behind a figure
// as CSV or JSON. The command line and the window both export through here.
//
//     exporting::ExportOptions options;
//     options.theme = Theme::Print;
//     exporting::writeFigure(figure, options, "landscape.pdf");
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "core/figure/figure.hpp"

namespace attnlab::exporting {

enum class FileFormat { Png, Svg, Pdf, Csv, Json };

struct ExportOptions {
  Theme theme = Theme::Light;
  double width = 800.0;   // the page in logical pixels (PDF: points; SVG: px)
  double height = 600.0;
  double scale = 1.0;     // PNG only: device pixels per logical pixel (2 for a sharp slide)
};

// By the extension, case-insensitive; nullopt for any other.
std::optional<FileFormat> formatFromPath(const std::filesystem::path& path);
std::string_view formatExtension(FileFormat format);  // ".png", …

// The file's bytes. Throws InputError for unusable options (a size out of range).
std::string renderFigure(const Figure& figure, const ExportOptions& options, FileFormat format);

// Renders into `path` (format by its extension) atomically: on any failure nothing is left
// at `path` and InputError names the file.
void writeFigure(const Figure& figure, const ExportOptions& options, const std::filesystem::path& path);

}  // namespace attnlab::exporting
