#include "app/gui/session_store.hpp"

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fstream>

#include "core/errors.hpp"
#include "core/io/atomic_file.hpp"

namespace attnlab::gui {
namespace fs = std::filesystem;
namespace {

std::optional<nlohmann::json> readJsonFile(const fs::path& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  nlohmann::json json = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return std::nullopt;
  return json;
}

std::string utcNow() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

}  // namespace

fs::path defaultConfigDirectory() {
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg) return fs::path(xdg) / "attnlab";
  if (const char* home = std::getenv("HOME"); home && *home) return fs::path(home) / ".config" / "attnlab";
  return {};
}

SessionStore::SessionStore(fs::path directory) : directory_(std::move(directory)) {}

std::optional<SessionStore::Unfinished> SessionStore::unfinishedSession() const {
  if (directory_.empty()) return std::nullopt;
  const auto saved = readJsonFile(directory_ / "autosave.json");
  if (!saved || !saved->is_object() || !saved->contains("session") || saved->value("clean_exit", true))
    return std::nullopt;
  return Unfinished{(*saved)["session"], saved->value("saved_at", std::string())};
}

std::optional<std::string> SessionStore::autosave(const nlohmann::json& session, bool cleanExit) {
  if (directory_.empty()) return std::nullopt;
  try {
    std::error_code ec;
    fs::create_directories(directory_, ec);
    const nlohmann::json document = {{"clean_exit", cleanExit}, {"saved_at", utcNow()}, {"session", session}};
    writeFileAtomically(directory_ / "autosave.json", document.dump(2) + "\n");
  } catch (const std::exception& e) {
    return std::string("autosave failed: ") + e.what();
  }
  return std::nullopt;
}

std::vector<fs::path> SessionStore::recentFiles() const {
  std::vector<fs::path> files;
  if (directory_.empty()) return files;
  const auto list = readJsonFile(directory_ / "recent.json");
  if (!list || !list->is_array()) return files;
  for (const nlohmann::json& entry : *list)
    if (entry.is_string() && files.size() < kMaxRecentFiles) files.emplace_back(entry.get<std::string>());
  return files;
}

void SessionStore::addRecent(const fs::path& file) {
  if (directory_.empty()) return;
  std::error_code ec;
  const fs::path absolute = fs::absolute(file, ec);
  nlohmann::json list = nlohmann::json::array({absolute.string()});
  for (const fs::path& old : recentFiles())
    if (old != absolute && list.size() < kMaxRecentFiles) list.push_back(old.string());
  try {
    fs::create_directories(directory_, ec);
    writeFileAtomically(directory_ / "recent.json", list.dump(2) + "\n");
  } catch (const std::exception&) {
    // The recent list is a convenience: a read-only config directory only loses it.
  }
}

void writeSessionFile(const fs::path& path, const nlohmann::json& session) {
  writeFileAtomically(path, session.dump(2) + "\n");
}

}  // namespace attnlab::gui
