// Right-click any plot → Export PNG / SVG / PDF / CSV / JSON, and File → Export all figures:
// the window's figures written through app/export, the same code `attnlab export` uses, so
// the file holds the picture on screen (in the window's theme). Files go to one folder —
// $ATTNLAB_EXPORT_DIR, else ./attnlab-figures — named after the figure ("loss.svg"); the
// last outcome is kept for the status bar.
#pragma once
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "app/export/export.hpp"
#include "core/figure/figure.hpp"

namespace attnlab::gui {

std::filesystem::path defaultExportDirectory();

class FigureExporter {
 public:
  explicit FigureExporter(std::filesystem::path directory = defaultExportDirectory());

  // The menu entries, for DrawFigure's right-click menu (inside an open ImGui menu/popup).
  void menuItems(const Figure& figure, Theme theme);

  // Writes `figure` as directory/<name><ext>; records the outcome; returns the path written,
  // or nothing on failure (the message says why). Never throws.
  std::optional<std::filesystem::path> write(const Figure& figure, exporting::FileFormat format, Theme theme);
  // Every figure in every picture format and as CSV; returns how many files were written.
  int writeAll(const std::vector<const Figure*>& figures, Theme theme);

  // What the last export did, for a few seconds after it (the status bar shows it).
  struct Outcome {
    std::string message;
    bool error = false;
  };
  std::optional<Outcome> recentOutcome() const;

  const std::filesystem::path& directory() const { return directory_; }
  void setDirectory(std::filesystem::path directory) { directory_ = std::move(directory); }

 private:
  void note(std::string message, bool error);

  std::filesystem::path directory_;
  Outcome last_;
  std::chrono::steady_clock::time_point lastAt_{};
};

}  // namespace attnlab::gui
