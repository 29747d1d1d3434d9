// Everything the user can set in the regression lab (architecture.md, "One lab, end to
// end", piece 1): a plain, comparable, serialisable struct. The lab compares the current
// Params with those of the last job to decide how much to recompute: the problem and the
// solvers, only the landscape, or only the figures.
#pragma once
#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/figure/colormap.hpp"
#include "core/figure/scale.hpp"
#include "core/regression/kind.hpp"

namespace attnlab {

enum class SolverId { GradientDescent, Momentum, Newton, ApproximateNewton };
inline constexpr std::array<SolverId, 4> kAllSolvers = {SolverId::GradientDescent, SolverId::Momentum,
                                                        SolverId::Newton, SolverId::ApproximateNewton};
std::string_view solverName(SolverId id);   // "gd", "momentum", "newton", "approx-newton" (cli.md)
std::string_view solverTitle(SolverId id);  // "gradient descent", "momentum", "Newton", ...
std::optional<SolverId> solverFromName(std::string_view name);
inline std::size_t solverIndex(SolverId id) { return static_cast<std::size_t>(id); }

// The plane a landscape is drawn on when the parameters have more than two dimensions
// (cli.md, `landscape`). With exactly two (a vector kind with d = 2) the window always
// shows the true surface over both coordinates.
enum class PlaneKind { Random, Pca, Axes };
std::string_view planeName(PlaneKind plane);  // "random", "pca", "axes"
std::optional<PlaneKind> planeFromName(std::string_view name);

enum class DataSource { Generated, File };

struct RegressionParams {
  // [problem]
  Kind kind = Kind::Softmax;
  DataSource source = DataSource::Generated;
  int n = 64;                 // rows of A
  int d = 2;                  // columns of A (X is d×d for the attention kinds)
  double R = 4.0;             // spectral norm of A
  std::uint64_t seed = 1;     // the instance (and the start point's direction)
  double noise = 0.0;         // on the target b
  double l2 = 0.0;            // ridge ½·l2·‖x‖²
  double startRadius = 1.5;   // ‖x₀‖ of the start point (generated data); 0 starts at the origin
  std::string problemFile;    // a problem JSON (cli.md, "Problems") when source == File

  // [solvers]
  std::array<bool, 4> solvers{true, true, true, false};  // indexed by solverIndex
  double stepSize = 10.0;     // η of gradient descent and momentum
  double beta = 0.9;          // heavy-ball momentum
  int steps = 200;            // iteration budget of every solver
  double tolerance = 1e-10;   // stop at ‖∇L‖ ≤ tolerance

  // [landscape]
  PlaneKind plane = PlaneKind::Pca;
  std::uint64_t planeSeed = 0;  // random plane
  int axisI = 0;                // axes plane
  int axisJ = 1;
  SolverId pcaSolver = SolverId::GradientDescent;  // whose trajectory the PCA plane follows
  int gridPoints = 256;         // N of the N×N grid

  // [view]
  Colormap colormap = Colormap::Viridis;
  Scale colorScale = Scale::Log10;
  int contourLevels = 10;       // about this many labelled isolines

  bool operator==(const RegressionParams&) const = default;
};

// Ranges the panel's widgets and a session file are held to.
inline constexpr int kMaxN = 65536;
inline constexpr int kMaxD = 256;            // vector kinds
inline constexpr int kMaxAttentionD = 16;    // attention kinds: d² parameters
inline constexpr int kMaxAttentionN = 512;   // attention kinds: B is n×n, a loss costs n²d
inline constexpr int kMaxSteps = 5000;       // every iterate is kept for the plots
inline constexpr int kMinGrid = 8;
inline constexpr int kMaxGrid = 1024;

// What a change of parameters costs (compared with those of the last job).
bool sameSolve(const RegressionParams& a, const RegressionParams& b);      // problem, solvers, plane
bool sameLandscape(const RegressionParams& a, const RegressionParams& b);  // … and the grid

// Number of parameters the solvers move: d, or d² for the attention kinds.
int parameterCount(const RegressionParams& p);
// True when the landscape is the loss over all parameters (two of them), not a slice.
bool isTrueSurface(const RegressionParams& p);

// Throws InputError naming the field ("regression.n") when a value is out of range.
void validate(const RegressionParams& p);

// The lab's part of a session file: every field above by name ("kind": "softmax",
// "solvers": ["gd", "newton"], "plane": "pca", "colormap": "viridis", "scale": "log", ...).
nlohmann::json toJson(const RegressionParams& p);
// Reads the fields present in `json` over `base` (absent fields keep base's values), then
// validates. Unknown fields are ignored (cli.md's rule for JSON input).
RegressionParams paramsFromJson(const nlohmann::json& json, const RegressionParams& base);

}  // namespace attnlab
