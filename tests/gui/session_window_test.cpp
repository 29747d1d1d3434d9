// Sessions in the running window (issue 6): autosave brings a session back after kill -9;
// File → Save as / Open round-trip byte for byte; a lesson opens with its text. The binary
// runs under this test's X server, with its own XDG config directory.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "app/gui/png_io.hpp"
#include "gui/gui_testing.hpp"

namespace attnlab::gui {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string readAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class SessionWindow : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("attnlab_session_window_" + std::to_string(getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Starts attnlab with a script and XDG_CONFIG_HOME inside dir_; returns its pid.
  pid_t start(const json& steps, const std::string& name) const {
    const fs::path script = dir_ / (name + ".json");
    std::ofstream(script) << steps.dump();
    const pid_t pid = fork();
    if (pid == 0) {
      setenv("XDG_CONFIG_HOME", (dir_ / "config").c_str(), 1);
      execl(ATTNLAB_BINARY, ATTNLAB_BINARY, "--size", "960x640", "--script", script.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    return pid;
  }

  int finish(pid_t pid) const {
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  fs::path autosave() const { return dir_ / "config" / "attnlab" / "autosave.json"; }
  fs::path dir_;
};

TEST_F(SessionWindow, AutosaveRestoresAfterKill9) {
  // A change, then the window keeps running until it is killed.
  const pid_t pid = start(json::array({{{"set", {{"n", 100}, {"seed", 7}}}}, {{"wait", "idle"}}, {{"frames", 1000000000}}}),
                          "first");
  bool saved = false;
  for (int i = 0; i < 600 && !saved; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const json document = json::parse(readAll(autosave()), nullptr, false);
    saved = !document.is_discarded() && document.contains("session") &&
            document["session"]["regression"].value("n", 0) == 100;
  }
  kill(pid, SIGKILL);
  EXPECT_EQ(finish(pid), 128 + SIGKILL);
  ASSERT_TRUE(saved) << "no autosave with the change within 30 s";
  EXPECT_FALSE(json::parse(readAll(autosave())).at("clean_exit").get<bool>());

  const fs::path restored = dir_ / "restored.json";
  const pid_t second = start(json::array({{{"restore", true}}, {{"wait", "idle"}}, {{"save_session", restored.string()}}}),
                             "second");
  ASSERT_EQ(finish(second), 0);
  const json session = json::parse(readAll(restored));
  EXPECT_EQ(session["regression"]["n"], 100);
  EXPECT_EQ(session["regression"]["seed"], 7);
  // That run ended cleanly: nothing left to restore.
  EXPECT_TRUE(json::parse(readAll(autosave())).at("clean_exit").get<bool>());
}

TEST_F(SessionWindow, RestoreWithoutAnUncleanRunIsAnError) {
  EXPECT_EQ(finish(start(json::array({{{"restore", true}}}), "nothing")), 2);
}

TEST_F(SessionWindow, SaveOpenSaveIsByteIdentical) {
  const fs::path a = dir_ / "a.json", b = dir_ / "b.json";
  const json steps = json::array({{{"set", {{"kind", "exp"}, {"d", 5}, {"plane", "random"}}}},
                                  {{"theme", "dark"}},
                                  {{"save_session", a.string()}},
                                  {{"set", {{"kind", "softmax"}, {"d", 2}}}},
                                  {{"theme", "light"}},
                                  {{"open_session", a.string()}},
                                  {{"save_session", b.string()}}});
  ASSERT_EQ(finish(start(steps, "roundtrip")), 0);
  EXPECT_EQ(readAll(a), readAll(b));
  const json session = json::parse(readAll(b));
  EXPECT_EQ(session["regression"]["kind"], "exp");
  EXPECT_EQ(session["theme"], "dark");
}

TEST_F(SessionWindow, ALessonOpensOnItsPicture) {
  const fs::path lesson = fs::path(ATTNLAB_GUI_TEST_DIR).parent_path().parent_path() / "assets" / "lessons" / "03_step_size.json";
  const fs::path shot = dir_ / "lesson.png";
  const std::string command = std::string(ATTNLAB_BINARY) + " '" + lesson.string() + "' --size 1280x800 --screenshot '" +
                              shot.string() + "' > /dev/null";
  ASSERT_EQ(std::system(command.c_str()), 0);
  const Image image = readPng(shot);
  // The banner pushes the plots down a little; the landscape still fills the centre column.
  const auto stats = testing::pixelStats(image, 460, 200, 740, 420);
  EXPECT_GT(stats.distinctColours, 300u);
  EXPECT_GT(stats.lumaStdDev, 10.0);
}

}  // namespace
}  // namespace attnlab::gui
