// `attnlab landscape` on problems written to a scratch directory: the .json and .csv files hold
// the contract's fields with the numbers Loss::value gives in-process, every plane choice
// behaves as cli.md and peers/README.md ("Passing the plane") say, and every bad input ends
// with exit status 2, one "attnlab: error: " line, nothing on stdout and no --out file.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "core/io/json_problem.hpp"
#include "core/regression/loss.hpp"

namespace attnlab {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Outcome {
  int status = -1;  // exit status, or 128 + signal
  std::string out;
  std::string err;
};

// fork + exec of ATTNLAB_BINARY with stdout and stderr captured; poll() drains both pipes.
Outcome attnlab(const std::vector<std::string>& args) {
  int out[2], err[2];
  if (pipe(out) != 0 || pipe(err) != 0) throw std::runtime_error("pipe failed");
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], 1);
    dup2(err[1], 2);
    for (int fd : {out[0], out[1], err[0], err[1]}) close(fd);
    std::vector<char*> argv{const_cast<char*>(ATTNLAB_BINARY)};
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(ATTNLAB_BINARY, argv.data());
    _exit(127);
  }
  close(out[1]);
  close(err[1]);
  Outcome run;
  std::vector<pollfd> fds = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  std::string* sinks[2] = {&run.out, &run.err};
  while (fds[0].fd >= 0 || fds[1].fd >= 0) {
    if (poll(fds.data(), fds.size(), 60000) <= 0) break;  // a hang fails the test below
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
      char buffer[65536];
      const ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, std::size_t(n));
      } else if (n == 0 || errno != EINTR) {
        close(fds[i].fd);
        fds[i].fd = -1;
      }
    }
  }
  int status = 0;
  waitpid(pid, &status, 0);
  run.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return run;
}

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class LandscapeCli : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "attnlab-landscape-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  std::string write(const std::string& name, const json& doc) const {
    std::ofstream(dir_ / name) << doc.dump();
    return path(name);
  }
  // Every bad input: exit 2, exactly one error line, empty stdout, no output file left over.
  void expectRejected(const std::vector<std::string>& args, const std::string& mentions = "") const {
    const std::size_t before = std::distance(fs::directory_iterator(dir_), fs::directory_iterator());
    const Outcome r = attnlab(args);
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_EQ(r.err.rfind("attnlab: error: ", 0), 0u) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    if (!mentions.empty()) EXPECT_NE(r.err.find(mentions), std::string::npos) << r.err;
    const std::size_t after = std::distance(fs::directory_iterator(dir_), fs::directory_iterator());
    EXPECT_EQ(after, before) << "a file was left behind";
  }

  fs::path dir_;
};

json softmaxProblem() {
  return {{"kind", "softmax"},
          {"A", {{1, 0.5, 0}, {0.2, -1, 0.3}, {0, 2, -0.4}, {0.7, 0.1, 0.9}}},
          {"b", {0.2, 0.3, 0.4, 0.1}},
          {"x", {0.1, -0.3, 0.2}},
          {"l2", 0.05}};
}

json withPlane(json problem, json u, json v, double span) {
  problem["plane"] = {{"u", u}, {"v", v}, {"span", span}};
  return problem;
}

Eigen::VectorXd vec(const json& j) {
  const auto v = j.get<std::vector<double>>();
  return Eigen::Map<const Eigen::VectorXd>(v.data(), Eigen::Index(v.size()));
}

Loss lossOf(const json& doc) { return Loss(problemFromJson(doc, ".", "test")); }

