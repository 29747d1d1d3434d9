// `attnlab attention` on inputs written here (cli.md): the fields, the numbers against a
// direct computation, matrices from .npy / .csv files, float32, and every kind of bad input
// (exit 2, one line on stderr, nothing on stdout).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli_testing.hpp"
#include "core/io/matrix_files.hpp"
#include "core/random.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using attnlab::clitest::Outcome;

class AttentionCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("attnlab_attention_cli_" + std::to_string(::getpid()) + "_" +
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


  Outcome attention(const json& input, const std::string& extra = "") {
    return run("attention '" + write("input.json", input.dump()).string() + "'" + extra);
  }

  json ok(const json& input, const std::string& extra = "") {
    const Outcome r = attention(input, extra);
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_TRUE(r.err.empty()) << r.err;
    return json::parse(r.out);
  }

  // cli.md: exit 2, exactly one line "attnlab: error: …" naming `mentions`, empty stdout.
  void bad(const Outcome& r, const std::string& mentions) {
    EXPECT_EQ(r.status, 2) << r.out;
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_EQ(r.err.rfind("attnlab: error: ", 0), 0u) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_NE(r.err.find(mentions), std::string::npos) << "expected '" << mentions << "' in: " << r.err;
  }
  void bad(const json& input, const std::string& mentions, const std::string& extra = "") {
    bad(attention(input, extra), mentions);
  }

  fs::path dir_;
};

Eigen::MatrixXd gaussian(Eigen::Index rows, Eigen::Index cols, std::uint64_t seed) {
  attnlab::Random rng(seed);
  Eigen::MatrixXd m(rows, cols);
  for (Eigen::Index i = 0; i < rows; ++i)
    for (Eigen::Index j = 0; j < cols; ++j) m(i, j) = rng.normal();
  return m;
}

json rows(const Eigen::MatrixXd& m) {
  json out = json::array();
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    json row = json::array();
    for (Eigen::Index j = 0; j < m.cols(); ++j) row.push_back(m(i, j));
    out.push_back(row);
  }
  return out;
}

Eigen::MatrixXd matrix(const json& rowsJson) {
  Eigen::MatrixXd m(rowsJson.size(), rowsJson.at(0).size());
  for (std::size_t i = 0; i < rowsJson.size(); ++i)
    for (std::size_t j = 0; j < rowsJson[i].size(); ++j) m(Eigen::Index(i), Eigen::Index(j)) = rowsJson[i][j].get<double>();
  return m;
}

Eigen::MatrixXd softmaxAttention(const Eigen::MatrixXd& Q, const Eigen::MatrixXd& K, const Eigen::MatrixXd& V, double s) {
  Eigen::MatrixXd P = s * Q * K.transpose();
  P = (P.colwise() - P.rowwise().maxCoeff()).array().exp();
  P.array().colwise() /= P.rowwise().sum().array();
  return P * V;
}

struct Data {
  Eigen::MatrixXd Q = gaussian(12, 4, 1), K = gaussian(15, 4, 2), V = gaussian(15, 3, 3);
  json input(const std::string& kernel) const {
    return {{"kernel", kernel}, {"Q", rows(Q)}, {"K", rows(K)}, {"V", rows(V)}, {"scale", 0.5}};
  }
};

TEST_F(AttentionCli, SoftmaxMatchesTheDefinition) {
  const Data d;
  const json out = ok(d.input("softmax"));
  EXPECT_EQ(out.at("kernel"), "softmax");
  EXPECT_EQ(out.at("dtype"), "float64");
  EXPECT_GE(out.at("seconds").get<double>(), 0.0);
  EXPECT_FALSE(out.contains("error_vs_softmax"));
  const Eigen::MatrixXd expected = softmaxAttention(d.Q, d.K, d.V, 0.5);
  EXPECT_LT((matrix(out.at("out")) - expected).norm() / expected.norm(), 1e-14);
}

