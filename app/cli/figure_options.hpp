// The figure options every subcommand that draws shares: --theme, --size, --scale
// (landscape, export). Registered as text and checked in one place, with cli.md's errors.
#pragma once
#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "app/export/export.hpp"

namespace attnlab::cli {

struct FigureOptionText {
  std::string theme;  // empty: the default (light, or the session's theme)
  std::string size = "800x600";
  double scale = 1.0;
};

void addFigureOptions(CLI::App& command, FigureOptionText& text);

// Throws InputError naming the option when a value is out of range: WxH with sides in
// [16, 16384], scale > 0 with the PNG at most 16384 pixels a side.
exporting::ExportOptions figureExportOptions(const FigureOptionText& text, Theme defaultTheme = Theme::Light);

}  // namespace attnlab::cli
