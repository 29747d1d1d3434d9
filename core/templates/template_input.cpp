#include "core/templates/template_input.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "core/errors.hpp"

namespace attnlab {
namespace {

using nlohmann::json;

// Reads the optional fields of one JSON object, each error naming the file and the field.
class Fields {
 public:
  Fields(const json& root, const JsonSource& source) : root_(root), source_(source) {}

  bool has(const std::string& field) const { return root_.contains(field); }
  [[noreturn]] void fail(const std::string& field, const std::string& message) const {
    throw InputError(message, {.file = source_.name, .field = field, .row = std::nullopt, .column = std::nullopt});
  }

  std::string string(const std::string& field) const {
    if (!root_.at(field).is_string()) fail(field, "must be a string");
    return root_.at(field).get<std::string>();
  }

  double number(const std::string& field) const {
    const json& v = root_.at(field);
    if (!v.is_number()) fail(field, "must be a number");
    const double x = v.get<double>();
    if (!std::isfinite(x)) fail(field, "not a finite number");
    return x;
  }

  // A JSON integer (or an integral float such as 64.0) in [lo, hi].
  std::uint64_t integer(const json& v, const std::string& field, std::uint64_t lo, std::uint64_t hi) const {
    const std::string range =
        "must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "] (got " + v.dump() + ")";
    if (v.is_number_unsigned()) {
      const auto n = v.get<std::uint64_t>();
      if (n < lo || n > hi) fail(field, range);
      return n;
    }
    if (v.is_number_float()) {
      const double x = v.get<double>();
      if (x == std::floor(x) && x >= double(lo) && x <= double(hi)) return std::uint64_t(x);
    }
    fail(field, range);
  }
  std::uint64_t integer(const std::string& field, std::uint64_t lo, std::uint64_t hi) const {
    return integer(root_.at(field), field, lo, hi);
  }

  const json& array(const std::string& field) const {
    if (!root_.at(field).is_array()) fail(field, "must be an array");
    return root_.at(field);
  }

 private:
  const json& root_;
  const JsonSource& source_;
};

template <class Parse>
auto named(const Fields& f, const std::string& field, const std::string& name, Parse parse,
           const std::string& expected) {
  const auto value = parse(name);
  if (!value) f.fail(field, "unknown value '" + name + "' (expected " + expected + ")");
  return *value;
}

}  // namespace

TemplateExperimentParams templateExperimentFromJson(const json& root, const JsonSource& source) {
  if (!root.is_object())
    throw InputError("the input must be a JSON object",
                     {.file = source.name, .field = "", .row = std::nullopt, .column = std::nullopt});
  const Fields f(root, source);
  TemplateExperimentParams p;
  if (!f.has("task")) f.fail("task", "missing (aa_ab, aba_abb, abab_aabb, majority or random)");
  p.task = named(f, "task", f.string("task"), parseTaskKind, "aa_ab, aba_abb, abab_aabb, majority or random");
  // The limits here only keep counts representable; validateTemplateExperiment has the real ones.
  constexpr std::uint64_t big = std::uint64_t(1) << 40;
  if (f.has("length")) p.length = int(f.integer("length", 0, 1000));
  if (f.has("templates")) p.templates = int(f.integer("templates", 0, 100000));
  if (f.has("wildcards")) p.wildcards = int(f.integer("wildcards", 0, 1000));
  if (f.has("tokens")) p.tokens = int(f.integer("tokens", 0, 1000));
  if (f.has("kernels")) {
    p.kernels.clear();
    const json& kernels = f.array("kernels");
    for (std::size_t i = 0; i < kernels.size(); ++i) {
      const std::string field = "kernels[" + std::to_string(i) + "]";
      if (!kernels[i].is_string()) f.fail(field, "must be a string");
      p.kernels.push_back(
          named(f, field, kernels[i].get<std::string>(), parseTemplateKernel, "transformer, attention or mlp"));
    }
  }
  if (f.has("train_sizes")) {
    p.trainSizes.clear();
    const json& sizes = f.array("train_sizes");
    for (std::size_t i = 0; i < sizes.size(); ++i)
      p.trainSizes.push_back(Eigen::Index(f.integer(sizes[i], "train_sizes[" + std::to_string(i) + "]", 1, 4096)));
  }
  if (f.has("test_size")) p.testSize = Eigen::Index(f.integer("test_size", 1, 100000));
  if (f.has("embedding")) {
    const std::string name = f.string("embedding");
    if (name == "one_hot")
      p.embedding = EmbeddingKind::OneHot;
    else if (name == "gaussian")
      p.embedding = EmbeddingKind::Gaussian;
    else
      f.fail("embedding", "unknown value '" + name + "' (expected one_hot or gaussian)");
  }
  if (f.has("dim")) p.dim = Eigen::Index(f.integer("dim", 1, 4096));
  if (f.has("alphabet")) p.alphabet = Eigen::Index(f.integer("alphabet", 1, big));
  if (f.has("test_alphabet")) p.testAlphabet = Eigen::Index(f.integer("test_alphabet", 1, big));
  if (f.has("samples")) p.samples = Eigen::Index(f.integer("samples", 2, 1000000000));
  if (f.has("ridge")) p.ridge = f.number("ridge");
  if (f.has("seed")) p.seed = f.integer("seed", 0, std::numeric_limits<std::uint64_t>::max());
  if (f.has("beta")) p.attention.beta = f.number("beta");
  if (f.has("gamma")) p.attention.gamma = f.number("gamma");
  if (f.has("kq_identity")) p.attention.kqIdentity = f.number("kq_identity");
  if (f.has("b1")) p.cosine.b1 = f.number("b1");
  if (f.has("b2")) p.cosine.b2 = f.number("b2");
  try {
    validateTemplateExperiment(p);
    templateTaskFor(p);  // a random task that cannot be drawn is bad input too
  } catch (const InputError& e) {
    InputLocation where = e.where();
    where.file = source.name;
    throw InputError(e.message(), where);
  }
  return p;
}

}  // namespace attnlab