TEST_F(AttentionCli, ApproximateKernelsReportTheirError) {
  const Data d;
  for (const std::string kernel : {"elu", "favor", "softplus", "glu", "aoglu"}) {
    json input = d.input(kernel);
    input["features"] = 32;
    input["seed"] = 3;
    const json out = ok(input);
    EXPECT_EQ(out.at("kernel"), kernel);
    const Eigen::MatrixXd o = matrix(out.at("out"));
    EXPECT_EQ(o.rows(), 12);
    EXPECT_EQ(o.cols(), 3);
    const double err = out.at("error_vs_softmax").get<double>();
    const Eigen::MatrixXd exact = softmaxAttention(d.Q, d.K, d.V, 0.5);
    EXPECT_NEAR(err, (o - exact).norm() / exact.norm(), 1e-12) << kernel;
    EXPECT_EQ(out.contains("fit"), kernel != "elu" && kernel != "favor") << kernel;
    EXPECT_EQ(out.contains("features"), kernel != "elu") << kernel;
  }
}

// --warmup and --repeat time the kernel the peers' way; the numbers are those of one run.
TEST_F(AttentionCli, RepeatedRunsReportTheirMedian) {
  json input = Data().input("favor");
  input["seed"] = 5;
  const json once = ok(input);
  EXPECT_FALSE(once.contains("seconds_runs"));
  const json timed = ok(input, " --warmup --repeat 5");
  EXPECT_EQ(timed.at("out"), once.at("out"));
  EXPECT_EQ(timed.at("error_vs_softmax"), once.at("error_vs_softmax"));
  std::vector<double> runs = timed.at("seconds_runs").get<std::vector<double>>();
  ASSERT_EQ(runs.size(), 5u);
  std::sort(runs.begin(), runs.end());
  EXPECT_EQ(timed.at("seconds").get<double>(), runs[2]);
  bad(input, "--repeat", " --repeat 0");
}

TEST_F(AttentionCli, EluIsLinearAttentionWithEluPlusOne) {
  const Data d;
  const json out = ok(d.input("elu"));
  auto phi = [](const Eigen::MatrixXd& X) { return X.unaryExpr([](double x) { return x > 0 ? x + 1 : std::exp(x); }).eval(); };
  const Eigen::MatrixXd A = phi(d.Q) * phi(d.K).transpose();  // scale not applied (cli.md)
  const Eigen::MatrixXd expected = (A * d.V).array().colwise() / A.rowwise().sum().array();
  EXPECT_LT((matrix(out.at("out")) - expected).norm() / expected.norm(), 1e-13);
}

TEST_F(AttentionCli, SameSeedSameFeatures) {
  json input = Data().input("favor");
  input["seed"] = 11;
  EXPECT_EQ(ok(input).at("out"), ok(input).at("out"));
  json other = input;
  other["seed"] = 12;
  EXPECT_NE(ok(input).at("out"), ok(other).at("out"));
}

TEST_F(AttentionCli, MatricesFromNpyAndCsvFiles) {
  const Data d;
  fs::create_directories(dir_ / "data");
  attnlab::writeNpy(dir_ / "data" / "Q.npy", d.Q);
  attnlab::writeNpy(dir_ / "data" / "K.npy", d.K);
  std::ostringstream csv;
  csv.precision(17);
  for (Eigen::Index i = 0; i < d.V.rows(); ++i)
    for (Eigen::Index j = 0; j < d.V.cols(); ++j) csv << d.V(i, j) << (j + 1 < d.V.cols() ? "," : "\n");
  write("data/V.csv", csv.str());
  json input = d.input("softmax");
  input["Q"] = "data/Q.npy";
  input["K"] = "data/K.npy";
  input["V"] = "data/V.csv";
  EXPECT_EQ(ok(input).at("out"), ok(d.input("softmax")).at("out"));
}

TEST_F(AttentionCli, StandardInput) {
  const fs::path in = write("stdin.json", Data().input("softmax").dump());
  const Outcome r = run("attention -", in.string());
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(json::parse(r.out).at("out"), ok(Data().input("softmax")).at("out"));
}

TEST_F(AttentionCli, Float32RoundsAndComputesInFloat) {
  const Data d;
  json input = d.input("softmax");
  input["dtype"] = "float32";
  const json out = ok(input);
  EXPECT_EQ(out.at("dtype"), "float32");
  const Eigen::MatrixXd o = matrix(out.at("out"));
  for (Eigen::Index i = 0; i < o.rows(); ++i)
    for (Eigen::Index j = 0; j < o.cols(); ++j) EXPECT_EQ(o(i, j), double(float(o(i, j))));
  const Eigen::MatrixXd exact = softmaxAttention(d.Q, d.K, d.V, 0.5);
  EXPECT_LT((o - exact).norm() / exact.norm(), 1e-5);
  // --dtype overrides the input's field, both ways.
  EXPECT_EQ(ok(d.input("softmax"), " --dtype float32").at("out"), out.at("out"));
  EXPECT_EQ(ok(input, " --dtype float64").at("dtype"), "float64");
}

