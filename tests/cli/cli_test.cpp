// The attnlab binary on fixtures (cli.md): eval and solve print the contract's fields with
// the numbers the core computes in-process, and every kind of bad input ends with exit
// status 2, exactly one "attnlab: error: " line on stderr and nothing on stdout.
#include <gtest/gtest.h>

#include <algorithm>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli_testing.hpp"
#include "core/io/json_problem.hpp"
#include "core/regression/loss.hpp"

namespace attnlab {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kFixtures = ATTNLAB_FIXTURES;

std::string fixture(const std::string& name) { return (kFixtures / name).string(); }

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

using clitest::attnlab;
using clitest::Outcome;

// A successful run: exit 0, nothing on stderr, one JSON document on stdout.
json okJson(const Outcome& run) {
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.err, "");
  return json::parse(run.out);
}

// cli.md's error rule.
void expectError(const Outcome& run, const std::string& mention, const std::string& what) {
  EXPECT_EQ(run.status, 2) << what << "\nstderr: " << run.err;
  EXPECT_EQ(run.out, "") << what;
  EXPECT_EQ(run.err.rfind("attnlab: error: ", 0), 0u) << what << "\nstderr: " << run.err;
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << what << "\nstderr: " << run.err;
  EXPECT_TRUE(!run.err.empty() && run.err.back() == '\n') << what;
  EXPECT_NE(run.err.find(mention), std::string::npos) << what << ": expected '" << mention << "' in " << run.err;
}

Eigen::VectorXd vectorOf(const json& j) {
  const std::vector<double> values = j.get<std::vector<double>>();
  return Eigen::Map<const Eigen::VectorXd>(values.data(), static_cast<Eigen::Index>(values.size()));
}

Eigen::MatrixXd matrixOf(const json& rows) {
  Eigen::MatrixXd m(rows.size(), rows.at(0).size());
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (std::size_t j = 0; j < rows[i].size(); ++j) m(i, j) = rows[i][j].get<double>();
  return m;
}

// The point as printed: a vector, or for attention kinds the d×d matrix X, read back as vec(X).
Eigen::VectorXd pointOf(const json& j, Kind kind) {
  if (!isAttentionKind(kind)) return vectorOf(j);
  const Eigen::MatrixXd X = matrixOf(j);
  EXPECT_EQ(X.rows(), X.cols());
  return Eigen::Map<const Eigen::VectorXd>(X.data(), X.size());
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / ("attnlab_cli_test_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string writeJson(const std::string& name, const json& j) const {
    std::ofstream(dir_ / name) << j.dump();
    return (dir_ / name).string();
  }

  fs::path dir_;
};

// ---- help and version ------------------------------------------------------------------

// With no subcommand attnlab opens the window; with no display it says so and opens nothing.
TEST(Cli, NoArgumentsWithoutDisplayExplainsWhy) {
#ifndef ATTNLAB_WITH_GUI
  GTEST_SKIP() << "built without the window: no arguments prints the help";
#endif
  unsetenv("DISPLAY");
  unsetenv("WAYLAND_DISPLAY");
  const Outcome run = attnlab({});
  EXPECT_NE(run.status, 0);
  EXPECT_TRUE(run.out.empty());
  EXPECT_NE(run.err.find("attnlab: error: "), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("display"), std::string::npos) << run.err;
}

TEST(Cli, HelpListsEverySubcommand) {
  const Outcome run = attnlab({"--help"});
  EXPECT_EQ(run.status, 0);
  for (const char* name : {"eval", "solve", "landscape", "bounds", "attention"})
    EXPECT_NE(run.out.find(name), std::string::npos) << name;
}

TEST(Cli, HelpAndVersionExitZero) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--help"}, {"eval", "--help"}, {"solve", "--help"}, {"--version"}}) {
    const Outcome run = attnlab(args);
    EXPECT_EQ(run.status, 0) << args.front();
    EXPECT_FALSE(run.out.empty()) << args.front();
  }
  EXPECT_NE(attnlab({"solve", "--help"}).out.find("--method"), std::string::npos);
  EXPECT_NE(attnlab({"--version"}).out.find("0.1.0"), std::string::npos);
}

// ---- eval ----------------------------------------------------------------------------------

// Runs `eval --hessian` on a problem file and compares every number with the core in-process.
// Equality is exact: the binary and this test link the same attnlab_core, and the JSON
// numbers round-trip, so any difference is lost precision in printing.
void expectEvalMatchesCore(const std::string& path) {
  const Problem problem = readProblem(path);
  const Loss loss(problem);
  const json out = okJson(attnlab({"eval", path, "--hessian"}));
  SCOPED_TRACE(path);
  EXPECT_EQ(out.at("kind"), std::string(kindName(problem.kind)));
  EXPECT_EQ(out.at("loss").get<double>(), loss.value(problem.x));
  EXPECT_EQ(pointOf(out.at("grad"), problem.kind), loss.gradient(problem.x));
  EXPECT_EQ(matrixOf(out.at("hessian")), loss.hessian(problem.x));
  EXPECT_GE(out.at("seconds").get<double>(), 0.0);
}

