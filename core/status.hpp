// One status enum for every solver, estimator and job (architecture.md: "Practices").
#pragma once
#include <string_view>

namespace attnlab {

enum class Status {
  Success,         // the computation finished and met its criterion
  NumericalIssue,  // a factorisation failed or a quantity overflowed double precision
  NoConvergence,   // the iteration budget ran out before the tolerance was met
  InvalidInput,    // the problem or the settings were rejected before any work
  Cancelled,       // a cooperative cancel request was honoured
};

constexpr std::string_view statusName(Status s) {
  switch (s) {
    case Status::Success: return "Success";
    case Status::NumericalIssue: return "NumericalIssue";
    case Status::NoConvergence: return "NoConvergence";
    case Status::InvalidInput: return "InvalidInput";
    case Status::Cancelled: return "Cancelled";
  }
  return "Unknown";
}

}  // namespace attnlab
