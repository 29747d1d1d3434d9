#include "core/io/json_problem.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>

#include "core/errors.hpp"
#include "core/io/matrix_files.hpp"
#include "core/regression/generate.hpp"

namespace attnlab {
namespace {

using nlohmann::json;

// Every member spelled out: GCC 12 warns (-Wmissing-field-initializers) on omitted ones.
InputLocation inFile(const std::string& file, const std::string& field = "", std::optional<long long> row = std::nullopt,
                     std::optional<long long> column = std::nullopt) {
  return {.file = file, .field = field, .row = row, .column = column};
}

InputLocation at(const JsonSource& source, const std::string& field, std::optional<long long> row = std::nullopt,
                 std::optional<long long> column = std::nullopt) {
  return inFile(source.name, field, row, column);
}

std::string numberText(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", v);
  return text;
}

// ---- reading and parsing the document -------------------------------------------------

std::string readText(const std::string& path) {
  if (path == "-") return std::string(std::istreambuf_iterator<char>(std::cin), {});
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw InputError("cannot read: is a directory", inFile(path));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(std::string("cannot read: ") + std::strerror(errno), inFile(path));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw InputError(std::string("cannot read: ") + std::strerror(errno), inFile(path));
  return text.str();
}

// nlohmann's message without its "[json.exception.parse_error.101] " prefix.
std::string plainMessage(const std::exception& e) {
  std::string message = e.what();
  if (message.starts_with("[json.exception.")) {
    const std::size_t close = message.find("] ");
    if (close != std::string::npos) message.erase(0, close + 2);
  }
  return message;
}

// A number beyond double precision stops nlohmann's parser without a position; the token
// it quotes is found in the text to give the line and column all the same.
std::string overflowMessage(const std::string& text, const std::string& message) {
  const std::size_t open = message.find('\'');
  const std::size_t close = message.rfind('\'');
  if (open == std::string::npos || close <= open) return message;
  const std::string token = message.substr(open + 1, close - open - 1);
  const std::size_t at = text.find(token);
  if (at == std::string::npos) return "number '" + token + "' is beyond double precision";
  const long long line = 1 + std::count(text.begin(), text.begin() + static_cast<long>(at), '\n');
  const std::size_t newline = at == 0 ? std::string::npos : text.rfind('\n', at - 1);
  const std::size_t lineStart = newline == std::string::npos ? 0 : newline + 1;
  const long long column = static_cast<long long>(at - lineStart) + 1;
  return "number '" + token + "' at line " + std::to_string(line) + ", column " + std::to_string(column) +
         " is beyond double precision";
}

json parseText(const std::string& text, const std::string& name) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    throw InputError("malformed JSON: " + plainMessage(e) + " (byte " + std::to_string(e.byte) + ")", inFile(name));
  } catch (const json::out_of_range& e) {
    throw InputError("malformed JSON: " + overflowMessage(text, plainMessage(e)), inFile(name));
  } catch (const json::exception& e) {
    throw InputError("malformed JSON: " + plainMessage(e), inFile(name));
  }
}

// ---- numbers, matrices and vectors ----------------------------------------------------

// A JSON value as it appears in the file, cut short so that an error stays one readable line.
std::string excerpt(const json& value) {
  std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return text;
}

double numberAt(const json& value, const JsonSource& source, const std::string& field, std::optional<long long> row,
                std::optional<long long> column) {
  if (!value.is_number()) throw InputError("not a number: " + excerpt(value), at(source, field, row, column));
  const double v = value.get<double>();
  if (!std::isfinite(v)) throw InputError("not a finite number", at(source, field, row, column));
  return v;
}

Eigen::MatrixXd matrixFromFile(const std::string& name, const std::string& field, const JsonSource& source) {
  const std::filesystem::path path = source.baseDir / name;
  MatrixFile file = readMatrixFile(path, field);
  if (file.values.size() == 0) throw InputError("empty matrix", inFile(path.string(), field));
  if (file.oneDimensional)
    throw InputError("expected a 2-D array (a matrix), got a 1-D array of length " + std::to_string(file.values.rows()),
                     inFile(path.string(), field));
  return std::move(file.values);
}

Eigen::VectorXd vectorFromFile(const std::string& name, const std::string& field, const JsonSource& source) {
  const std::filesystem::path path = source.baseDir / name;
  MatrixFile file = readMatrixFile(path, field);
  const Eigen::MatrixXd& m = file.values;
  if (m.size() == 0) throw InputError("empty vector", inFile(path.string(), field));
  if (m.cols() == 1) return m.col(0);
  if (m.rows() == 1) return m.row(0).transpose();
  throw InputError("expected a vector (one row or one column), got a " + std::to_string(m.rows()) + "×" +
                       std::to_string(m.cols()) + " matrix",
                   inFile(path.string(), field));
}

