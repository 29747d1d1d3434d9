// The two exception types of the core. Input is validated once, at the boundary
// (core/io), and every rejection says where: file, field, row, column.
#pragma once
#include <optional>
#include <stdexcept>
#include <string>

namespace attnlab {

// Where a bad value sits. Every part is optional; what() joins the known ones.
struct InputLocation {
  std::string file;                 // "problem.json", "A.npy"
  std::string field;                // "A", "generate.n", "--lr"
  std::optional<long long> row;     // 0-based
  std::optional<long long> column;  // 0-based
};

// Bad input: unreadable file, malformed JSON, wrong shape, NaN, out-of-range option.
// The CLI prints "attnlab: error: <what()>" and exits with status 2.
class InputError : public std::runtime_error {
 public:
  InputError(const std::string& message, InputLocation where = {});
  const InputLocation& where() const { return where_; }
  const std::string& message() const { return message_; }

 private:
  InputLocation where_;
  std::string message_;
};

// A result that does not fit in double precision (exp(Ax) with Ax beyond ~709, ...):
// reported by name, never printed as inf or nan. Also exit status 2 on the CLI.
class OverflowError : public std::runtime_error {
 public:
  explicit OverflowError(const std::string& quantity);
};

}  // namespace attnlab
