#include "core/labs/regression_params.hpp"

#include <cmath>

#include "core/errors.hpp"
#include "core/labs/json_fields.hpp"

namespace attnlab {
namespace {

constexpr json_fields::LabFields kFields{"regression"};

std::optional<Scale> scaleFromName(std::string_view name) {
  if (name == "linear") return Scale::Linear;
  if (name == "log") return Scale::Log10;
  return std::nullopt;
}

std::optional<DataSource> sourceFromName(std::string_view name) {
  if (name == "generate") return DataSource::Generated;
  if (name == "file") return DataSource::File;
  return std::nullopt;
}

void readSolvers(const nlohmann::json& json, RegressionParams& p) {
  if (!json.contains("solvers")) return;
  const nlohmann::json& list = json.at("solvers");
  if (!list.is_array()) kFields.bad("solvers", "must be a list such as [\"gd\", \"newton\"]");
  p.solvers = {false, false, false, false};
  for (const auto& item : list) {
    const auto id = item.is_string() ? solverFromName(item.get<std::string>()) : std::nullopt;
    if (!id) kFields.bad("solvers", "unknown solver " + item.dump());
    p.solvers[solverIndex(*id)] = true;
  }
}

}  // namespace

std::string_view solverName(SolverId id) {
  switch (id) {
    case SolverId::GradientDescent: return "gd";
    case SolverId::Momentum: return "momentum";
    case SolverId::Newton: return "newton";
    case SolverId::ApproximateNewton: return "approx-newton";
  }
  return "gd";
}

std::string_view solverTitle(SolverId id) {
  switch (id) {
    case SolverId::GradientDescent: return "gradient descent";
    case SolverId::Momentum: return "momentum";
    case SolverId::Newton: return "Newton";
    case SolverId::ApproximateNewton: return "approximate Newton";
  }
  return "";
}

std::optional<SolverId> solverFromName(std::string_view name) {
  for (SolverId id : kAllSolvers)
    if (solverName(id) == name) return id;
  return std::nullopt;
}

std::string_view planeName(PlaneKind plane) {
  switch (plane) {
    case PlaneKind::Random: return "random";
    case PlaneKind::Pca: return "pca";
    case PlaneKind::Axes: return "axes";
  }
  return "random";
}

std::optional<PlaneKind> planeFromName(std::string_view name) {
  for (PlaneKind p : {PlaneKind::Random, PlaneKind::Pca, PlaneKind::Axes})
    if (planeName(p) == name) return p;
  return std::nullopt;
}

bool sameSolve(const RegressionParams& a, const RegressionParams& b) {
  return a.kind == b.kind && a.source == b.source && a.n == b.n && a.d == b.d && a.R == b.R && a.seed == b.seed &&
         a.noise == b.noise && a.l2 == b.l2 && a.startRadius == b.startRadius && a.problemFile == b.problemFile &&
         a.solvers == b.solvers && a.stepSize == b.stepSize && a.beta == b.beta && a.steps == b.steps &&
         a.tolerance == b.tolerance && a.plane == b.plane && a.planeSeed == b.planeSeed && a.axisI == b.axisI &&
         a.axisJ == b.axisJ && a.pcaSolver == b.pcaSolver;
}

bool sameLandscape(const RegressionParams& a, const RegressionParams& b) {
  return sameSolve(a, b) && a.gridPoints == b.gridPoints;
}

int parameterCount(const RegressionParams& p) { return isAttentionKind(p.kind) ? p.d * p.d : p.d; }

bool isTrueSurface(const RegressionParams& p) { return parameterCount(p) == 2; }

void validate(const RegressionParams& p) {
  kFields.requireRange("n", p.n, 1, isAttentionKind(p.kind) ? kMaxAttentionN : kMaxN);
  kFields.requireRange("d", p.d, 1, isAttentionKind(p.kind) ? kMaxAttentionD : kMaxD);
  if (p.source == DataSource::Generated && parameterCount(p) < 2) kFields.bad("d", "a landscape needs at least two parameters");
  kFields.requireRange("R", p.R, 1e-6, 1e6);
  kFields.requireRange("noise", p.noise, 0.0, 10.0);
  kFields.requireRange("l2", p.l2, 0.0, 1e6);
  kFields.requireRange("start_radius", p.startRadius, 0.0, 1e3);
  kFields.requireRange("step_size", p.stepSize, 1e-12, 1e6);
  kFields.requireRange("beta", p.beta, 0.0, 0.999);
  kFields.requireRange("steps", p.steps, 0, kMaxSteps);
  kFields.requireRange("tolerance", p.tolerance, 0.0, 1.0);
  kFields.requireRange("grid", p.gridPoints, kMinGrid, kMaxGrid);
  kFields.requireRange("contours", p.contourLevels, 0, 30);
  if (p.plane == PlaneKind::Axes && (p.axisI == p.axisJ || p.axisI < 0 || p.axisJ < 0))
    kFields.bad("axes", "needs two different coordinates");
  if (p.source == DataSource::Generated && p.plane == PlaneKind::Axes &&
      std::max(p.axisI, p.axisJ) >= parameterCount(p))
    kFields.bad("axes", "coordinate beyond the " + std::to_string(parameterCount(p)) + " parameters");
  if (p.source == DataSource::File && p.problemFile.empty()) kFields.bad("problem_file", "names no file");
}

nlohmann::json toJson(const RegressionParams& p) {
  nlohmann::json solvers = nlohmann::json::array();
  for (SolverId id : kAllSolvers)
    if (p.solvers[solverIndex(id)]) solvers.push_back(solverName(id));
  return {{"kind", kindName(p.kind)},
          {"source", p.source == DataSource::Generated ? "generate" : "file"},
          {"n", p.n},
          {"d", p.d},
          {"R", p.R},
          {"seed", p.seed},
          {"noise", p.noise},
          {"l2", p.l2},
          {"start_radius", p.startRadius},
          {"problem_file", p.problemFile},
          {"solvers", solvers},
          {"step_size", p.stepSize},
          {"beta", p.beta},
          {"steps", p.steps},
          {"tolerance", p.tolerance},
          {"plane", planeName(p.plane)},
          {"plane_seed", p.planeSeed},
          {"axes", {p.axisI, p.axisJ}},
          {"pca_solver", solverName(p.pcaSolver)},
          {"grid", p.gridPoints},
          {"colormap", colormapName(p.colormap)},
          {"scale", p.colorScale == Scale::Log10 ? "log" : "linear"},
          {"contours", p.contourLevels}};
}

RegressionParams paramsFromJson(const nlohmann::json& json, const RegressionParams& base) {
  if (!json.is_object()) throw InputError("the regression lab's settings must be a JSON object");
  RegressionParams p = base;
  kFields.readEnum(json, "kind", p.kind, [](std::string_view s) { return kindFromName(s); });
  kFields.readEnum(json, "source", p.source, sourceFromName);
  kFields.read(json, "n", p.n);
  kFields.read(json, "d", p.d);
  kFields.read(json, "R", p.R);
  kFields.read(json, "seed", p.seed);
  kFields.read(json, "noise", p.noise);
  kFields.read(json, "l2", p.l2);
  kFields.read(json, "start_radius", p.startRadius);
  kFields.read(json, "problem_file", p.problemFile);
  readSolvers(json, p);
  kFields.read(json, "step_size", p.stepSize);
  kFields.read(json, "beta", p.beta);
  kFields.read(json, "steps", p.steps);
  kFields.read(json, "tolerance", p.tolerance);
  kFields.readEnum(json, "plane", p.plane, planeFromName);
  kFields.read(json, "plane_seed", p.planeSeed);
  if (json.contains("axes")) {
    std::array<int, 2> axes{};
    kFields.read(json, "axes", axes);
    p.axisI = axes[0];
    p.axisJ = axes[1];
  }
  kFields.readEnum(json, "pca_solver", p.pcaSolver, solverFromName);
  kFields.read(json, "grid", p.gridPoints);
  kFields.readEnum(json, "colormap", p.colormap, colormapFromName);
  kFields.readEnum(json, "scale", p.colorScale, scaleFromName);
  kFields.read(json, "contours", p.contourLevels);
  validate(p);
  return p;
}

}  // namespace attnlab