TEST_F(LandscapeCli, GivenPlaneWritesTheContractFields) {
  const json problem = withPlane(softmaxProblem(), {1, 0, 0.5}, {0, 2, -1}, 0.75);
  const std::string in = write("p.json", problem), out = path("grid.json");
  const Outcome r = attnlab({"landscape", in, "--grid", "5", "--plane", "given", "--out", out});
  ASSERT_EQ(r.status, 0) << r.err;
  const json summary = json::parse(r.out);
  for (const char* key : {"kind", "grid", "span", "plane", "loss_min", "argmin", "seconds"})
    EXPECT_TRUE(summary.contains(key)) << key;
  EXPECT_EQ(summary["plane"], "given");
  EXPECT_EQ(summary["span"], 0.75);

  const json doc = json::parse(readFile(out));
  for (const char* key : {"kind", "grid", "span", "x0", "u", "v", "s", "t", "loss", "seconds"})
    EXPECT_TRUE(doc.contains(key)) << key;
  EXPECT_EQ(doc["kind"], "softmax");
  EXPECT_EQ(doc["grid"], 5);
  EXPECT_EQ(doc["u"], json({1.0, 0.0, 0.5}));
  EXPECT_EQ(doc["v"], json({0.0, 2.0, -1.0}));
  EXPECT_EQ(doc["s"], json({-0.75, -0.375, 0.0, 0.375, 0.75}));
  EXPECT_EQ(doc["t"], doc["s"]);
  EXPECT_FALSE(doc.contains("trajectory"));

  const Loss loss = lossOf(problem);
  const Eigen::VectorXd x0 = vec(doc["x0"]), u = vec(doc["u"]), v = vec(doc["v"]);
  ASSERT_EQ(doc["loss"].size(), 5u);
  double worst = 0;
  for (int j = 0; j < 5; ++j)
    for (int i = 0; i < 5; ++i) {
      const double s = doc["s"][i], t = doc["t"][j];  // loss[j][i]: rows follow t
      worst = std::max(worst, std::abs(doc["loss"][j][i].get<double>() - loss.value(x0 + s * u + t * v)));
    }
  EXPECT_LE(worst, 1e-12);
  EXPECT_EQ(summary["loss_min"], summary["loss_min"]);
}

TEST_F(LandscapeCli, SpanOverridesThePlanesAndDefaultsToOne) {
  const std::string in = write("p.json", withPlane(softmaxProblem(), {1, 0, 0}, {0, 1, 0}, 0.5));
  Outcome r = attnlab({"landscape", in, "--grid", "3", "--span", "2", "--out", path("a.json")});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["span"], 2.0);
  EXPECT_EQ(json::parse(r.out)["plane"], "given");  // the file's plane, without --plane
  r = attnlab({"landscape", write("q.json", softmaxProblem()), "--grid", "3", "--out", path("b.json")});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["span"], 1.0);
  EXPECT_EQ(json::parse(r.out)["plane"], "random");
}

TEST_F(LandscapeCli, CsvHoldsRowsSTLoss) {
  const std::string in = write("p.json", withPlane(softmaxProblem(), {1, 0, 0}, {0, 1, 0}, 1.0));
  ASSERT_EQ(attnlab({"landscape", in, "--grid", "4", "--out", path("g.json")}).status, 0);
  const Outcome r = attnlab({"landscape", in, "--grid", "4", "--out", path("g.csv")});
  ASSERT_EQ(r.status, 0) << r.err;
  const json doc = json::parse(readFile(path("g.json")));
  std::istringstream csv(readFile(path("g.csv")));
  std::string line;
  std::getline(csv, line);
  EXPECT_EQ(line, "s,t,loss");
  int rows = 0;
  while (std::getline(csv, line)) {
    double s, t, L;
    ASSERT_EQ(std::sscanf(line.c_str(), "%lf,%lf,%lf", &s, &t, &L), 3) << line;
    const int j = rows / 4, i = rows % 4;
    EXPECT_EQ(s, doc["s"][i].get<double>());
    EXPECT_EQ(t, doc["t"][j].get<double>());
    EXPECT_EQ(L, doc["loss"][j][i].get<double>());
    ++rows;
  }
  EXPECT_EQ(rows, 16);
}