TEST_F(CliTest, EvalMatchesTheCoreForEveryKind) {
  for (const Kind kind : kAllKinds) {
    const bool attention = isAttentionKind(kind);
    json j = {{"kind", kindName(kind)}, {"generate", {{"n", 9}, {"d", 3}, {"R", 2}, {"seed", 11}}}, {"l2", 0.01}};
    if (attention) j["X"] = {{0.1, -0.2, 0.3}, {0.0, 0.4, -0.1}, {0.2, 0.1, 0.05}};
    else j["x"] = {0.3, -0.1, 0.2};
    expectEvalMatchesCore(writeJson(std::string(kindName(kind)) + ".json", j));
  }
}

TEST(Cli, EvalFixturesMatchTheCore) {
  expectEvalMatchesCore(fixture("softmax.json"));
  expectEvalMatchesCore(fixture("attention_normalized.json"));
}

TEST(Cli, EvalShapesForAttentionKinds) {
  const json out = okJson(attnlab({"eval", fixture("attention_normalized.json"), "--hessian"}));
  ASSERT_EQ(out.at("grad").size(), 2u);
  EXPECT_EQ(out.at("grad").at(0).size(), 2u);  // ∇_X L is d×d
  ASSERT_EQ(out.at("hessian").size(), 4u);     // d²×d² over vec(X)
  EXPECT_EQ(out.at("hessian").at(0).size(), 4u);
}

TEST(Cli, EvalWithoutHessianHasNoHessianField) {
  const json out = okJson(attnlab({"eval", fixture("softmax.json")}));
  for (const char* field : {"kind", "loss", "grad", "seconds"}) EXPECT_TRUE(out.contains(field)) << field;
  EXPECT_FALSE(out.contains("hessian"));
  EXPECT_EQ(out.at("grad").size(), 2u);
}

TEST(Cli, MatricesFromNpyAndCsvFilesRelativeToTheJson) {
  const json direct = okJson(attnlab({"eval", fixture("softmax.json")}));
  const json files = okJson(attnlab({"eval", fixture("from_files.json")}));
  EXPECT_EQ(files.at("loss"), direct.at("loss"));
  EXPECT_EQ(files.at("grad"), direct.at("grad"));
}

TEST(Cli, ProblemFromStandardInput) {
  const json direct = okJson(attnlab({"eval", fixture("softmax.json")}));
  const json piped = okJson(attnlab({"eval", "-"}, readFile(fixture("softmax.json"))));
  EXPECT_EQ(piped.at("loss"), direct.at("loss"));
  EXPECT_EQ(piped.at("grad"), direct.at("grad"));
  expectError(attnlab({"eval", "-"}, "{\"kind\": "), "<stdin>", "malformed JSON on stdin");
}

// ---- solve ---------------------------------------------------------------------------------

// Every field cli.md and the brief name, and the trajectory's shape.
void expectSolveContract(const json& out, const std::string& method, Kind kind) {
  for (const char* field : {"method", "converged", "iterations", "x", "loss", "grad_norm", "status", "trajectory", "seconds"})
    EXPECT_TRUE(out.contains(field)) << field;
  EXPECT_EQ(out.at("method"), method);
  const int iterations = out.at("iterations").get<int>();
  const json& trajectory = out.at("trajectory");
  ASSERT_EQ(trajectory.size(), static_cast<std::size_t>(iterations) + 1);
  for (std::size_t t = 0; t < trajectory.size(); ++t) {
    EXPECT_EQ(trajectory[t].at("t").get<int>(), static_cast<int>(t));
    for (const char* field : {"loss", "grad_norm", "x"}) EXPECT_TRUE(trajectory[t].contains(field)) << field;
  }
  EXPECT_EQ(trajectory.back().at("x"), out.at("x"));
  EXPECT_EQ(trajectory.back().at("loss"), out.at("loss"));
  EXPECT_EQ(pointOf(out.at("x"), kind).size(), pointOf(trajectory.front().at("x"), kind).size());
  EXPECT_GE(out.at("seconds").get<double>(), 0.0);
}

