// [SECTION] options and their checks
// [SECTION] the plane: given (from the problem file), random, pca (from a solver run), axes
// [SECTION] output files: .json and .csv, written to a temporary name and renamed; figures
// [SECTION] the command
//
// Plane choice: --plane given reads the problem's "plane": {"u", "v", "span"} (peers/README.md,
// "Passing the plane"; u, v are d×d matrices for the attention kinds); without --plane the
// command uses that member when the file has one, --plane axes when --axes is given, and a
// random plane otherwise. The span is --span, else plane.span for a given plane, else 1.
// A trajectory (pca always, any plane when --method is given) is projected onto the plane.
#include "app/cli/landscape_command.hpp"


#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <tuple>

#include "app/cli/cli_support.hpp"
#include "app/cli/figure_options.hpp"
#include "app/export/export.hpp"
#include "core/io/atomic_file.hpp"
#include "core/io/json_problem.hpp"
#include "core/io/matrix_files.hpp"
#include "core/jobs/worker_pool.hpp"
#include "core/landscape/landscape.hpp"
#include "core/landscape/landscape_figure.hpp"
#include "core/solvers/approximate_newton.hpp"
#include "core/solvers/gradient_descent.hpp"
#include "core/solvers/momentum.hpp"
#include "core/solvers/newton.hpp"

