// Problems from JSON (cli.md, "Problems"): the boundary where every input is validated.
//
// Fields: kind; A, b (vector kinds); A1, A2, B (attention kinds); x, or X (d×d, stored as
// vec(X), columns stacked) for attention kinds; w (infoprompt); l2; generate. A matrix is an
// array of rows, a vector an array of numbers, and either may instead be a string: the path,
// relative to the JSON file's directory, of a .npy or .csv file. Only the fields the kind
// uses are read; all others are ignored, so a file may carry extra data.
// `generate` replaces the data (A, b or A1, A2, B; giving both is an error); x, w and l2
// still apply to a generated instance.
//
// Every rejection is an InputError naming the file, the field, and the 0-based row and
// column of a bad entry: "problem.json: field 'A', row 2, column 1: not a number".
#pragma once
#include <Eigen/Dense>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "core/regression/problem.hpp"

namespace attnlab {

// Where a JSON document came from: matrix file names in it are relative to baseDir, and
// errors call it name ("problem.json", "<stdin>").
struct JsonSource {
  std::filesystem::path baseDir;
  std::string name;
};

struct JsonDocument {
  nlohmann::json root;
  JsonSource source;
};

// Reads and parses a JSON file; "-" reads standard input. An unreadable file or malformed
// JSON is an InputError giving the line and column of the fault.
JsonDocument readJsonDocument(const std::string& path);

// readJsonDocument + problemFromJson.
Problem readProblem(const std::string& path);

// Parses the problem in `root`, generates it if asked, and validates it (validate() from
// problem.hpp, its errors completed with the file name). The result is ready for Loss.
Problem problemFromJson(const nlohmann::json& root, const std::filesystem::path& baseDir,
                        const std::string& sourceName);

// One matrix (array of rows) or vector (array of numbers) field, inline or from a file;
// for other subcommands' inputs too (Q, K, V, ...). Rejects empty, ragged, non-numeric and
// non-finite data; a vector file may hold one row or one column.
Eigen::MatrixXd matrixFromJson(const nlohmann::json& value, const std::string& field, const JsonSource& source);
Eigen::VectorXd vectorFromJson(const nlohmann::json& value, const std::string& field, const JsonSource& source);

}  // namespace attnlab
