#include "app/cli/figure_options.hpp"

#include <algorithm>
#include <cmath>

#include "app/cli/cli_support.hpp"
#include "core/errors.hpp"

namespace attnlab::cli {
namespace {

InputLocation option(const std::string& name) { return InputLocation{{}, name, {}, {}}; }

// "WxH" in pixels (PDF: points), each side in 16 … 16384.
std::pair<double, double> parseSize(const std::string& text) {
  const auto x = text.find('x');
  if (x == std::string::npos) throw InputError("must be WxH, e.g. 800x600 (got '" + text + "')", option("--size"));
  const auto w = parseCount(text.substr(0, x), "--size", 16384);
  const auto h = parseCount(text.substr(x + 1), "--size", 16384);
  if (w < 16 || h < 16) throw InputError("each side must be at least 16 (got '" + text + "')", option("--size"));
  return {double(w), double(h)};
}

}  // namespace

void addFigureOptions(CLI::App& command, FigureOptionText& text) {
  command.add_option("--theme", text.theme, "figure theme: light, dark or print (white ground, larger type)")
      ->check(CLI::IsMember({"light", "dark", "print"}));
  command.add_option("--size", text.size, "figure size WxH in pixels (PDF: points)")->capture_default_str();
  command.add_option("--scale", text.scale, "PNG pixels per figure pixel (2: sharp on slides and HiDPI)")
      ->capture_default_str();
}

exporting::ExportOptions figureExportOptions(const FigureOptionText& text, Theme defaultTheme) {
  exporting::ExportOptions options;
  options.theme = text.theme.empty() ? defaultTheme : themeFromName(text.theme).value_or(defaultTheme);
  std::tie(options.width, options.height) = parseSize(text.size);
  if (!std::isfinite(text.scale) || !(text.scale > 0) ||
      text.scale * std::max(options.width, options.height) > 16384) {
    char value[32];
    std::snprintf(value, sizeof value, "%.17g", text.scale);
    throw InputError(std::string("must be > 0, with the image at most 16384 pixels a side (got ") + value + ")",
                     option("--scale"));
  }
  options.scale = text.scale;
  return options;
}

}  // namespace attnlab::cli