// ---- the problem's fields --------------------------------------------------------------

// validate() and generateProblem() know fields, not files: their errors get the file name here.
template <class Step>
void withSourceName(const JsonSource& source, Step&& step) {
  try {
    step();
  } catch (const InputError& e) {
    if (!e.where().file.empty()) throw;
    InputLocation where = e.where();
    where.file = source.name;
    throw InputError(e.message(), where);
  }
}

Kind kindField(const json& root, const JsonSource& source) {
  const auto it = root.find("kind");
  if (it == root.end()) throw InputError("missing (linear, exp, softmax, rescaled, cross_entropy, infoprompt, "
                                         "attention_normalized or attention_rescaled)", at(source, "kind"));
  if (!it->is_string()) throw InputError("must be a string, got " + excerpt(*it), at(source, "kind"));
  const std::string name = it->get<std::string>();
  if (const std::optional<Kind> kind = kindFromName(name)) return *kind;
  throw InputError("unknown kind '" + name + "' (expected linear, exp, softmax, rescaled, cross_entropy, infoprompt, "
                   "attention_normalized or attention_rescaled)", at(source, "kind"));
}

// An integer-valued number (64 or 64.0) in [minimum, 2^53], the range where doubles are exact.
double integerField(const json& object, const char* key, const std::string& field, const JsonSource& source,
                    double minimum) {
  const double v = numberAt(object.at(key), source, field, std::nullopt, std::nullopt);
  if (v != std::floor(v) || v < minimum || v > 9007199254740992.0)
    throw InputError("must be an integer in [" + numberText(minimum) + ", 2^53] (got " + numberText(v) + ")",
                     at(source, field));
  return v;
}

GenerateSpec generateSpec(const json& g, const JsonSource& source) {
  if (!g.is_object()) throw InputError("must be an object {\"n\", \"d\", \"R\", \"seed\"}", at(source, "generate"));
  for (const char* key : {"n", "d", "R"})
    if (!g.contains(key)) throw InputError("missing", at(source, std::string("generate.") + key));
  GenerateSpec spec;
  spec.n = static_cast<Eigen::Index>(integerField(g, "n", "generate.n", source, 1));
  spec.d = static_cast<Eigen::Index>(integerField(g, "d", "generate.d", source, 1));
  spec.R = numberAt(g.at("R"), source, "generate.R", std::nullopt, std::nullopt);
  if (g.contains("seed")) {
    // Seeds use all 64 bits; JSON integers beyond 2^53 arrive exactly as unsigned integers.
    if (g.at("seed").is_number_unsigned()) spec.seed = g.at("seed").get<std::uint64_t>();
    else spec.seed = static_cast<std::uint64_t>(integerField(g, "seed", "generate.seed", source, 0));
  }
  if (g.contains("noise")) spec.noise = numberAt(g.at("noise"), source, "generate.noise", std::nullopt, std::nullopt);
  if (g.contains("w")) spec.w = numberAt(g.at("w"), source, "generate.w", std::nullopt, std::nullopt);
  return spec;
}

// The data fields the kind reads: these are what `generate` replaces.
std::vector<const char*> dataFields(Kind kind) {
  if (isAttentionKind(kind)) return {"A1", "A2", "B"};
  return {"A", "b"};
}

void readVectorKindData(const json& root, const JsonSource& source, Problem& p) {
  p.A = matrixFromJson(root.at("A"), "A", source);
  p.b = vectorFromJson(root.at("b"), "b", source);
}

void readAttentionKindData(const json& root, const JsonSource& source, Problem& p) {
  p.A1 = matrixFromJson(root.at("A1"), "A1", source);
  p.A2 = matrixFromJson(root.at("A2"), "A2", source);
  p.B = matrixFromJson(root.at("B"), "B", source);
}

void readData(const json& root, const JsonSource& source, Problem& p) {
  for (const char* field : dataFields(p.kind))
    if (!root.contains(field))
      throw InputError("missing: kind '" + std::string(kindName(p.kind)) + "' needs " +
                           (isAttentionKind(p.kind) ? "A1, A2 and B" : "A and b") + ", or \"generate\"",
                       at(source, field));
  if (isAttentionKind(p.kind)) readAttentionKindData(root, source, p);
  else readVectorKindData(root, source, p);
}

void generateData(const json& root, const JsonSource& source, Problem& p) {
  for (const char* field : dataFields(p.kind))
    if (root.contains(field)) throw InputError("give either \"generate\" or the data, not both", at(source, field));
  const GenerateSpec spec = generateSpec(root.at("generate"), source);
  withSourceName(source, [&] { checkGenerateSpec(spec); });
  requireMemory(generatedBytes(p.kind, spec), at(source, "generate"));
  const Kind kind = p.kind;
  withSourceName(source, [&] { p = generateProblem(kind, spec); });
}

