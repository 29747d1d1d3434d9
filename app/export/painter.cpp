#include "app/export/painter.hpp"

namespace attnlab::exporting {

std::vector<double> dashPattern(Dash dash) {
  switch (dash) {
    case Dash::Solid: return {};
    case Dash::Dashed: return {4.0, 2.5};
    case Dash::Dotted: return {1.0, 1.8};
    case Dash::DashDot: return {4.0, 2.0, 1.0, 2.0};
  }
  return {};
}

}  // namespace attnlab::exporting
