// `attnlab bounds` on fixtures (cli.md, `bounds`): every contract field in every step, exactly T
// steps, the numbers the core computes in-process (printed at full precision), log10_beta always
// and beta only while finite, and cli.md's error rule for every kind of bad input: exit status 2,
// one "attnlab: error: " line on stderr, nothing on stdout.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/cli_testing.hpp"
#include "core/bounds/bounds_lab.hpp"
#include "core/io/json_problem.hpp"

namespace attnlab {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kFixtures = ATTNLAB_FIXTURES;

std::string fixture(const std::string& name) { return (kFixtures / name).string(); }

using clitest::Outcome;

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class BoundsCli : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / ("attnlab_bounds_cli_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string writeJson(const std::string& name, const json& j) const {
    std::ofstream(dir_ / name) << j.dump();
    return (dir_ / name).string();
  }

  // `attnlab bounds ARGS` through the shared runner (cli_testing.hpp).
  Outcome attnlab(const std::vector<std::string>& args, const std::string& input = "") const {
    std::vector<std::string> all{"bounds"};
    all.insert(all.end(), args.begin(), args.end());
    return clitest::attnlab(all, input);
  }

  json okJson(const std::vector<std::string>& args, const std::string& input = "") const {
    const Outcome run = attnlab(args, input);
    EXPECT_EQ(run.status, 0) << run.err;
    EXPECT_EQ(run.err, "");
    return json::parse(run.out);
  }

  fs::path dir_;
};

void expectError(const Outcome& run, const std::string& mention, const std::string& what) {
  EXPECT_EQ(run.status, 2) << what << "\nstderr: " << run.err;
  EXPECT_EQ(run.out, "") << what;
  EXPECT_EQ(run.err.rfind("attnlab: error: ", 0), 0u) << what << "\nstderr: " << run.err;
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << what << "\nstderr: " << run.err;
  EXPECT_NE(run.err.find(mention), std::string::npos) << what << ": expected '" << mention << "' in " << run.err;
}

const std::vector<std::string> kStepFields = {"t",          "step_norm",   "db_norm",     "db1_norm",
                                              "db2_norm",   "log10_beta",  "log10_part1", "log10_part2",
                                              "log10_lemma", "log10_theorem", "sharp",    "hypotheses"};
const std::vector<std::string> kHypotheses = {"R_at_least_4", "A_norm_at_most_R", "x_norm_at_most_R", "small_step"};

// cli.md's fields, in a document of T steps.
void expectContract(const json& doc, const std::string& shift, std::size_t steps) {
  for (const char* key : {"shift", "n", "d", "R", "steps", "seconds"}) ASSERT_TRUE(doc.contains(key)) << key;
  EXPECT_EQ(doc.at("shift"), shift);
  EXPECT_TRUE(doc.at("n").is_number_integer() && doc.at("d").is_number_integer());
  EXPECT_TRUE(doc.at("R").is_number() && doc.at("seconds").is_number());
  ASSERT_EQ(doc.at("steps").size(), steps);
  for (std::size_t t = 0; t < steps; ++t) {
    const json& step = doc.at("steps")[t];
    for (const std::string& key : kStepFields) ASSERT_TRUE(step.contains(key)) << "steps[" << t << "]." << key;
    EXPECT_EQ(step.at("t"), t);
    for (const std::string& key : kStepFields) {
      if (key != "hypotheses") {
        EXPECT_TRUE(step.at(key).is_number()) << key;
      }
    }
    for (const std::string& key : kHypotheses) EXPECT_TRUE(step.at("hypotheses").at(key).is_boolean()) << key;
  }
}

TEST_F(BoundsCli, WeightShiftPrintsEveryFieldAndTheCoreNumbers) {
  const json doc = okJson({fixture("softmax.json"), "--shift", "x", "--lr", "0.05", "--steps", "4"});
  expectContract(doc, "x", 4);
  EXPECT_EQ(doc.at("n"), 3);
  EXPECT_EQ(doc.at("d"), 2);

  BoundsParams params;
  params.lr = 0.05;
  params.steps = 4;
  Progress progress;
  const BoundsResult core = runBounds(readProblem(fixture("softmax.json")), params, progress);
  EXPECT_EQ(doc.at("R").get<double>(), core.R);
  for (std::size_t t = 0; t < 4; ++t) {
    const json& step = doc.at("steps")[t];
    const StepBounds& s = core.steps[t];
    EXPECT_EQ(step.at("step_norm").get<double>(), s.stepNorm);
    EXPECT_EQ(step.at("db_norm").get<double>(), s.dbNorm);
    EXPECT_EQ(step.at("db1_norm").get<double>(), s.db1Norm);
    EXPECT_EQ(step.at("db2_norm").get<double>(), s.db2Norm);
    EXPECT_EQ(step.at("beta").get<double>(), *s.beta());
    EXPECT_EQ(step.at("log10_lemma").get<double>(), s.log10Lemma);
    EXPECT_EQ(step.at("log10_theorem").get<double>(), s.log10Theorem);
    EXPECT_EQ(step.at("sharp").get<double>(), s.sharp);
    EXPECT_EQ(step.at("hypotheses").at("small_step"), s.hypotheses.smallStep);
    EXPECT_LE(2 * std::log10(step.at("db_norm").get<double>()), step.at("log10_theorem").get<double>());
  }
}

