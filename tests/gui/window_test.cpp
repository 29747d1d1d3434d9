// The window as a user meets it (issue 3, item 10): the attnlab binary started under Xvfb on
// the default lesson and on scripted sessions, its screenshots checked by pixel statistics;
// the regression lab's job checked against the core (the values drawn are the loss at those
// points) and for prompt cancellation.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "app/gui/png_io.hpp"
#include "core/figure/colormap.hpp"
#include "core/labs/regression_compute.hpp"
#include "core/labs/session.hpp"
#include "core/jobs/worker_pool.hpp"
#include "gui/gui_testing.hpp"

namespace attnlab::gui {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::pixelStats;

struct Outcome {
  int status = -1;
  std::string out;  // stdout; stderr goes to the test's log
};

// Runs attnlab with `args` (inheriting this test's X server) and captures stdout; with a
// time limit, a run still going after it is killed (status 124, timeout(1)'s).
Outcome attnlab(const std::vector<std::string>& args, int limitSeconds = 0) {
  std::string command = limitSeconds > 0 ? "timeout " + std::to_string(limitSeconds) + " " ATTNLAB_BINARY : ATTNLAB_BINARY;
  for (const std::string& a : args) command += " '" + a + "'";
  Outcome run;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return run;
  char buffer[4096];
  for (std::size_t got; (got = fread(buffer, 1, sizeof buffer, pipe)) > 0;) run.out.append(buffer, got);
  const int status = pclose(pipe);
  run.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return run;
}

class Window : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("attnlab_window_test_" + std::to_string(getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path writeScript(const json& steps) const {
    const fs::path path = dir_ / "script.json";
    std::ofstream(path) << steps.dump(2);
    return path;
  }

  fs::path dir_;
};

// The landscape's plot area at 1280×800: the middle of the centre column, away from the
// panel on the left, the titles, the colorbar and the 3-D view.
testing::PixelStats landscapeArea(const Image& image) {
  const int w = image.width, h = image.height;
  return pixelStats(image, w * 36 / 100, h * 16 / 100, w * 58 / 100, h * 52 / 100);
}

// A real picture of a loss surface: a colormap gradient with isolines and paths has many
// colours and visible contrast; a blank, black or single-colour frame has neither.
void expectRealPicture(const Image& image, const std::string& what) {
  const auto stats = landscapeArea(image);
  EXPECT_GT(stats.distinctColours, 500u) << what;
  EXPECT_GT(stats.lumaStdDev, 12.0) << what;
  EXPECT_GT(stats.meanLuma, 30.0) << what;
  EXPECT_LT(stats.meanLuma, 240.0) << what;
}

TEST_F(Window, DefaultLessonScreenshotIsARealPicture) {
  const fs::path shot = dir_ / "default.png";
  const Outcome run = attnlab({"--size", "1280x800", "--screenshot", shot.string(), "--frame-stats"});
  ASSERT_EQ(run.status, 0);
  const Image image = readPng(shot);
  EXPECT_EQ(image.width, 1280);
  EXPECT_EQ(image.height, 800);
  expectRealPicture(image, "default lesson");

  const json stats = json::parse(run.out);
  for (const char* field : {"frames", "p50_ms", "p99_ms", "max_ms"}) EXPECT_TRUE(stats.contains(field)) << field;
  EXPECT_GE(stats.at("frames").get<int>(), 1);
  EXPECT_LE(stats.at("p50_ms").get<double>(), stats.at("p99_ms").get<double>());
}

// Every kind on every plane kind, switched the way a user would, each screenshot a real
// picture; the run ends normally.
TEST_F(Window, ScriptedSessionsSwitchKindsAndPlanes) {
  json steps = json::array();
  std::vector<fs::path> shots;
  const std::vector<std::pair<std::string, json>> settings = {
      {"softmax_pca", {{"kind", "softmax"}, {"d", 8}, {"plane", "pca"}, {"grid", 96}}},
      {"exp_random", {{"kind", "exp"}, {"d", 6}, {"plane", "random"}, {"grid", 96}}},
      {"linear_axes", {{"kind", "linear"}, {"d", 5}, {"plane", "axes"}, {"grid", 96}}},
      {"rescaled", {{"kind", "rescaled"}, {"d", 2}, {"grid", 96}}},
      {"cross_entropy", {{"kind", "cross_entropy"}, {"d", 4}, {"plane", "pca"}, {"grid", 96}}},
      {"infoprompt", {{"kind", "infoprompt"}, {"d", 3}, {"plane", "random"}, {"grid", 96}}},
      {"attention_rescaled", {{"kind", "attention_rescaled"}, {"n", 12}, {"d", 3}, {"plane", "pca"}, {"grid", 64}}},
      {"attention_normalized", {{"kind", "attention_normalized"}, {"n", 12}, {"d", 2}, {"plane", "axes"}, {"grid", 64}}},
  };
  for (const auto& [name, set] : settings) {
    shots.push_back(dir_ / (name + ".png"));
    steps.push_back({{"set", set}});
    steps.push_back({{"wait", "idle"}});
    steps.push_back({{"screenshot", shots.back().string()}});
    steps.push_back({{"frames", 2}});
  }
  const Outcome run = attnlab({"--size", "1280x800", "--script", writeScript(steps).string()});
  ASSERT_EQ(run.status, 0);
  for (const fs::path& shot : shots) {
    ASSERT_TRUE(fs::exists(shot)) << shot;
    expectRealPicture(readPng(shot), shot.filename().string());
  }
}

// Where a picture's pixels sit on the viridis scale: a 16-bin histogram of the pixels that
// are (nearly) viridis colours — the heatmap — normalised to sum 1. Lines, text and
// backgrounds are not viridis and drop out.
std::vector<double> viridisHistogram(const Image& image) {
  const auto& table = colormapTable(Colormap::Viridis);
  std::vector<double> bins(16, 0.0);
  double total = 0.0;
  for (int y = 0; y < image.height; y += 2)
    for (int x = 0; x < image.width; x += 2) {
      const std::uint8_t* p = image.pixel(x, y);
      int best = -1, bestDistance = 1 << 30;
      for (int k = 0; k < kColormapSize; ++k) {
        const int dr = p[0] - table[k][0], dg = p[1] - table[k][1], db = p[2] - table[k][2];
        const int distance = dr * dr + dg * dg + db * db;
        if (distance < bestDistance) bestDistance = distance, best = k;
      }
      if (bestDistance > 12) continue;
      bins[static_cast<std::size_t>(best * 16 / kColormapSize)] += 1.0;
      total += 1.0;
    }
  for (double& b : bins) b /= std::max(total, 1.0);
  return bins;
}

// What the window shows and what `attnlab export` writes are the same picture: the default
// lesson's landscape on screen and exported headless put their pixels at the same places of
// the colour scale.
TEST_F(Window, ExportedLandscapeMatchesTheWindowsPicture) {
  const fs::path shot = dir_ / "window.png", session = dir_ / "default.json", file = dir_ / "landscape.png";
  ASSERT_EQ(attnlab({"--size", "1280x800", "--screenshot", shot.string()}).status, 0);
  std::ofstream(session) << sessionToJson(Session{}).dump();
  ASSERT_EQ(attnlab({"export", session.string(), "--figure", "landscape", "--out", file.string()}).status, 0);
  const auto window = viridisHistogram(readPng(shot)), exported = viridisHistogram(readPng(file));
  double l1 = 0.0;
  for (std::size_t i = 0; i < window.size(); ++i) l1 += std::abs(window[i] - exported[i]);
  EXPECT_LT(l1, 0.35) << "colour histograms of the heatmap differ";
  // Not vacuous: a different lesson's landscape (another kind, another colormap) differs.
  const fs::path other = dir_ / "other.png";
  RegressionParams params;
  params.kind = Kind::Exp;
  params.R = 1.0;
  Session s;
  s.regression = params;
  std::ofstream(session) << sessionToJson(s).dump();
  ASSERT_EQ(attnlab({"export", session.string(), "--figure", "landscape", "--out", other.string()}).status, 0);
  const auto different = viridisHistogram(readPng(other));
  double l1Other = 0.0;
  for (std::size_t i = 0; i < window.size(); ++i) l1Other += std::abs(window[i] - different[i]);
  EXPECT_GT(l1Other, l1) << "the comparison cannot tell landscapes apart";
  std::cout << "colour-histogram L1: window vs its export " << l1 << ", vs another landscape " << l1Other << '\n';
}

// Where a lit picture's pixels sit on the viridis scale: like viridisHistogram, but by
// chromaticity (r, g, b)/(r + g + b), which the Lambert factor of the 3-D view's light
// leaves alone; greys (background, box, text, white isolines) and dark pixels drop out.
std::vector<double> litViridisHistogram(const Image& image, int x0, int y0, int x1, int y1) {
  const auto& table = colormapTable(Colormap::Viridis);
  const auto chroma = [](double r, double g, double b) {
    const double sum = std::max(r + g + b, 1.0);
    return std::array<double, 2>{r / sum, g / sum};
  };
  std::vector<double> bins(16, 0.0);
  double total = 0.0;
  for (int y = y0; y < y1; y += 2)
    for (int x = x0; x < x1; x += 2) {
      const std::uint8_t* p = image.pixel(x, y);
      if (p[0] + p[1] + p[2] < 90 || std::max({p[0], p[1], p[2]}) - std::min({p[0], p[1], p[2]}) < 40) continue;
      const auto c = chroma(p[0], p[1], p[2]);
      int best = -1;
      double bestDistance = 1e9;
      for (int k = 0; k < kColormapSize; ++k) {
        const auto t = chroma(table[k][0], table[k][1], table[k][2]);
        const double distance = std::hypot(c[0] - t[0], c[1] - t[1]);
        if (distance < bestDistance) bestDistance = distance, best = k;
      }
      if (bestDistance > 0.02) continue;
      bins[static_cast<std::size_t>(best * 16 / kColormapSize)] += 1.0;
      total += 1.0;
    }
  for (double& b : bins) b /= std::max(total, 1.0);
  return bins;
}

double l1Distance(const std::vector<double>& a, const std::vector<double>& b) {
  double l1 = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) l1 += std::abs(a[i] - b[i]);
  return l1;
}

// The 3-D view on screen and `attnlab export --figure surface` show the same lit surface:
// the window's 3-D panel (top right at 1280×800) and the exported picture put their
// pixels at the same places of the colour scale, and a different landscape does not.
TEST_F(Window, ExportedSurfaceMatchesTheWindows3DView) {
  const fs::path shot = dir_ / "window.png", session = dir_ / "default.json", file = dir_ / "surface.png";
  ASSERT_EQ(attnlab({"--size", "1280x800", "--screenshot", shot.string()}).status, 0);
  std::ofstream(session) << sessionToJson(Session{}).dump();
  ASSERT_EQ(attnlab({"export", session.string(), "--figure", "surface", "--out", file.string()}).status, 0);
  const Image window = readPng(shot), exported = readPng(file);
  const auto onScreen = litViridisHistogram(window, window.width * 68 / 100, window.height * 22 / 100,
                                            window.width * 99 / 100, window.height * 66 / 100);
  const auto inFile = litViridisHistogram(exported, 0, 0, exported.width * 88 / 100, exported.height);
  const double l1 = l1Distance(onScreen, inFile);
  EXPECT_LT(l1, 0.3) << "colour histograms of the lit surface differ";
  RegressionParams params;
  params.kind = Kind::Exp;
  params.R = 1.0;
  Session s;
  s.regression = params;
  const fs::path other = dir_ / "other.png";
  std::ofstream(session) << sessionToJson(s).dump();
  ASSERT_EQ(attnlab({"export", session.string(), "--figure", "surface", "--out", other.string()}).status, 0);
  const Image different = readPng(other);
  const double l1Other =
      l1Distance(onScreen, litViridisHistogram(different, 0, 0, different.width * 88 / 100, different.height));
  EXPECT_GT(l1Other, l1) << "the comparison cannot tell surfaces apart";
  std::cout << "lit colour-histogram L1: window's 3-D view vs its export " << l1 << ", vs another surface " << l1Other
            << '\n';
}

// A 3-D view left half-drawn (its new picture comes in bands over several frames) when the
// tab changes waits for the tab: a script's "wait": "idle" on another tab must not hang.
TEST_F(Window, LeavingTheRegressionTabMidDrawDoesNotHoldAWait) {
  const fs::path shot = dir_ / "attention.png";
  const json steps = {{{"wait", "idle"}},
                      {{"theme", "dark"}},  // a new style: the surface redraws in bands
                      {{"frames", 2}},
                      {{"set", {{"lab", "attention"}, {"length", 32}, {"sweep", {{"lengths", {16, 32}}, {"features", {8, 16}}}}}}},
                      {{"wait", "idle"}},
                      {{"screenshot", shot.string()}}};
  // Bounded here, so that a hang fails in two minutes rather than at ctest's timeout.
  const Outcome run = attnlab({"--size", "1280x800", "--script", writeScript(steps).string()}, 120);
  EXPECT_EQ(run.status, 0) << "124: still waiting after two minutes";
  EXPECT_TRUE(fs::exists(shot));
}

TEST_F(Window, BadSessionFileIsAnErrorNotACrash) {
  const fs::path session = dir_ / "bad.json";
  std::ofstream(session) << R"({"version": 1, "regression": {"n": -3}})";
  const Outcome run = attnlab({session.string(), "--frames", "1"});
  EXPECT_EQ(run.status, 2);
  EXPECT_TRUE(run.out.empty());
}

// The regression lab's job, without a window: the values it hands the GPU are the core's
// loss at those grid points.
TEST(RegressionJob, PictureValuesAreTheLossAtTheGridPoints) {
  WorkerPool pool(2);
  RegressionParams params;
  params.kind = Kind::InfoPrompt;
  params.d = 5;
  params.plane = PlaneKind::Pca;
  params.gridPoints = 40;
  auto snapshots = std::make_shared<RegressionSnapshots>();
  auto job = runJob(pool, "regression", regressionJob(params, Theme::Light, {}, pool, snapshots));
  ASSERT_EQ(job->wait(), Status::Success) << job->errorMessage();
  const auto picture = snapshots->picture.latest();
  ASSERT_TRUE(picture && !picture->coarse);
  const LandscapeResult& landscape = *picture->landscape;
  const Loss& loss = *picture->solve->loss;
  const Eigen::Index N = landscape.grid.points;
  ASSERT_EQ(picture->values.size(), std::size_t(N * N));
  for (Eigen::Index j = 0; j < N; j += 3)
    for (Eigen::Index i = 0; i < N; i += 3) {
      const Plane& p = landscape.plane;
      const double expected = loss.value(p.x0 + landscape.s(i) * p.u + landscape.t(j) * p.v);
      EXPECT_NEAR(landscape.loss(j, i), expected, 1e-11 * (1.0 + std::abs(expected)));
      EXPECT_FLOAT_EQ(picture->values[std::size_t(j * N + i)], float(expected));
    }
}

// Changing a parameter cancels the running job: a 1024² landscape of a large problem stops
// within 50 ms of the request (median of several tries, so a busy machine is not blamed on
// the job).
TEST(RegressionJob, CancellationIsPrompt) {
  WorkerPool pool(2);
  RegressionParams params;
  params.n = 8192;
  params.d = 64;
  params.plane = PlaneKind::Random;
  params.gridPoints = 1024;
  std::vector<double> latencies;
  for (int attempt = 0; attempt < 5; ++attempt) {
    auto snapshots = std::make_shared<RegressionSnapshots>();
    auto job = runJob(pool, "regression", regressionJob(params, Theme::Light, {}, pool, snapshots));
    // Let it reach the fine grid, the longest stage.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (snapshots->picture.version() == 0 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const auto asked = std::chrono::steady_clock::now();
    job->cancel();
    const Status status = job->wait();
    latencies.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - asked).count());
    EXPECT_TRUE(status == Status::Cancelled || status == Status::Success);
  }
  std::sort(latencies.begin(), latencies.end());
  EXPECT_LT(latencies[latencies.size() / 2], 50.0) << "median cancellation latency in ms";
}

}  // namespace
}  // namespace attnlab::gui