TEST_F(LandscapeCli, RandomPlaneIsSeededAndRescaled) {
  const std::string in = write("p.json", softmaxProblem());
  ASSERT_EQ(attnlab({"landscape", in, "--grid", "3", "--plane", "random", "--seed", "4", "--out", path("a.json")}).status, 0);
  ASSERT_EQ(attnlab({"landscape", in, "--grid", "3", "--plane", "random", "--seed", "4", "--out", path("b.json")}).status, 0);
  ASSERT_EQ(attnlab({"landscape", in, "--grid", "3", "--plane", "random", "--seed", "5", "--out", path("c.json")}).status, 0);
  const json a = json::parse(readFile(path("a.json"))), b = json::parse(readFile(path("b.json"))),
             c = json::parse(readFile(path("c.json")));
  EXPECT_EQ(a["u"], b["u"]);
  EXPECT_NE(a["u"], c["u"]);
  EXPECT_NEAR(vec(a["u"]).norm(), vec(a["x0"]).norm(), 1e-12);
  EXPECT_NEAR(vec(a["v"]).norm(), vec(a["x0"]).norm(), 1e-12);
}

TEST_F(LandscapeCli, AxesPlaneUsesUnitVectors) {
  const std::string in = write("p.json", softmaxProblem());
  const Outcome r = attnlab({"landscape", in, "--grid", "3", "--axes", "2,0", "--out", path("a.json")});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["plane"], "axes");
  const json doc = json::parse(readFile(path("a.json")));
  EXPECT_EQ(doc["u"], json({0.0, 0.0, 1.0}));
  EXPECT_EQ(doc["v"], json({1.0, 0.0, 0.0}));
}

TEST_F(LandscapeCli, PcaProjectsTheSolversTrajectory) {
  json problem = softmaxProblem();
  problem["A"] = {{1, 0.5}, {0.2, -1}, {0, 2}};
  problem["b"] = {0.2, 0.3, 0.5};
  problem["x"] = {0.1, -0.3};
  const std::string in = write("p.json", problem);
  const Outcome r = attnlab({"landscape", in, "--grid", "4", "--plane", "pca", "--steps", "20", "--out", path("a.json")});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["method"], "gd");
  const json doc = json::parse(readFile(path("a.json")));
  ASSERT_EQ(doc["trajectory"].size(), 21u);
  const json& last = doc["trajectory"][20];
  EXPECT_EQ(last["iter"], 20);
  for (const char* key : {"s", "t", "loss", "distance"}) EXPECT_TRUE(last.contains(key)) << key;
  EXPECT_LE(last["distance"].get<double>(), 1e-12);  // d = 2: the plane is the whole space
  EXPECT_NEAR(vec(doc["u"]).norm(), 1.0, 1e-12);
  EXPECT_NEAR(vec(doc["u"]).dot(vec(doc["v"])), 0.0, 1e-12);
  EXPECT_EQ(doc["trajectory"][0]["s"], 0.0);
}

TEST_F(LandscapeCli, MethodProjectsOntoAnyPlane) {
  const std::string in = write("p.json", softmaxProblem());
  const Outcome r = attnlab({"landscape", in, "--grid", "3", "--plane", "axes", "--method", "momentum", "--steps",
                             "5", "--lr", "0.5", "--out", path("a.json")});
  ASSERT_EQ(r.status, 0) << r.err;
  const json doc = json::parse(readFile(path("a.json")));
  ASSERT_EQ(doc["trajectory"].size(), 6u);
  EXPECT_GT(doc["trajectory"][5]["distance"].get<double>(), 0.0);  // coordinate 2 moved off the plane
}

TEST_F(LandscapeCli, AttentionKindsTakeMatrixDirections) {
  const json problem = {{"kind", "attention_normalized"},
                        {"A1", {{1, 0.5}, {0.2, -1}, {0, 0.3}}},
                        {"A2", {{0.4, 0.1}, {-0.2, 0.6}, {1, 0}}},
                        {"B", {{0.2, 0.3, 0.5}, {0.1, 0.1, 0.8}, {0.3, 0.3, 0.4}}},
                        {"X", {{0.1, 0.2}, {-0.3, 0.4}}},
                        {"plane", {{"u", {{1, 0}, {0, 0}}}, {"v", {{0, 1}, {0, 0}}}, {"span", 0.5}}}};
  const std::string in = write("p.json", problem);
  const Outcome r = attnlab({"landscape", in, "--grid", "3", "--out", path("a.json")});
  ASSERT_EQ(r.status, 0) << r.err;
  const json doc = json::parse(readFile(path("a.json")));
  EXPECT_EQ(doc["u"], json({{1.0, 0.0}, {0.0, 0.0}}));
  EXPECT_EQ(doc["x0"], json({{0.1, 0.2}, {-0.3, 0.4}}));
  const Loss loss = lossOf(problem);
  Eigen::VectorXd x = loss.problem().x;
  x(0) += 0.5;   // X(0,0) along u at s = +span
  x(2) -= 0.5;   // X(0,1) is vec entry 2: along v at t = −span
  EXPECT_NEAR(doc["loss"][0][2].get<double>(), loss.value(x), 1e-12);
}