namespace attnlab::cli {
namespace {

namespace fs = std::filesystem;
using Eigen::Index;
using Eigen::VectorXd;
using Json = nlohmann::ordered_json;

// [SECTION] options and their checks -------------------------------------------------------

// Counts, the seed and the axes stay text until parseCount has checked them (cli_support.hpp).
struct LandscapeOptions {
  std::string problem;
  std::string grid;
  std::string plane;  // empty: given if the file has a plane, axes if --axes, else random
  std::string axes;
  std::string seed = "0";
  double span = 1.0;
  bool spanGiven = false;
  std::string method;  // empty: no trajectory, except gd for --plane pca
  double lr = 0.1;
  std::string steps = "1000";
  double tol = 1e-10;
  double beta = 0.9;
  std::string samples = "0";
  std::string out;
  FigureOptionText figure;
};

// The grid's data (.json, .csv), or its picture (.png, .svg, .pdf through app/export).
enum class OutputFormat { Json, Csv, Figure };

struct Settings {
  int points = 0;
  std::string plane;
  Index axisI = 0, axisJ = 1;
  std::uint64_t seed = 0;
  std::string method;
  int steps = 0;
  int samples = 0;
  OutputFormat format = OutputFormat::Json;
  exporting::ExportOptions figure;
};

std::string numberText(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", v);
  return text;
}

// By the extension, case-insensitive: .json and .csv hold the grid, .png, .svg and .pdf
// draw it.
OutputFormat outputFormat(const std::string& out) {
  const auto format = exporting::formatFromPath(out);
  if (format == exporting::FileFormat::Json) return OutputFormat::Json;
  if (format == exporting::FileFormat::Csv) return OutputFormat::Csv;
  if (format) return OutputFormat::Figure;
  throw InputError("unknown format '" + fs::path(out).extension().string() + "' (use .json, .csv, .png, .svg or .pdf)",
                   optionField("--out"));
}

// "i,j": two coordinates, checked against the problem's dimension when the plane is built.
std::pair<Index, Index> parseAxes(const std::string& text) {
  const auto comma = text.find(',');
  if (comma == std::string::npos) throw InputError("must be two indices 'i,j' (got '" + text + "')", optionField("--axes"));
  const auto i = parseCount(text.substr(0, comma), "--axes", INT32_MAX);
  const auto j = parseCount(text.substr(comma + 1), "--axes", INT32_MAX);
  return {Index(i), Index(j)};
}

std::string planeChoice(const LandscapeOptions& o, bool fileHasPlane) {
  if (!o.plane.empty()) {
    if (!o.axes.empty() && o.plane != "axes")
      throw InputError("applies to --plane axes only (got --plane " + o.plane + ")", optionField("--axes"));
    return o.plane;
  }
  if (!o.axes.empty()) return "axes";
  return fileHasPlane ? "given" : "random";
}

// cli.md's ranges (as `solve`), the grid, the span and the output format; nothing is read yet.
Settings checkOptions(const LandscapeOptions& o) {
  Settings s;
  s.points = int(parseCount(o.grid, "--grid", 1'000'000));
  if (s.points < 2) throw InputError("must be at least 2 (got " + o.grid + ")", optionField("--grid"));
  if (o.spanGiven) {
    requireFiniteOption(o.span, "--span");
    if (!(o.span > 0)) throw InputError("must be > 0 (got " + numberText(o.span) + ")", optionField("--span"));
  }
  requireFiniteOption(o.lr, "--lr");
  if (o.lr <= 0) throw InputError("must be > 0 (got " + numberText(o.lr) + ")", optionField("--lr"));
  requireFiniteOption(o.tol, "--tol");
  if (o.tol < 0) throw InputError("must be ≥ 0 (got " + numberText(o.tol) + ")", optionField("--tol"));
  requireFiniteOption(o.beta, "--beta");
  if (o.beta < 0 || o.beta >= 1)
    throw InputError("must be in [0, 1) (got " + numberText(o.beta) + ")", optionField("--beta"));
  s.steps = int(parseCount(o.steps, "--steps", 10'000'000));
  s.seed = parseCount(o.seed, "--seed", UINT64_MAX);
  s.samples = int(parseCount(o.samples, "--samples", INT32_MAX));
  if (!o.axes.empty()) {
    const auto [i, j] = parseAxes(o.axes);
    s.axisI = i;
    s.axisJ = j;
  }
  s.format = outputFormat(o.out);
  s.figure = figureExportOptions(o.figure);
  const fs::path folder = fs::path(o.out).parent_path();
  if (!folder.empty() && !fs::is_directory(folder))
    throw InputError("no directory '" + folder.string() + "' to write into", optionField("--out"));
  // The grid, its bound and the three sums of the separable form: refuse what cannot fit.
  requireMemory(40.0 * double(s.points) * double(s.points), optionField("--grid"));
  return s;
}

// [SECTION] the plane: given (from the problem file), random, pca (from a solver run), axes --

InputLocation fieldIn(const JsonSource& source, const std::string& field) {
  return {.file = source.name, .field = field, .row = std::nullopt, .column = std::nullopt};
}

// A direction of the given plane: a d-vector, or for the attention kinds the d×d matrix
// whose vec (columns stacked) is the direction.
VectorXd directionFromJson(const nlohmann::json& plane, const char* key, const Problem& problem,
                           const JsonSource& source) {
  const std::string field = std::string("plane.") + key;
  if (!plane.contains(key)) throw InputError("missing", fieldIn(source, field));
  if (!isAttentionKind(problem.kind)) return vectorFromJson(plane[key], field, source);
  const Eigen::MatrixXd M = matrixFromJson(plane[key], field, source);
  if (M.rows() != problem.d() || M.cols() != problem.d())
    throw InputError("must be " + std::to_string(problem.d()) + "×" + std::to_string(problem.d()) + " (got " +
                         std::to_string(M.rows()) + "×" + std::to_string(M.cols()) + ")",
                     fieldIn(source, field));
  return Eigen::Map<const VectorXd>(M.data(), M.size());
}

struct GivenPlane {
  Plane plane;
  std::optional<double> span;
};

GivenPlane planeFromJson(const JsonDocument& document, const Problem& problem) {
  const JsonSource& source = document.source;
  if (!document.root.is_object() || !document.root.contains("plane"))
    throw InputError("--plane given needs a \"plane\": {\"u\": [...], \"v\": [...], \"span\": s} member",
                     fieldIn(source, "plane"));
  const nlohmann::json& member = document.root["plane"];
  if (!member.is_object()) throw InputError("must be an object with u, v and span", fieldIn(source, "plane"));
  GivenPlane given;
  try {
    given.plane = givenPlane(problem.x, directionFromJson(member, "u", problem, source),
                             directionFromJson(member, "v", problem, source));
  } catch (const InputError& e) {
    if (!e.where().file.empty()) throw;
    throw InputError(e.message(), fieldIn(source, e.where().field));
  }
  if (member.contains("span")) {
    const nlohmann::json& span = member["span"];
    if (!span.is_number() || !std::isfinite(span.get<double>()) || !(span.get<double>() > 0))
      throw InputError("must be a finite number > 0", fieldIn(source, "plane.span"));
    given.span = span.get<double>();
  }
  return given;
}

// Runs the chosen solver from x and returns its trajectory (cli.md's `solve` defaults).
template <class Solver>
Trajectory runFrom(Solver& solver, const Loss& loss, const LandscapeOptions& o, const Settings& s) {
  solver.setTolerance(o.tol).setMaxIterations(s.steps);
  solver.compute(loss, loss.problem().x);
  return solver.trajectory();
}

Trajectory solverTrajectory(const Loss& loss, const LandscapeOptions& o, const Settings& s) {
  if (s.method == "gd") {
    GradientDescent solver;
    solver.setStepSize(o.lr);
    return runFrom(solver, loss, o, s);
  }
  if (s.method == "momentum") {
    Momentum solver;
    solver.setStepSize(o.lr).setBeta(o.beta);
    return runFrom(solver, loss, o, s);
  }
  requireDenseMatrixFits(loss.dim(), "--method");  // both Newton methods factor a dim×dim matrix
  if (s.method == "newton") {
    Newton solver;
    return runFrom(solver, loss, o, s);
  }
  ApproximateNewton solver;
  solver.setSamples(s.samples).setSeed(s.seed);
  return runFrom(solver, loss, o, s);
}

Plane buildPlane(const Settings& s, const Loss& loss, const std::optional<GivenPlane>& given,
                 const Trajectory& trajectory) {
  const VectorXd& x = loss.problem().x;
  if (s.plane == "given") return given->plane;
  if (s.plane == "random") return randomPlane(x, s.seed);
  if (s.plane == "axes") return axesPlane(x, s.axisI, s.axisJ);
  return pcaPlane(x, trajectory);
}

// [SECTION] output files: .json and .csv, written to a temporary name and renamed; figures ---------

// Shortest text that reads back as the same double (cli.md: full precision).
void appendNumber(std::string& text, double v) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, v);
  text.append(buffer, result.ptr);
}

