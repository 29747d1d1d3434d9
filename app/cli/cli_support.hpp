// What every subcommand shares: the app's setup and error mapping (cli.md's rules: bad
// input → exit 2 and one line "attnlab: error: …" on stderr, nothing on stdout), JSON
// output with full precision and never inf or nan, and the compute timer behind "seconds".
//
// A subcommand is one file exposing `void addXxxCommand(CLI::App&)`: it registers its
// options and a callback that reads input, runs the core, and prints one JSON document
// with printJson. Errors are thrown (InputError, OverflowError) and mapped by runCli.
#pragma once
#include <CLI/CLI.hpp>
#include <Eigen/Dense>
#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/errors.hpp"
#include "core/regression/problem.hpp"

namespace attnlab::cli {

// Kept in step with project(attnlab VERSION …) in the top-level CMakeLists.txt.
inline constexpr std::string_view kVersion = "0.1.0";

// Names the program, adds --version, and asks for at most one subcommand.
void configureApp(CLI::App& app);

// Parses argv and runs the chosen subcommand; returns the exit status: 0, also after --help
// and --version; 2 for any error, reported as one line on stderr.
int runCli(CLI::App& app, int argc, char** argv);

// A timing command reads its input, frees the parse tree, then computes under the clock. Three
// one-time costs of a fresh process would land inside it: glibc hands freed memory above 128 KB
// back to the system, so the computation faults in fresh pages (about 1 µs per 4 KB page on a
// virtual machine) instead of reusing the parser's; the program's code is mapped a page at a
// time, at each function's first call; and Eigen asks the CPU for its cache sizes (CPUID, a VM
// exit each) on its first matrix product. Called first, this pays them up front, the first two
// in bulk, which costs less than the faults did.
void prepareToCompute();

// Wall time of compute() on the steady clock, in seconds: the "seconds" of every output.
template <class Compute>
double timeSeconds(Compute&& compute) {
  const auto start = std::chrono::steady_clock::now();
  compute();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Output documents keep their fields in the order written (ordered_json).
nlohmann::ordered_json vectorJson(const Eigen::VectorXd& v);
nlohmann::ordered_json matrixJson(const Eigen::MatrixXd& m);  // an array of rows
// A parameter vector as the problem's point: a d-vector, or the d×d matrix X for attention
// kinds (x = vec(X), columns stacked).
nlohmann::ordered_json pointJson(const Problem& problem, const Eigen::VectorXd& x);

// Throws OverflowError naming the first inf or nan by its path ("trajectory[3].loss").
void requireFinite(const nlohmann::ordered_json& value, const std::string& path);

// Checks the document (requireFinite), then writes it as one line to stdout. Nothing is
// printed when it throws.
void printJson(const nlohmann::ordered_json& document);

// Refuses, like the problem reader, a dense dim×dim matrix (a Hessian) that would not fit
// in memory; option names the flag that asked for it ("--hessian").
void requireDenseMatrixFits(Eigen::Index dim, const std::string& option);

// A decimal integer in [0, maximum], digits only. CLI11 would take "-1" for an unsigned
// 2^64 − 1 and "010" for 8; counts and seeds are parsed here instead.
std::uint64_t parseCount(const std::string& text, const std::string& option, std::uint64_t maximum);

// Where a bad command-line option sits, for InputError: field = the option ("--lr").
InputLocation optionField(const std::string& option);

// Option values are finite numbers (CLI11 accepts "nan" and "inf").
void requireFiniteOption(double value, const std::string& option);

}  // namespace attnlab::cli