TEST_F(LandscapeCli, BadGridSpanAndOutput) {
  const std::string in = write("p.json", withPlane(softmaxProblem(), {1, 0, 0}, {0, 1, 0}, 1.0));
  const std::string out = path("out.json");
  expectRejected({"landscape", in, "--out", out}, "--grid");
  expectRejected({"landscape", in, "--grid", "1", "--out", out}, "--grid");
  expectRejected({"landscape", in, "--grid", "-3", "--out", out}, "--grid");
  expectRejected({"landscape", in, "--grid", "ten", "--out", out}, "--grid");
  expectRejected({"landscape", in, "--grid", "100000000", "--out", out}, "--grid");
  expectRejected({"landscape", in, "--grid", "4", "--span", "0", "--out", out}, "--span");
  expectRejected({"landscape", in, "--grid", "4", "--span", "-1", "--out", out}, "--span");
  expectRejected({"landscape", in, "--grid", "4", "--span", "nan", "--out", out}, "--span");
  expectRejected({"landscape", in, "--grid", "4"}, "--out");
  expectRejected({"landscape", in, "--grid", "4", "--out", path("grid.txt")}, "--out");
  expectRejected({"landscape", in, "--grid", "4", "--out", path("no/such/dir/grid.json")}, "--out");
  expectRejected({"landscape", in, "--grid", "4", "--frobnicate", "--out", out});
}

// .png, .svg and .pdf draw the landscape (app/export); the figure options are checked
// before anything is computed, and a failed figure leaves no file either.
TEST_F(LandscapeCli, FiguresAsPngSvgPdf) {
  const std::string in = write("p.json", softmaxProblem());
  const std::pair<const char*, std::string> magic[] = {{".png", "\x89PNG"}, {".svg", "<?xml"}, {".pdf", "%PDF-"}};
  for (const auto& [ext, start] : magic) {
    const std::string out = path(std::string("fig") + ext);
    const Outcome r = attnlab({"landscape", in, "--grid", "16", "--plane", "axes", "--method", "gd", "--steps", "20",
                               "--theme", "print", "--size", "480x400", "--out", out});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(json::parse(r.out)["out"], out);
    EXPECT_EQ(readFile(out).rfind(start, 0), 0u) << ext;
  }
  const std::string svg = readFile(path("fig.svg"));
  EXPECT_NE(svg.find(">Δx₁</text>"), std::string::npos);
  EXPECT_NE(svg.find(">gradient descent</text>"), std::string::npos) << "the trajectory is in the legend";
  expectRejected({"landscape", in, "--grid", "4", "--theme", "neon", "--out", path("t.png")}, "--theme");
  expectRejected({"landscape", in, "--grid", "4", "--size", "800", "--out", path("s.png")}, "--size");
  expectRejected({"landscape", in, "--grid", "4", "--size", "8x600", "--out", path("s.png")}, "--size");
  expectRejected({"landscape", in, "--grid", "4", "--scale", "0", "--out", path("s.png")}, "--scale");
  expectRejected({"landscape", in, "--grid", "4", "--scale", "40", "--out", path("s.png")}, "--scale");
  expectRejected({"landscape", in, "--grid", "4", "--out", path("no/such/dir/fig.png")}, "--out");
  // --scale 2: twice the pixels; the PNG header's IHDR holds width and height big-endian.
  const Outcome r = attnlab({"landscape", in, "--grid", "8", "--size", "300x200", "--scale", "2", "--out", path("x2.png")});
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string png = readFile(path("x2.png"));
  ASSERT_GT(png.size(), 24u);
  const auto be32 = [&](std::size_t at) {
    return (unsigned(std::uint8_t(png[at])) << 24) | (unsigned(std::uint8_t(png[at + 1])) << 16) |
           (unsigned(std::uint8_t(png[at + 2])) << 8) | unsigned(std::uint8_t(png[at + 3]));
  };
  EXPECT_EQ(be32(16), 600u);
  EXPECT_EQ(be32(20), 400u);
}