void writeLossRows(std::ostream& out, const GridValues& loss) {
  std::string row;
  for (Index j = 0; j < loss.rows(); ++j) {
    row.clear();
    row += j == 0 ? "[" : ",";
    for (Index i = 0; i < loss.cols(); ++i) {
      row += i == 0 ? "[" : ",";
      appendNumber(row, loss(j, i));
    }
    row += "]";
    out << row;
  }
  out << "]";
}

// head's members, then "loss" streamed row by row (N² numbers need no JSON tree), then tail's.
void writeJson(std::ostream& out, const Json& head, const GridValues& loss, const Json& tail) {
  out << '{';
  for (const auto& [key, value] : head.items()) out << Json(key).dump() << ':' << value.dump() << ',';
  out << "\"loss\":";
  writeLossRows(out, loss);
  for (const auto& [key, value] : tail.items()) out << ',' << Json(key).dump() << ':' << value.dump();
  out << "}\n";
}

void writeCsv(std::ostream& out, const LandscapeResult& r) {
  out << "s,t,loss\n";
  std::string line;
  for (Index j = 0; j < r.loss.rows(); ++j)
    for (Index i = 0; i < r.loss.cols(); ++i) {
      line.clear();
      appendNumber(line, r.s(i));
      line += ',';
      appendNumber(line, r.t(j));
      line += ',';
      appendNumber(line, r.loss(j, i));
      line += '\n';
      out << line;
    }
}

Json trajectoryJson(const std::vector<TrajectoryPoint>& points) {
  Json out = Json::array();
  for (const TrajectoryPoint& p : points)
    out.push_back({{"iter", p.iteration}, {"s", p.s}, {"t", p.t}, {"loss", p.loss}, {"distance", p.distance}});
  return out;
}

// {kind, grid, span, plane, x0, u, v, s, t, loss, trajectory?, seconds}; x0, u, v as d×d
// matrices for the attention kinds.
void writeOutput(const std::string& path, const Settings& s, const Problem& problem, const std::string& planeName,
                 const LandscapeResult& r, double seconds) {
  const OutputFormat format = s.format;
  if (format == OutputFormat::Figure) {
    const Figure figure =
        landscapeFigure(r, landscapeFigureText(planeName, s.axisI, s.axisJ, problem, s.method), s.figure.theme);
    exporting::writeFigure(figure, s.figure, path);
    return;
  }
  if (format == OutputFormat::Csv) {
    writeFileAtomically(path, [&](std::ostream& out) { writeCsv(out, r); }, "--out");
    return;
  }
  Json head;
  head["kind"] = kindName(r.kind);
  head["grid"] = r.grid.points;
  head["span"] = r.grid.span;
  head["plane"] = planeName;
  head["x0"] = pointJson(problem, r.plane.x0);
  head["u"] = pointJson(problem, r.plane.u);
  head["v"] = pointJson(problem, r.plane.v);
  head["s"] = vectorJson(r.s);
  head["t"] = vectorJson(r.t);
  Json tail;
  if (!r.trajectory.empty()) tail["trajectory"] = trajectoryJson(r.trajectory);
  tail["seconds"] = seconds;
  requireFinite(head, "");
  requireFinite(tail, "");
  writeFileAtomically(path, [&](std::ostream& out) { writeJson(out, head, r.loss, tail); }, "--out");
}

// [SECTION] the command ----------------------------------------------------------------------

