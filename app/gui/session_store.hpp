// What outlives one run of the window, kept in the XDG config directory
// ($XDG_CONFIG_HOME/attnlab, else ~/.config/attnlab):
//   autosave.json  {"clean_exit": false, "saved_at": "2026-11-30T01:20:00Z", "session": {...}}
//                  written a few seconds after every change, every minute, and on exit
//                  (then with clean_exit true). A run that finds clean_exit false was killed
//                  or crashed: the window offers to restore that session.
//   recent.json    ["/path/a.json", ...], most recent first, at most kMaxRecentFiles.
// Every file is written atomically (core/io/atomic_file.hpp); unreadable ones count as absent.
#pragma once
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace attnlab::gui {

inline constexpr std::size_t kMaxRecentFiles = 8;

// $XDG_CONFIG_HOME/attnlab, or $HOME/.config/attnlab; empty when neither is set.
std::filesystem::path defaultConfigDirectory();

class SessionStore {
 public:
  // An empty directory disables the store (nothing is read or written).
  explicit SessionStore(std::filesystem::path directory = defaultConfigDirectory());

  // The session a previous run left without exiting cleanly, with the time it was saved.
  struct Unfinished {
    nlohmann::json session;
    std::string savedAt;
  };
  std::optional<Unfinished> unfinishedSession() const;

  // Writes autosave.json. Errors (a read-only home) are returned, not thrown: autosave must
  // never stop the window; the caller shows the message once.
  std::optional<std::string> autosave(const nlohmann::json& session, bool cleanExit);

  std::vector<std::filesystem::path> recentFiles() const;
  void addRecent(const std::filesystem::path& file);

  const std::filesystem::path& directory() const { return directory_; }

 private:
  std::filesystem::path directory_;
};

// Writes a session file atomically, pretty-printed with a trailing newline, so that a
// session saved, loaded and saved again is byte-identical. Throws InputError naming it.
void writeSessionFile(const std::filesystem::path& path, const nlohmann::json& session);

}  // namespace attnlab::gui