TEST_F(LandscapeCli, BadPlanes) {
  const std::string out = path("out.json");
  const std::string plain = write("plain.json", softmaxProblem());
  expectRejected({"landscape", plain, "--grid", "4", "--plane", "given", "--out", out}, "plane");
  expectRejected({"landscape", plain, "--grid", "4", "--plane", "sideways", "--out", out}, "--plane");
  expectRejected({"landscape", plain, "--grid", "4", "--axes", "0,0", "--out", out}, "--axes");
  expectRejected({"landscape", plain, "--grid", "4", "--axes", "0,3", "--out", out}, "--axes");
  expectRejected({"landscape", plain, "--grid", "4", "--axes", "1", "--out", out}, "--axes");
  expectRejected({"landscape", plain, "--grid", "4", "--axes", "0,1", "--plane", "random", "--out", out}, "--axes");
  expectRejected({"landscape", write("u.json", withPlane(softmaxProblem(), {1, 0}, {0, 1, 0}, 1.0)), "--grid", "4",
                  "--out", out},
                 "plane.u");
  expectRejected({"landscape", write("n.json", withPlane(softmaxProblem(), {1, 0, 0}, {0, "a", 0}, 1.0)), "--grid",
                  "4", "--out", out},
                 "plane.v");
  expectRejected({"landscape", write("s.json", withPlane(softmaxProblem(), {1, 0, 0}, {0, 1, 0}, -2.0)), "--grid",
                  "4", "--out", out},
                 "plane.span");
  json noObject = softmaxProblem();
  noObject["plane"] = {1, 2, 3};
  expectRejected({"landscape", write("o.json", noObject), "--grid", "4", "--plane", "given", "--out", out}, "plane");
  json oneD = {{"kind", "softmax"}, {"A", {{1}, {2}}}, {"b", {0.5, 0.5}}, {"x", {0.3}}};
  expectRejected({"landscape", write("d1.json", oneD), "--grid", "4", "--plane", "pca", "--out", out}, "pca");
}

TEST_F(LandscapeCli, BadSolverOptionsProblemsAndOverflow) {
  const std::string out = path("out.json");
  const std::string in = write("p.json", softmaxProblem());
  expectRejected({"landscape", in, "--grid", "4", "--plane", "pca", "--lr", "0", "--out", out}, "--lr");
  expectRejected({"landscape", in, "--grid", "4", "--plane", "pca", "--steps", "-1", "--out", out}, "--steps");
  expectRejected({"landscape", in, "--grid", "4", "--plane", "pca", "--tol", "-1", "--out", out}, "--tol");
  expectRejected({"landscape", in, "--grid", "4", "--method", "momentum", "--beta", "1", "--out", out}, "--beta");
  expectRejected({"landscape", in, "--grid", "4", "--method", "sgd", "--out", out}, "--method");
  expectRejected({"landscape", path("missing.json"), "--grid", "4", "--out", out});
  std::ofstream(dir_ / "broken.json") << "{\"kind\": \"softmax\", \"A\": [[1, 2]";
  expectRejected({"landscape", path("broken.json"), "--grid", "4", "--out", out});
  json exp = softmaxProblem();
  exp["kind"] = "exp";
  exp["A"] = {{900, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 1, 1}};
  expectRejected({"landscape", write("e.json", exp), "--grid", "4", "--axes", "0,1", "--out", out}, "overflows");
}

}  // namespace
}  // namespace attnlab
