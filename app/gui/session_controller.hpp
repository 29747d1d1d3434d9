// The window's files (issue 6, item 3 and 5): File → Open / Save / Save As / Recent, Help →
// Lessons with the lesson's text above the lab, autosave into the XDG config directory a
// few seconds after every change, every minute and on exit, and the offer to restore the
// session a run left behind when it did not exit cleanly (a crash, kill -9).
//
// The App is the host: it says what the session is now and applies one. Nothing here
// computes; opening a session only changes parameters, and the labs take it from there.
#pragma once
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "app/gui/lessons.hpp"
#include "app/gui/session_store.hpp"
#include "core/labs/session.hpp"

namespace attnlab::gui {

class SessionHost {
 public:
  virtual ~SessionHost() = default;
  virtual Session currentSession() const = 0;
  virtual void applySession(const Session& session) = 0;
};

class SessionController {
 public:
  // `openedFrom`: the file the window was started on (Save writes back to it). `offerRestore`:
  // show the restore offer when the last run ended uncleanly (not in scripted runs, whose
  // pictures must not depend on the machine's history; a script can still accept it).
  SessionController(SessionHost& host, SessionStore store, std::optional<std::filesystem::path> openedFrom,
                    bool offerRestore);

  void drawFileMenuItems();
  void drawLessonsMenu();
  void drawModals();        // the open / save-as prompts and the restore offer
  void drawLessonBanner();  // the open lesson's title and text, closable
  void tick();              // autosave when due
  void onExit();            // the clean-exit autosave

  // Actions, for the menus and for scripts. They report through message() and never throw.
  bool open(const std::filesystem::path& path);
  bool save(const std::filesystem::path& path);
  bool openLesson(const Lesson& lesson);
  // Applies the session the last unclean run left (false when there is none).
  bool restoreUnfinished();

  // The outcome of the last action, for the status bar, for a few seconds.
  struct Message {
    std::string text;
    bool error = false;
  };
  std::optional<Message> recentMessage() const;
  std::string windowTitle() const;

 private:
  void note(std::string text, bool error);
  void autosave(bool cleanExit);

  SessionHost& host_;
  SessionStore store_;
  std::optional<std::filesystem::path> path_;  // where Save writes
  std::optional<SessionStore::Unfinished> unfinished_;
  bool offerRestore_ = false;
  std::optional<Lesson> lesson_;               // shown in the banner
  bool lessonVisible_ = false;
  std::vector<Lesson> lessons_;

  // The prompts: which one is open, and the path being typed.
  enum class Prompt { None, Open, SaveAs };
  Prompt prompt_ = Prompt::None;
  bool promptJustOpened_ = false;
  char pathBuffer_[1024] = {};

  Session lastSaved_;                          // what autosave last wrote
  std::chrono::steady_clock::time_point changedAt_{}, savedAt_ = std::chrono::steady_clock::now();
  bool pendingChange_ = false;
  bool autosaveFailedShown_ = false;

  Message message_;
  std::chrono::steady_clock::time_point messageAt_{};
};

}  // namespace attnlab::gui
