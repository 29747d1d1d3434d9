#include "core/landscape/grid.hpp"

#include <cmath>
#include <string>

#include "core/errors.hpp"

namespace attnlab {

void validate(const GridSpec& spec) {
  auto where = [](const char* field) {
    return InputLocation{.file = "", .field = field, .row = std::nullopt, .column = std::nullopt};
  };
  if (spec.points < 2) throw InputError("must be at least 2 (got " + std::to_string(spec.points) + ")", where("--grid"));
  if (!std::isfinite(spec.span) || !(spec.span > 0)) throw InputError("must be a finite number > 0", where("--span"));
}

Eigen::VectorXd gridAxis(const GridSpec& spec) {
  const Eigen::Index N = spec.points;
  Eigen::VectorXd axis(N);
  for (Eigen::Index i = 0; i < N; ++i) axis(i) = -spec.span + 2.0 * spec.span * double(i) / double(N - 1);
  return axis;
}

}  // namespace attnlab