TEST(Cli, NewtonConvergesOnGeneratedInfoPrompt) {
  const std::string path = fixture("infoprompt_generated.json");
  const json out = okJson(attnlab({"solve", path, "--method", "newton", "--tol", "1e-9", "--steps", "100"}));
  expectSolveContract(out, "newton", Kind::InfoPrompt);
  EXPECT_TRUE(out.at("converged").get<bool>());
  EXPECT_EQ(out.at("status"), "Success");
  EXPECT_LE(out.at("grad_norm").get<double>(), 1e-9);
  EXPECT_LT(out.at("iterations").get<int>(), 100);
  // The printed solution is a stationary point of the problem the core reads.
  const Problem problem = readProblem(path);
  EXPECT_LE(Loss(problem).gradient(vectorOf(out.at("x"))).norm(), 1e-9);
}

// --hessian-reuse (not in cli.md yet): the same contract and the same stationary point.
TEST(Cli, NewtonWithHessianReuseConvergesToo) {
  const std::string path = fixture("infoprompt_generated.json");
  const json out =
      okJson(attnlab({"solve", path, "--method", "newton", "--hessian-reuse", "--tol", "1e-9", "--steps", "100"}));
  expectSolveContract(out, "newton", Kind::InfoPrompt);
  EXPECT_TRUE(out.at("converged").get<bool>());
  const Problem problem = readProblem(path);
  EXPECT_LE(Loss(problem).gradient(vectorOf(out.at("x"))).norm(), 1e-9);
}

// --hessian-precision (not in cli.md yet): mixed, the default, forms low-precision Gram sums and refines
// every step to the exact Newton step; double forms every Hessian in double. The same contract,
// the exact gradient at the printed x, the same iterates to 1e-9.
TEST(Cli, NewtonWithMixedPrecisionHessiansConvergesToTheSamePoint) {
  const std::string path = fixture("infoprompt_generated.json");
  const json exact = okJson(attnlab(
      {"solve", path, "--method", "newton", "--hessian-precision", "double", "--tol", "1e-10", "--steps", "100"}));
  const json mixed = okJson(attnlab({"solve", path, "--method", "newton", "--tol", "1e-10", "--steps", "100"}));
  expectSolveContract(mixed, "newton", Kind::InfoPrompt);
  EXPECT_TRUE(mixed.at("converged").get<bool>());
  const Problem problem = readProblem(path);
  const Eigen::VectorXd x = vectorOf(mixed.at("x"));
  EXPECT_LE(Loss(problem).gradient(x).norm(), 1e-10);
  EXPECT_LE((x - vectorOf(exact.at("x"))).norm(), 1e-9);
  ASSERT_EQ(mixed.at("trajectory").size(), exact.at("trajectory").size());
  for (std::size_t t = 0; t < exact.at("trajectory").size(); ++t)
    EXPECT_LE((vectorOf(mixed.at("trajectory")[t].at("x")) - vectorOf(exact.at("trajectory")[t].at("x"))).norm(), 1e-9)
        << "t = " << t;
}

TEST(Cli, HessianPrecisionIsDoubleOrMixed) {
  expectError(attnlab({"solve", fixture("softmax.json"), "--method", "newton", "--hessian-precision", "half"}),
              "--hessian-precision", "--hessian-precision half");
}

// --warmup and --repeat time the solve the peers' way (each run from a Loss with nothing cached);
// everything but the times is that of one run.
TEST(Cli, SolveWarmupAndRepeatTimeTheSameSolve) {
  const std::string path = fixture("infoprompt_generated.json");
  for (const std::string method : {"newton", "gd"}) {
    SCOPED_TRACE(method);
    const json once = okJson(attnlab({"solve", path, "--method", method, "--tol", "1e-9", "--steps", "50"}));
    const json timed = okJson(
        attnlab({"solve", path, "--method", method, "--tol", "1e-9", "--steps", "50", "--warmup", "--repeat", "3"}));
    EXPECT_EQ(timed.at("seconds_runs").size(), 3u);
    EXPECT_FALSE(once.contains("seconds_runs"));
    for (const char* field : {"x", "loss", "grad_norm", "iterations", "trajectory", "status"})
      EXPECT_EQ(timed.at(field), once.at(field)) << field;
    std::vector<double> runs = timed.at("seconds_runs").get<std::vector<double>>();
    std::sort(runs.begin(), runs.end());
    EXPECT_EQ(timed.at("seconds").get<double>(), runs[1]);
  }
  expectError(attnlab({"solve", path, "--method", "newton", "--repeat", "0"}), "--repeat", "--repeat 0");
}

TEST(Cli, EveryMethodPrintsTheContract) {
  const std::string path = fixture("infoprompt_generated.json");
  for (const std::string method : {"gd", "momentum", "newton", "approx-newton"}) {
    SCOPED_TRACE(method);
    const json out = okJson(attnlab({"solve", path, "--method", method, "--steps", "20", "--lr", "0.05"}));
    expectSolveContract(out, method, Kind::InfoPrompt);
    EXPECT_LE(out.at("iterations").get<int>(), 20);
    EXPECT_EQ(out.contains("samples"), method == "approx-newton");
    if (out.contains("epsilon")) {
      EXPECT_EQ(method, "approx-newton");
    }
  }
}

