// Sessions and lessons (issue 6, item 3 and 5): the embedded lessons are valid sessions; a
// session saved, loaded and saved again is byte-identical; the store's autosave and recent
// files behave, including after a run that never exited cleanly.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "app/gui/lessons.hpp"
#include "core/labs/session.hpp"
#include "app/gui/session_store.hpp"

namespace attnlab::gui {
namespace {

namespace fs = std::filesystem;

std::string readAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class Sessions : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("attnlab_session_test_" + std::to_string(getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(Sessions, EveryLessonIsAValidSessionWithText) {
  const std::vector<Lesson> lessons = embeddedLessons();
  ASSERT_GE(lessons.size(), 3u);
  for (const Lesson& lesson : lessons) {
    EXPECT_FALSE(lesson.title.empty()) << lesson.file;
    EXPECT_GT(lesson.text.size(), 100u) << lesson.file;
    EXPECT_NO_THROW(sessionFromJson(lesson.session, dir_)) << lesson.file;
  }
}

TEST_F(Sessions, SavedLoadedSavedIsByteIdentical) {
  std::vector<Session> sessions{Session{}};
  for (const Lesson& lesson : embeddedLessons()) sessions.push_back(sessionFromJson(lesson.session, dir_));
  Session odd;
  odd.theme = Theme::Dark;
  odd.fontScale = 1.25f;
  odd.regression.R = 0.1 + 0.2;  // not a short decimal
  odd.regression.tolerance = 1e-13;
  odd.camera.yaw = -47.3f;
  sessions.push_back(odd);
  for (std::size_t k = 0; k < sessions.size(); ++k) {
    const fs::path first = dir_ / "first.json", second = dir_ / "second.json";
    writeSessionFile(first, sessionToJson(sessions[k]));
    writeSessionFile(second, sessionToJson(readSession(first)));
    EXPECT_EQ(readAll(first), readAll(second)) << "session " << k;
  }
}

TEST_F(Sessions, AutosaveOfAnUncleanRunIsOfferedBack) {
  SessionStore store(dir_ / "config");
  EXPECT_FALSE(store.unfinishedSession());
  Session s;
  s.regression.n = 100;
  ASSERT_FALSE(store.autosave(sessionToJson(s), /*cleanExit=*/false));
  const auto unfinished = store.unfinishedSession();
  ASSERT_TRUE(unfinished);
  EXPECT_EQ(sessionFromJson(unfinished->session, dir_).regression.n, 100);
  EXPECT_FALSE(unfinished->savedAt.empty());
  ASSERT_FALSE(store.autosave(sessionToJson(s), /*cleanExit=*/true));
  EXPECT_FALSE(store.unfinishedSession());
}

TEST_F(Sessions, AutosaveIntoAnUnwritablePlaceIsAMessageNotAnException) {
  std::ofstream(dir_ / "file") << "x";
  SessionStore store(dir_ / "file" / "attnlab");  // a directory under a regular file
  const auto error = store.autosave(sessionToJson(Session{}), false);
  ASSERT_TRUE(error);
  EXPECT_NE(error->find("autosave"), std::string::npos);
}

TEST_F(Sessions, RecentFilesAreMostRecentFirstWithoutRepeats) {
  SessionStore store(dir_ / "config");
  for (int k = 0; k < 12; ++k) store.addRecent(dir_ / ("s" + std::to_string(k) + ".json"));
  store.addRecent(dir_ / "s5.json");
  const auto recent = store.recentFiles();
  ASSERT_EQ(recent.size(), kMaxRecentFiles);
  EXPECT_EQ(recent[0].filename(), "s5.json");
  EXPECT_EQ(recent[1].filename(), "s11.json");
  for (std::size_t i = 1; i < recent.size(); ++i) EXPECT_NE(recent[i].filename(), "s5.json");
}

TEST_F(Sessions, ConfigDirectoryFollowsXdg) {
  setenv("XDG_CONFIG_HOME", "/tmp/xdg-test", 1);
  EXPECT_EQ(defaultConfigDirectory(), fs::path("/tmp/xdg-test/attnlab"));
  unsetenv("XDG_CONFIG_HOME");
  setenv("HOME", "/home/someone", 1);
  EXPECT_EQ(defaultConfigDirectory(), fs::path("/home/someone/.config/attnlab"));
}

}  // namespace
}  // namespace attnlab::gui
