// `attnlab template` (README, command line): the output's fields and shapes, seeding, the
// αα-vs-αβ gap between the transformer and MLP kernels, and every kind of bad input (exit 2,
// one line on stderr naming the field, nothing on stdout).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "cli/cli_testing.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using attnlab::clitest::Outcome;

class TemplateCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("attnlab_template_cli_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / name;
    std::ofstream(p) << text;
    return p;
  }

  // Runs attnlab with args (already quoted as needed), stdin from stdinFile if given.
  Outcome run(const std::string& args, const std::string& stdinFile = "") {
    return attnlab::clitest::attnlabShell(args, dir_, stdinFile);
  }


  Outcome templateRun(const std::string& text) { return run("template '" + write("input.json", text).string() + "'"); }

  json ok(const json& input) {
    const Outcome r = templateRun(input.dump());
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_TRUE(r.err.empty()) << r.err;
    return r.status == 0 ? json::parse(r.out) : json();
  }

  void bad(const Outcome& r, const std::string& mentions) {
    EXPECT_EQ(r.status, 2) << r.out;
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_EQ(r.err.rfind("attnlab: error: ", 0), 0u) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_NE(r.err.find(mentions), std::string::npos) << "expected '" << mentions << "' in: " << r.err;
  }
  void bad(const json& input, const std::string& mentions) { bad(templateRun(input.dump()), mentions); }

  fs::path dir_;
};

json small() {
  return {{"task", "aa_ab"},
          {"kernels", {"transformer", "mlp"}},
          {"train_sizes", {4, 64}},
          {"test_size", 60},
          {"alphabet", 64},
          {"samples", 200},
          {"ridge", 1e-6},
          {"seed", 1},
          {"comment", "unknown fields are ignored"}};
}

TEST_F(TemplateCli, FieldsAndTheGapOnUnseenSymbols) {
  const json out = ok(small());
  ASSERT_TRUE(out.is_object());
  EXPECT_EQ(out.at("task"), "aa_ab");
  EXPECT_EQ(out.at("templates").size(), 2u);
  EXPECT_EQ(out.at("templates")[0].at("pattern"), "αα");
  EXPECT_EQ(out.at("templates")[0].at("label"), 1.0);
  EXPECT_GE(out.at("seconds").get<double>(), 0.0);
  const json& kernels = out.at("kernels");
  ASSERT_EQ(kernels.size(), 2u);
  const json& trans = kernels[0];
  const json& mlp = kernels[1];
  EXPECT_EQ(trans.at("kernel"), "transformer");
  EXPECT_EQ(mlp.at("kernel"), "mlp");
  EXPECT_EQ(trans.at("test_error").size(), 2u);
  EXPECT_EQ(trans.at("test_error_stderr").size(), 2u);
  EXPECT_FALSE(mlp.contains("test_error_stderr"));  // exact kernel
  EXPECT_EQ(trans.at("N").size(), 2u);
  EXPECT_EQ(trans.at("N")[0].size(), 2u);
  EXPECT_FALSE(trans.at("N_singular").get<bool>());
  EXPECT_TRUE(mlp.at("N_singular").get<bool>());
  EXPECT_TRUE(trans.at("N_condition").is_number());
  EXPECT_TRUE(mlp.at("N_condition").is_null() || mlp.at("N_condition").get<double>() > 1e12);
  const double t = trans.at("test_error")[1], m = mlp.at("test_error")[1];
  std::printf("n = 64: transformer %.4f, mlp %.4f\n", t, m);
  EXPECT_LT(t, 0.4);
  EXPECT_GT(m, 0.8);
}

TEST_F(TemplateCli, SeededStandardInputAndOtherTasks) {
  const json a = ok(small());
  const fs::path in = write("stdin.json", small().dump());
  const Outcome r = run("template -", in.string());
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(json::parse(r.out).at("kernels"), a.at("kernels"));
  for (const json& task : {json{{"task", "majority"}, {"length", 3}}, json{{"task", "aba_abb"}},
                           json{{"task", "random"}, {"templates", 3}, {"length", 3}, {"tokens", 1}}}) {
    json input = {{"kernels", {"attention"}}, {"train_sizes", {8}}, {"test_size", 10},   {"samples", 20},
                  {"embedding", "gaussian"},  {"dim", 8},           {"kq_identity", 1.0}};
    input.update(task);
    const json out = ok(input);
    EXPECT_EQ(out.at("task"), task.at("task"));
    const auto r2 = out.at("templates").size();
    EXPECT_EQ(out.at("kernels")[0].at("N").size(), r2);
  }
}

TEST_F(TemplateCli, ListedInHelp) {
  const Outcome r = run("--help");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("template"), std::string::npos) << r.out;
  EXPECT_EQ(run("template --help").status, 0);
}

TEST_F(TemplateCli, BadInputExitsTwoNamingTheField) {
  bad(templateRun("{ not json"), "input.json");
  bad(json::array(), "JSON object");
  auto with = [](const json& patch) {
    json input = small();
    input.update(patch);
    return input;
  };
  bad(json{{"train_sizes", {4}}}, "task");
  bad(with({{"task", "abc"}}), "task");
  bad(with({{"task", 3}}), "task");
  bad(with({{"kernels", {"transformer", "rbf"}}}), "kernels[1]");
  bad(with({{"kernels", json::array()}}), "kernels");
  bad(with({{"kernels", {"mlp", "mlp"}}}), "kernels");
  bad(with({{"train_sizes", json::array()}}), "train_sizes");
  bad(with({{"train_sizes", {4, -1}}}), "train_sizes[1]");
  bad(with({{"train_sizes", {4.5}}}), "train_sizes[0]");
  bad(with({{"test_size", 0}}), "test_size");
  bad(with({{"samples", 1}}), "samples");
  bad(with({{"ridge", -1e-3}}), "ridge");
  bad(with({{"ridge", "small"}}), "ridge");
  bad(with({{"alphabet", 1}}), "alphabet");
  bad(with({{"embedding", "random"}}), "embedding");
  bad(with({{"dim", 0}}), "dim");
  bad(with({{"seed", -1}}), "seed");
  bad(with({{"beta", "x"}}), "beta");
  bad(with({{"task", "majority"}, {"length", 20}}), "length");
  bad(with({{"task", "random"}, {"templates", 5}, {"length", 2}}), "templates");
  bad(with({{"train_sizes", {4096}}, {"test_size", 100000}}), "test_size");
  // A NaN cannot be written in JSON; an overflowing literal is refused by the reader.
  bad(templateRun(R"({"task": "aa_ab", "gamma": 1e999})"), "1e999");
  bad(run("template '" + (dir_ / "missing.json").string() + "'"), "missing.json");
}

}  // namespace