TEST(Cli, ApproxNewtonTakesSeedAndSamples) {
  const json out = okJson(attnlab({"solve", fixture("infoprompt_generated.json"), "--method", "approx-newton",
                                   "--samples", "32", "--seed", "3", "--steps", "30"}));
  expectSolveContract(out, "approx-newton", Kind::InfoPrompt);
  EXPECT_EQ(out.at("samples").get<int>(), 32);
}

TEST(Cli, ZeroStepsGiveTheStartOnly) {
  const json out = okJson(attnlab({"solve", fixture("softmax.json"), "--method", "gd", "--steps", "0"}));
  expectSolveContract(out, "gd", Kind::Softmax);
  EXPECT_EQ(out.at("iterations"), 0);
  EXPECT_EQ(out.at("x"), json({0.1, -0.3}));
}

TEST(Cli, AttentionSolvePrintsMatrices) {
  const json out = okJson(attnlab({"solve", fixture("attention_normalized.json"), "--method", "gd", "--steps", "5"}));
  expectSolveContract(out, "gd", Kind::AttentionNormalized);
  ASSERT_TRUE(out.at("x").is_array() && out.at("x").at(0).is_array());
  EXPECT_EQ(out.at("x").size(), 2u);
  EXPECT_TRUE(out.at("trajectory").at(0).at("x").at(0).is_array());
  EXPECT_EQ(out.at("trajectory").at(0).at("x"), json({{0.1, -0.2}, {0.3, 0.05}}));
}

// ---- errors ---------------------------------------------------------------------------------

struct BadCase {
  std::vector<std::string> args;
  std::string mention;  // something the one error line must say
};

TEST(Cli, EveryBadInputIsOneLineAndExitTwo) {
  const std::string ok = fixture("softmax.json");
  const std::vector<BadCase> cases = {
      {{"eval", fixture("no_such_file.json")}, "cannot read"},
      {{"eval", kFixtures.string()}, "directory"},
      {{"eval", fixture("bad_malformed.json")}, "line 2"},
      {{"eval", fixture("bad_ragged.json")}, "field 'A', row 1"},
      {{"eval", fixture("bad_shape.json")}, "field 'b'"},
      {{"eval", fixture("bad_unknown_kind.json")}, "unknown kind 'softmax_regression'"},
      {{"eval", fixture("bad_empty.json")}, "empty"},
      {{"eval", fixture("bad_nan.json")}, "nan.csv, field 'A', row 1, column 1"},
      {{"eval", fixture("bad_truncated_npy.json")}, "truncated"},
      {{"eval", fixture("bad_huge.json")}, "refused"},
      {{"eval", fixture("bad_R.json")}, "generate.R"},
      {{"eval", fixture("overflow_exp.json")}, "overflow"},
      {{"eval", ok, "--frobnicate"}, "--frobnicate"},
      {{"frobnicate", ok}, "frobnicate"},
      {{"eval"}, "PROBLEM"},
      {{"solve", ok}, "--method"},
      {{"solve", ok, "--method", "adam"}, "adam"},
      {{"solve", ok, "--method", "gd", "--lr", "0"}, "--lr"},
      {{"solve", ok, "--method", "gd", "--lr", "-1"}, "--lr"},
      {{"solve", ok, "--method", "gd", "--lr=-0.5"}, "--lr"},
      {{"solve", ok, "--method", "gd", "--lr", "nan"}, "--lr"},
      {{"solve", ok, "--method", "gd", "--lr", "fast"}, "--lr"},
      {{"solve", ok, "--method", "gd", "--steps", "1.5"}, "--steps"},
      {{"solve", ok, "--method", "gd", "--steps", "10000001"}, "--steps"},
      {{"solve", ok, "--method", "gd", "--steps=-1"}, "--steps"},
      {{"solve", ok, "--method", "gd", "--steps", "1e3"}, "--steps"},
      {{"solve", ok, "--method", "gd", "--tol=-1e-3"}, "--tol"},
      {{"solve", ok, "--method", "gd", "--tol", "inf"}, "--tol"},
      {{"solve", ok, "--method", "momentum", "--beta", "1"}, "--beta"},
      {{"solve", ok, "--method", "approx-newton", "--seed=-1"}, "--seed"},
      {{"solve", ok, "--method", "approx-newton", "--samples=-4"}, "--samples"},
      {{"solve", fixture("bad_shape.json"), "--method", "newton"}, "field 'b'"},
  };
  for (const BadCase& c : cases) {
    std::string what = "attnlab";
    for (const std::string& a : c.args) what += " " + a;
    expectError(attnlab(c.args), c.mention, what);
  }
}

}  // namespace
}  // namespace attnlab