TEST_F(BoundsCli, DataShiftEveryUpdate) {
  const std::string problem = writeJson(
      "p.json", {{"kind", "softmax"}, {"generate", {{"n", 16}, {"d", 4}, {"R", 4}, {"seed", 2}}}, {"x", {1, -1, 0.5, 2}}});
  for (const std::string update : {"gd", "lsa", "random"}) {
    const json doc = okJson({problem, "--shift", "A", "--attention-update", update, "--lr", "0.01", "--scale", "0.002",
                             "--steps", "3", "--seed", "5"});
    expectContract(doc, "A", 3);
    EXPECT_EQ(doc.at("attention_update"), update);
    EXPECT_GE(doc.at("R").get<double>(), 4.0);
    if (update == "random") {
      for (const json& step : doc.at("steps")) EXPECT_NEAR(step.at("step_norm").get<double>(), 0.002, 1e-12);
    }
  }
}

TEST_F(BoundsCli, LogitsBeyond709OmitBetaButAlwaysPrintLog10Beta) {
  const std::string problem =
      writeJson("big.json", {{"kind", "softmax"}, {"A", {{30, 0}, {0, 1}, {1, 1}}}, {"b", {0.2, 0.3, 0.5}}, {"x", {25, 0}}});
  const json doc = okJson({problem, "--shift", "A", "--attention-update", "random", "--scale", "1e-6", "--steps", "2"});
  expectContract(doc, "A", 2);
  for (const json& step : doc.at("steps")) {
    EXPECT_FALSE(step.contains("beta"));
    EXPECT_NEAR(step.at("log10_beta").get<double>(), 750 / std::log(10.0), 1e-4);  // A moves by 1e-6
  }
}

TEST_F(BoundsCli, ROverrideStdinZeroStepsAndZeroStep) {
  json doc = okJson({fixture("softmax.json"), "--shift", "x", "--R", "3.5", "--steps", "1"});
  EXPECT_EQ(doc.at("R"), 3.5);
  EXPECT_FALSE(doc.at("steps")[0].at("hypotheses").at("R_at_least_4"));

  doc = okJson({"-", "--shift", "x", "--steps", "0"}, readFile(fixture("softmax.json")));
  expectContract(doc, "x", 0);

  // x = 0: ∇_A L = g·xᵀ = 0, so A stays put: a zero step, still finite logs.
  const std::string zero =
      writeJson("zero.json", {{"kind", "softmax"}, {"A", {{1, 0.5}, {0.2, -1}}}, {"b", {0.4, 0.6}}});
  doc = okJson({zero, "--shift", "A", "--steps", "2"});
  expectContract(doc, "A", 2);
  EXPECT_EQ(doc.at("steps")[0].at("step_norm"), 0.0);
  EXPECT_EQ(doc.at("steps")[0].at("zero_step"), true);
}

TEST_F(BoundsCli, BadInputExitsWithStatus2AndOneLine) {
  const std::string softmax = fixture("softmax.json");
  expectError(attnlab({fixture("attention_normalized.json"), "--shift", "x"}), "vector kinds", "attention kind");
  expectError(attnlab({softmax}), "--shift", "missing --shift");
  expectError(attnlab({softmax, "--shift", "b"}), "--shift", "unknown shift");
  expectError(attnlab({"--shift", "x"}), "PROBLEM", "missing problem");
  for (const std::string lr : {"0", "-1", "nan", "inf", "abc"})
    expectError(attnlab({softmax, "--shift", "x", "--lr", lr}), "--lr", "--lr " + lr);
  for (const std::string steps : {"-1", "10000001", "2.5", "1e3", ""})
    expectError(attnlab({softmax, "--shift", "x", "--steps", steps}), "--steps", "--steps " + steps);
  for (const std::string R : {"0", "-2", "nan", "inf"})
    expectError(attnlab({softmax, "--shift", "x", "--R", R}), "--R", "--R " + R);
  expectError(attnlab({softmax, "--shift", "A", "--scale", "-1"}), "--scale", "negative scale");
  expectError(attnlab({softmax, "--shift", "A", "--attention-update", "svd"}), "--attention-update", "unknown update");
  expectError(attnlab({softmax, "--shift", "x", "--seed", "-1"}), "--seed", "negative seed");
  expectError(attnlab({softmax, "--shift", "x", "--frobnicate"}), "frobnicate", "unknown option");
  expectError(attnlab({(dir_ / "missing.json").string(), "--shift", "x"}), "missing.json", "missing file");
  for (const std::string bad : {"bad_malformed.json", "bad_nan.json", "bad_ragged.json", "bad_shape.json",
                                "bad_unknown_kind.json", "bad_empty.json", "bad_huge.json"})
    expectError(attnlab({fixture(bad), "--shift", "x"}), "", bad);
  // exp(Ax) with Ax = 1000: the gradient overflows; named, never printed as inf.
  expectError(attnlab({fixture("overflow_exp.json"), "--shift", "x"}), "overflows", "exp overflow, weight shift");
  expectError(attnlab({fixture("overflow_exp.json"), "--shift", "A"}), "overflows", "exp overflow, data shift");
}

}  // namespace
}  // namespace attnlab
