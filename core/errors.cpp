#include "core/errors.hpp"

namespace attnlab {
namespace {

std::string describe(const std::string& message, const InputLocation& w) {
  std::string where;
  auto add = [&](const std::string& part) { where += where.empty() ? part : ", " + part; };
  if (!w.file.empty()) add(w.file);
  if (!w.field.empty()) add("field '" + w.field + "'");
  if (w.row) add("row " + std::to_string(*w.row));
  if (w.column) add("column " + std::to_string(*w.column));
  return where.empty() ? message : where + ": " + message;
}

}  // namespace

InputError::InputError(const std::string& message, InputLocation where)
    : std::runtime_error(describe(message, where)), where_(std::move(where)), message_(message) {}

OverflowError::OverflowError(const std::string& quantity)
    : std::runtime_error(quantity + " overflows double precision") {}

}  // namespace attnlab
