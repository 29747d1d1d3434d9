#include "core/attention/attention_input.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "core/errors.hpp"

namespace attnlab {
namespace {

using nlohmann::json;

InputLocation at(const JsonSource& source, const std::string& field) {
  return {.file = source.name, .field = field, .row = std::nullopt, .column = std::nullopt};
}

std::string kernelList() {
  std::string names;
  for (const AttentionKernel k : {AttentionKernel::Softmax, AttentionKernel::Elu, AttentionKernel::Favor,
                                  AttentionKernel::Softplus, AttentionKernel::Glu, AttentionKernel::Aoglu})
    names += (names.empty() ? "" : ", ") + std::string(attentionKernelName(k));
  return names;
}

std::string stringAt(const json& root, const JsonSource& source, const std::string& field) {
  if (!root.at(field).is_string()) throw InputError("must be a string", at(source, field));
  return root.at(field).get<std::string>();
}

double finiteNumberAt(const json& root, const JsonSource& source, const std::string& field) {
  const json& v = root.at(field);
  if (!v.is_number()) throw InputError("must be a number", at(source, field));
  const double x = v.get<double>();
  if (!std::isfinite(x)) throw InputError("not a finite number", at(source, field));
  return x;
}

// A JSON integer (or a float with an integral value, e.g. 256.0) in [minimum, maximum].
std::uint64_t integerAt(const json& root, const JsonSource& source, const std::string& field, std::uint64_t minimum,
                        std::uint64_t maximum) {
  const json& v = root.at(field);
  const std::string range = "an integer in [" + std::to_string(minimum) + ", " + std::to_string(maximum) + "]";
  if (v.is_number_unsigned()) {
    const auto n = v.get<std::uint64_t>();
    if (n < minimum || n > maximum) throw InputError("must be " + range + " (got " + v.dump() + ")", at(source, field));
    return n;
  }
  if (v.is_number_float()) {
    const double x = v.get<double>();
    if (x == std::floor(x) && x >= double(minimum) && x <= double(maximum)) return std::uint64_t(x);
  }
  throw InputError("must be " + range + " (got " + v.dump() + ")", at(source, field));
}

bool booleanAt(const json& root, const JsonSource& source, const std::string& field) {
  if (!root.at(field).is_boolean()) throw InputError("must be true or false", at(source, field));
  return root.at(field).get<bool>();
}

AttentionParams paramsFromJson(const json& root, const JsonSource& source) {
  AttentionParams p;
  if (root.contains("kernel")) {
    const std::string name = stringAt(root, source, "kernel");
    const auto kernel = parseAttentionKernel(name);
    if (!kernel) throw InputError("unknown kernel '" + name + "' (expected " + kernelList() + ")", at(source, "kernel"));
    p.kernel = *kernel;
  }
  if (root.contains("dtype")) {
    const std::string name = stringAt(root, source, "dtype");
    const auto dtype = parseAttentionDtype(name);
    if (!dtype) throw InputError("unknown dtype '" + name + "' (expected float32 or float64)", at(source, "dtype"));
    p.dtype = *dtype;
  }
  if (root.contains("scale")) p.scale = finiteNumberAt(root, source, "scale");
  // The upper bound only keeps the count an Index; memory is checked by validateAttention.
  if (root.contains("features")) p.features = Index(integerAt(root, source, "features", 1, std::uint64_t(1) << 40));
  if (root.contains("seed"))
    p.seed = integerAt(root, source, "seed", 0, std::numeric_limits<std::uint64_t>::max());
  if (root.contains("causal")) p.causal = booleanAt(root, source, "causal");
  if (root.contains("orthogonal")) p.orthogonalFeatures = booleanAt(root, source, "orthogonal");
  return p;
}

RowMatrix<double> requiredMatrix(const json& root, const JsonSource& source, const std::string& field) {
  if (!root.contains(field)) throw InputError("missing: attention needs Q, K and V", at(source, field));
  return matrixFromJson(root.at(field), field, source);
}

}  // namespace

AttentionProblem attentionProblemFromJson(const json& root, const JsonSource& source) {
  if (!root.is_object()) throw InputError("the input must be a JSON object", at(source, ""));
  AttentionProblem problem;
  problem.params = paramsFromJson(root, source);
  problem.input = {requiredMatrix(root, source, "Q"), requiredMatrix(root, source, "K"),
                   requiredMatrix(root, source, "V")};
  try {
    validateAttention(problem.params, problem.input);
  } catch (const InputError& e) {
    if (!e.where().file.empty()) throw;
    InputLocation where = e.where();
    where.file = source.name;
    throw InputError(e.message(), where);
  }
  return problem;
}

}  // namespace attnlab