TEST_F(AttentionCli, CausalMasksTheFuture) {
  const Data d;
  json input = d.input("softmax");
  input["K"] = rows(d.K.topRows(12));
  input["V"] = rows(d.V.topRows(12));
  input["causal"] = true;
  const Eigen::MatrixXd o = matrix(ok(input).at("out"));
  EXPECT_LT((o.row(0) - d.V.row(0)).norm(), 1e-15);  // query 0 sees key 0 only
  input["kernel"] = "elu";
  EXPECT_LT((matrix(ok(input).at("out")).row(0) - d.V.row(0)).norm(), 1e-15);
}

TEST_F(AttentionCli, UnknownFieldsAreIgnored) {
  json input = Data().input("softmax");
  input["comment"] = "extra data";
  input["plane"] = {{"u", {1, 2}}};
  EXPECT_EQ(ok(input).at("out"), ok(Data().input("softmax")).at("out"));
}

TEST_F(AttentionCli, BadShapes) {
  const Data d;
  json input = d.input("softmax");
  input["K"] = rows(gaussian(15, 5, 4));
  bad(input, "'K'");
  input = d.input("softmax");
  input["V"] = rows(gaussian(14, 3, 4));
  bad(input, "'V'");
  input = d.input("softmax");
  input["Q"] = json::array();
  bad(input, "'Q'");
  input["Q"] = {{1.0, 2.0}, {3.0}};
  bad(input, "'Q'");
  input = d.input("softmax");
  input.erase("V");
  bad(input, "'V'");
  input = d.input("softmax");
  input["causal"] = true;  // 12 queries, 15 keys: fine; the reverse is not
  ok(input);
  std::swap(input["Q"], input["K"]);
  input["V"] = rows(gaussian(12, 3, 5));
  bad(input, "causal");
}

TEST_F(AttentionCli, BadValues) {
  const Data d;
  json input = d.input("softmax");
  write("nan.csv", "1,2,3,4\nnan,0,0,0\n");
  input["Q"] = "nan.csv";
  bad(input, "row 1");
  input = d.input("softmax");
  input["Q"][2][1] = "x";
  bad(input, "'Q'");
  input = d.input("softmax");
  input["V"][0][0] = 1e300;
  input["dtype"] = "float32";
  bad(input, "float32");
  input["dtype"] = "float64";
  ok(input);
  input = d.input("softmax");
  input["Q"][0][0] = 1e200;
  input["K"][0][0] = 1e200;
  bad(input, "overflows");
}

TEST_F(AttentionCli, BadOptions) {
  const Data d;
  bad(d.input("linear"), "unknown kernel 'linear'");
  json input = d.input("softmax");
  input["kernel"] = 3;
  bad(input, "'kernel'");
  input = d.input("favor");
  for (const json& features : {json(0), json(-1), json(2.5), json("many")}) {
    input["features"] = features;
    bad(input, "'features'");
  }
  input = d.input("favor");
  input["features"] = 1e12;
  bad(input, "'features'");  // far beyond this machine's memory
  input = d.input("favor");
  input["seed"] = -1;
  bad(input, "'seed'");
  input = d.input("favor");
  input["scale"] = -1;
  bad(input, "'scale'");
  input = d.input("softmax");
  input["dtype"] = "float16";
  bad(input, "unknown dtype 'float16'");
  input = d.input("softmax");
  input["causal"] = "yes";
  bad(input, "'causal'");
  bad(d.input("softmax"), "--dtype", " --dtype float16");
  bad(d.input("softmax"), "--frobnicate", " --frobnicate");
}

TEST_F(AttentionCli, BadFiles) {
  bad(run("attention '" + (dir_ / "missing.json").string() + "'"), "missing.json");
  bad(run("attention '" + write("broken.json", "{\"kernel\": \"softmax\", \"Q\": [[1, 2]").string() + "'"), "broken.json");
  bad(run("attention '" + write("array.json", "[1, 2, 3]").string() + "'"), "object");
  json input = Data().input("softmax");
  input["Q"] = "absent.npy";
  bad(input, "absent.npy");
  bad(run("attention"), "INPUT");
}

}  // namespace
