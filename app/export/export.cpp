#include "app/export/export.hpp"

#include <cairo-pdf.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "app/export/cairo_painter.hpp"
#include "app/export/csv_writer.hpp"
#include "app/export/figure_layout.hpp"
#include "app/export/figure_painter.hpp"
#include "app/export/image_encoding.hpp"
#include "app/export/json_writer.hpp"
#include "app/export/svg_writer.hpp"
#include "app/export/text_metrics.hpp"
#include "core/errors.hpp"
#include "core/io/atomic_file.hpp"

namespace attnlab::exporting {
namespace {

// Pages beyond this are a mistake (a PNG of 16k × 16k pixels is already 1 GiB).
constexpr double kMaxPixels = 16384.0;

void checkOptions(const ExportOptions& o) {
  const auto bad = [](double v) { return !std::isfinite(v) || v < 16.0 || v > kMaxPixels; };
  if (bad(o.width) || bad(o.height))
    throw InputError("figure size must be within 16 … 16384 pixels on each side");
  if (!std::isfinite(o.scale) || o.scale <= 0.0 || o.width * o.scale > kMaxPixels || o.height * o.scale > kMaxPixels)
    throw InputError("PNG scale must be > 0, and the image at most 16384 pixels on each side");
}

using SurfacePtr = std::unique_ptr<cairo_surface_t, void (*)(cairo_surface_t*)>;
using ContextPtr = std::unique_ptr<cairo_t, void (*)(cairo_t*)>;

void paintOn(cairo_t* cr, const Figure& figure, const ExportOptions& o) {
  const TextMetrics metrics;
  const FigureLayout layout = layoutFigure(figure, o.theme, o.width, o.height, metrics);
  CairoPainter painter(cr);
  paintFigure(figure, o.theme, layout, metrics, painter);
}

void requireSuccess(cairo_status_t status, const char* what) {
  if (status != CAIRO_STATUS_SUCCESS)
    throw InputError(std::string(what) + " failed: " + cairo_status_to_string(status));
}

std::string renderPng(const Figure& figure, const ExportOptions& o) {
  const int w = static_cast<int>(std::lround(o.width * o.scale)), h = static_cast<int>(std::lround(o.height * o.scale));
  SurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h), cairo_surface_destroy);
  requireSuccess(cairo_surface_status(surface.get()), "creating the image");
  {
    ContextPtr cr(cairo_create(surface.get()), cairo_destroy);
    cairo_scale(cr.get(), o.scale, o.scale);
    paintOn(cr.get(), figure, o);
    requireSuccess(cairo_status(cr.get()), "drawing the figure");
  }
  std::string bytes;
  requireSuccess(cairo_surface_write_to_png_stream(surface.get(), appendToString, &bytes), "encoding the PNG");
  return bytes;
}

std::string renderPdf(const Figure& figure, const ExportOptions& o) {
  std::string bytes;
  {
    SurfacePtr surface(cairo_pdf_surface_create_for_stream(appendToString, &bytes, o.width, o.height),
                       cairo_surface_destroy);
    requireSuccess(cairo_surface_status(surface.get()), "creating the PDF");
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE,
                                   (figure.title.empty() ? figure.name : figure.title).c_str());
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "attnlab");
    {
      ContextPtr cr(cairo_create(surface.get()), cairo_destroy);
      paintOn(cr.get(), figure, o);
      requireSuccess(cairo_status(cr.get()), "drawing the figure");
    }
    cairo_surface_finish(surface.get());
    requireSuccess(cairo_surface_status(surface.get()), "writing the PDF");
  }
  return bytes;
}

std::string renderSvg(const Figure& figure, const ExportOptions& o) {
  const TextMetrics metrics;
  const FigureLayout layout = layoutFigure(figure, o.theme, o.width, o.height, metrics);
  SvgPainter painter(o.width, o.height, metrics);
  paintFigure(figure, o.theme, layout, metrics, painter);
  return painter.finish();
}

}  // namespace

std::optional<FileFormat> formatFromPath(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (FileFormat f : {FileFormat::Png, FileFormat::Svg, FileFormat::Pdf, FileFormat::Csv, FileFormat::Json})
    if (ext == formatExtension(f)) return f;
  return std::nullopt;
}

std::string_view formatExtension(FileFormat format) {
  switch (format) {
    case FileFormat::Png: return ".png";
    case FileFormat::Svg: return ".svg";
    case FileFormat::Pdf: return ".pdf";
    case FileFormat::Csv: return ".csv";
    case FileFormat::Json: return ".json";
  }
  return "";
}

std::string renderFigure(const Figure& figure, const ExportOptions& options, FileFormat format) {
  checkOptions(options);
  switch (format) {
    case FileFormat::Png: return renderPng(figure, options);
    case FileFormat::Svg: return renderSvg(figure, options);
    case FileFormat::Pdf: return renderPdf(figure, options);
    case FileFormat::Csv: return figureCsv(figure);
    case FileFormat::Json: return figureJson(figure);
  }
  return {};
}

void writeFigure(const Figure& figure, const ExportOptions& options, const std::filesystem::path& path) {
  const auto format = formatFromPath(path);
  if (!format)
    throw InputError("unknown format '" + path.extension().string() + "' (use .png, .svg, .pdf, .csv or .json)",
                     InputLocation{path.string(), {}, {}, {}});
  std::string bytes;
  try {
    bytes = renderFigure(figure, options, *format);
  } catch (const InputError& e) {
    throw InputError(e.message(), InputLocation{path.string(), {}, {}, {}});
  }
  writeFileAtomically(path, bytes);
}

}  // namespace attnlab::exporting
