#include "app/cli/export_command.hpp"

#include <filesystem>
#include <memory>

#include "app/cli/cli_support.hpp"
#include "app/cli/figure_options.hpp"
#include "core/errors.hpp"
#include "core/labs/session_figures.hpp"

namespace attnlab::cli {
namespace {

namespace fs = std::filesystem;

struct ExportCommandOptions {
  std::string session;
  std::string figure;
  std::string out;
  bool list = false;
  FigureOptionText style;
};

void listFigures(const Session& session) {
  nlohmann::ordered_json names = nlohmann::ordered_json::array();
  for (const std::string& name : figureNames(session)) names.push_back(name);
  printJson({{"lab", std::string(labName(session.lab))}, {"figures", names}});
}

void exportFigure(const ExportCommandOptions& o, const Session& session) {
  if (o.figure.empty()) throw InputError("required (or --list)", optionField("--figure"));
  if (o.out.empty()) throw InputError("required", optionField("--out"));
  if (!exporting::formatFromPath(o.out))
    throw InputError("unknown format '" + fs::path(o.out).extension().string() + "' (use .png, .svg, .pdf, .csv or .json)",
                     optionField("--out"));
  const fs::path folder = fs::path(o.out).parent_path();
  if (!folder.empty() && !fs::is_directory(folder))
    throw InputError("no directory '" + folder.string() + "' to write into", optionField("--out"));
  const exporting::ExportOptions style = figureExportOptions(o.style, session.theme);

  WorkerPool pool;
  Progress progress;
  Figure figure;
  const double seconds =
      timeSeconds([&] { figure = figureOfSession(session, o.figure, style.theme, pool, progress); });
  exporting::writeFigure(figure, style, o.out);
  printJson({{"figure", o.figure}, {"out", o.out}, {"theme", std::string(themeName(style.theme))}, {"seconds", seconds}});
}

void runExport(const ExportCommandOptions& o) {
  const Session session = readSession(o.session);
  if (o.list) {
    if (!o.figure.empty() || !o.out.empty()) throw InputError("--list takes no --figure or --out", optionField("--list"));
    listFigures(session);
    return;
  }
  exportFigure(o, session);
}

}  // namespace

void addExportCommand(CLI::App& app) {
  auto o = std::make_shared<ExportCommandOptions>();
  CLI::App* command = app.add_subcommand("export", "Rebuild a figure of a saved session or lesson, headless");
  command->add_option("SESSION", o->session, "session or lesson file (JSON), as the window saves it")->required();
  command->add_option("--figure", o->figure, "the figure's name (see --list)");
  command->add_option("--out", o->out, "output file: .png, .svg, .pdf (the picture), .csv or .json (its data)");
  command->add_flag("--list", o->list, "print the session's figure names as JSON");
  addFigureOptions(*command, o->style);
  command->callback([o] { runExport(*o); });
}

}  // namespace attnlab::cli