// The attention point X is d×d; validate() only sees vec(X), so its shape is checked here.
void readAttentionPoint(const json& root, const JsonSource& source, Problem& p) {
  const bool hasUpper = root.contains("X");
  if (hasUpper && root.contains("x")) throw InputError("give the point as X or as x, not both", at(source, "X"));
  if (!hasUpper && !root.contains("x")) return;
  const char* field = hasUpper ? "X" : "x";
  const Eigen::MatrixXd X = matrixFromJson(root.at(field), field, source);
  const Eigen::Index d = p.A1.cols();
  if (X.rows() != d || X.cols() != d)
    throw InputError("must be d×d = " + std::to_string(d) + "×" + std::to_string(d) + " (got " +
                         std::to_string(X.rows()) + "×" + std::to_string(X.cols()) + ")",
                     at(source, field));
  p.x = Eigen::Map<const Eigen::VectorXd>(X.data(), X.size());  // vec(X): columns stacked
}

void readPointAndExtras(const json& root, const JsonSource& source, Problem& p) {
  if (isAttentionKind(p.kind)) readAttentionPoint(root, source, p);
  else if (root.contains("x")) p.x = vectorFromJson(root.at("x"), "x", source);
  if (p.kind == Kind::InfoPrompt && root.contains("w")) p.w = vectorFromJson(root.at("w"), "w", source);
  if (root.contains("l2")) p.l2 = numberAt(root.at("l2"), source, "l2", std::nullopt, std::nullopt);
}

}  // namespace

JsonDocument readJsonDocument(const std::string& path) {
  JsonSource source;
  source.name = path == "-" ? "<stdin>" : path;
  if (path != "-") source.baseDir = std::filesystem::path(path).parent_path();
  return {parseText(readText(path), source.name), std::move(source)};
}

Problem readProblem(const std::string& path) {
  const JsonDocument document = readJsonDocument(path);
  return problemFromJson(document.root, document.source.baseDir, document.source.name);
}

Problem problemFromJson(const nlohmann::json& root, const std::filesystem::path& baseDir, const std::string& sourceName) {
  const JsonSource source{baseDir, sourceName};
  if (!root.is_object()) throw InputError("a problem must be a JSON object {\"kind\": ..., ...}", inFile(sourceName));
  Problem p;
  p.kind = kindField(root, source);
  if (root.contains("generate")) generateData(root, source, p);
  else readData(root, source, p);
  readPointAndExtras(root, source, p);
  withSourceName(source, [&] { validate(p); });
  return p;
}

Eigen::MatrixXd matrixFromJson(const nlohmann::json& value, const std::string& field, const JsonSource& source) {
  if (value.is_string()) return matrixFromFile(value.get<std::string>(), field, source);
  if (!value.is_array())
    throw InputError("must be an array of rows, or the name of a .npy or .csv file", at(source, field));
  if (value.empty()) throw InputError("empty matrix", at(source, field));
  const auto rows = static_cast<Eigen::Index>(value.size());
  Eigen::Index cols = 0;
  Eigen::MatrixXd m;
  for (Eigen::Index i = 0; i < rows; ++i) {
    const json& row = value[static_cast<std::size_t>(i)];
    if (!row.is_array()) throw InputError("must be an array of numbers (a matrix is an array of rows)", at(source, field, i));
    if (i == 0) {
      cols = static_cast<Eigen::Index>(row.size());
      if (cols == 0) throw InputError("empty row", at(source, field, 0));
      m.resize(rows, cols);
    }
    if (static_cast<Eigen::Index>(row.size()) != cols)
      throw InputError("ragged rows: this row has length " + std::to_string(row.size()) + ", row 0 has length " +
                           std::to_string(cols),
                       at(source, field, i));
    for (Eigen::Index j = 0; j < cols; ++j) m(i, j) = numberAt(row[static_cast<std::size_t>(j)], source, field, i, j);
  }
  return m;
}

Eigen::VectorXd vectorFromJson(const nlohmann::json& value, const std::string& field, const JsonSource& source) {
  if (value.is_string()) return vectorFromFile(value.get<std::string>(), field, source);
  if (!value.is_array())
    throw InputError("must be an array of numbers, or the name of a .npy or .csv file", at(source, field));
  if (value.empty()) throw InputError("empty vector", at(source, field));
  Eigen::VectorXd v(static_cast<Eigen::Index>(value.size()));
  for (Eigen::Index i = 0; i < v.size(); ++i) v[i] = numberAt(value[static_cast<std::size_t>(i)], source, field, i, std::nullopt);
  return v;
}

}  // namespace attnlab