Json summaryJson(const LandscapeResult& r, const std::string& planeName, const Settings& s, const std::string& out,
                 double seconds) {
  Json summary;
  summary["kind"] = kindName(r.kind);
  summary["grid"] = r.grid.points;
  summary["span"] = r.grid.span;
  summary["plane"] = planeName;
  if (planeName == "axes") summary["axes"] = {s.axisI, s.axisJ};
  if (planeName == "random") summary["seed"] = s.seed;
  summary["loss_min"] = r.lossMin;
  summary["loss_max"] = r.lossMax;
  summary["argmin"] = {{"s", r.s(r.argminI)}, {"t", r.t(r.argminJ)}, {"i", r.argminI}, {"j", r.argminJ}};
  if (!r.trajectory.empty()) {
    double farthest = 0;
    for (const TrajectoryPoint& p : r.trajectory) farthest = std::max(farthest, p.distance);
    summary["method"] = s.method;
    summary["trajectory_points"] = r.trajectory.size();
    summary["max_distance"] = farthest;
  }
  summary["out"] = out;
  summary["seconds"] = seconds;
  return summary;
}

void runLandscape(const LandscapeOptions& options) {
  Settings settings = checkOptions(options);
  const JsonDocument document = readJsonDocument(options.problem);
  const auto problem = std::make_shared<const Problem>(
      problemFromJson(document.root, document.source.baseDir, document.source.name));
  const bool fileHasPlane = document.root.is_object() && document.root.contains("plane");
  settings.plane = planeChoice(options, fileHasPlane);
  settings.method = !options.method.empty() ? options.method : settings.plane == "pca" ? "gd" : "";
  std::optional<GivenPlane> given;
  if (settings.plane == "given") given = planeFromJson(document, *problem);
  const double span = options.spanGiven ? options.span : given && given->span ? *given->span : 1.0;

  const Loss loss(problem);
  WorkerPool pool(std::max(2u, std::thread::hardware_concurrency()) - 1);  // the caller is the other thread
  Progress progress;  // nobody cancels a command-line run
  LandscapeResult result;
  const double seconds = timeSeconds([&] {
    const Trajectory trajectory = settings.method.empty() ? Trajectory{} : solverTrajectory(loss, options, settings);
    const Plane plane = buildPlane(settings, loss, given, trajectory);
    result = computeLandscape(loss, plane, {settings.points, span}, pool, progress,
                              settings.method.empty() ? nullptr : &trajectory);
  });
  writeOutput(options.out, settings, *problem, settings.plane, result, seconds);
  printJson(summaryJson(result, settings.plane, settings, options.out, seconds));
}

}  // namespace

void addLandscapeCommand(CLI::App& app) {
  auto o = std::make_shared<LandscapeOptions>();
  CLI::App* command = app.add_subcommand("landscape", "The loss on an N×N grid of a plane through the problem's x");
  command->add_option("PROBLEM", o->problem, "problem JSON file, or - for standard input")->required();
  command->add_option("--grid", o->grid, "N, points per side (N ≥ 2)")->required();
  command->add_option("--plane", o->plane,
                      "given (the problem's \"plane\" member), random, pca (of a solver run) or axes; "
                      "default: given if the file has a plane, axes with --axes, else random")
      ->check(CLI::IsMember({"given", "random", "pca", "axes"}));
  command->add_option("--axes", o->axes, "coordinates i,j of --plane axes (default 0,1)");
  command->add_option("--seed", o->seed, "seed of --plane random (and of approx-newton)")->capture_default_str();
  CLI::Option* span = command->add_option("--span", o->span, "the grid covers [-span, span]²; default plane.span, else 1");
  command->add_option("--method", o->method, "solver whose trajectory is projected (default gd for --plane pca)")
      ->check(CLI::IsMember({"gd", "momentum", "newton", "approx-newton"}));
  command->add_option("--lr", o->lr, "step size η > 0 (gd, momentum)")->capture_default_str();
  command->add_option("--steps", o->steps, "most solver updates T, an integer in [0, 10^7]")->capture_default_str();
  command->add_option("--tol", o->tol, "solver stops once ‖∇L‖ ≤ ε (ε ≥ 0)")->capture_default_str();
  command->add_option("--beta", o->beta, "heavy-ball β in [0, 1) (momentum)")->capture_default_str();
  command->add_option("--samples", o->samples, "rows kept in the sparsified Hessian, 0 = automatic (approx-newton)")
      ->capture_default_str();
  command->add_option("--out", o->out,
                      "output file: .json (grid, plane, trajectory), .csv (rows s,t,loss), or the figure as "
                      ".png, .svg or .pdf")
      ->required();
  addFigureOptions(*command, o->figure);
  command->callback([o, span] {
    o->spanGiven = span->count() > 0;
    runLandscape(*o);
  });
}

}  // namespace attnlab::cli
