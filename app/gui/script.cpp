#include "app/gui/script.hpp"

#include <array>
#include <fstream>
#include <string_view>

#include "core/errors.hpp"

namespace attnlab::gui {
namespace {

constexpr std::array<std::string_view, 12> kStepKinds = {
    "set",  "wait", "wait_ms", "frames", "cancel", "theme", "font_scale", "view", "screenshot", "save_session",
    "open_session", "restore"};

// The one key of a step object that says what it does ("view" may carry camera angles).
std::string stepKind(const nlohmann::json& step) {
  for (std::string_view kind : kStepKinds)
    if (step.contains(kind)) return std::string(kind);
  return {};
}

void checkStep(const nlohmann::json& step, const std::string& where) {
  if (!step.is_object()) throw InputError(where + ": a step is an object such as {\"wait\": \"idle\"}");
  const std::string kind = stepKind(step);
  if (kind.empty()) throw InputError(where + ": unknown step " + step.dump());
  const nlohmann::json& value = step[kind];
  const bool ok = (kind == "set" && value.is_object()) || (kind == "wait" && value == "idle") ||
                  ((kind == "wait_ms" || kind == "frames") && value.is_number_integer() && value.get<long long>() >= 0) ||
                  (kind == "cancel" && value.is_boolean()) || (kind == "theme" && value.is_string()) ||
                  (kind == "font_scale" && value.is_number()) || (kind == "view" && value.is_string()) ||
                  ((kind == "screenshot" || kind == "save_session" || kind == "open_session") && value.is_string()) ||
                  (kind == "restore" && value.is_boolean());
  if (!ok) throw InputError(where + ": bad value in step " + step.dump());
}

}  // namespace

Script::Script(const std::filesystem::path& path) : name_(path.filename().string()) {
  std::ifstream in(path);
  if (!in) throw InputError("cannot read the script", InputLocation{path.string(), {}, {}, {}});
  steps_ = nlohmann::json::parse(in, nullptr, false);
  if (steps_.is_discarded() || !steps_.is_array())
    throw InputError("a script is a JSON array of steps", InputLocation{path.string(), {}, {}, {}});
  for (std::size_t i = 0; i < steps_.size(); ++i) checkStep(steps_[i], name_ + ": step " + std::to_string(i));
}

void Script::advance(ScriptTarget& target) {
  if (finished()) return;
  const nlohmann::json& step = steps_[next_];
  if (!stepReady(step, target)) return;
  perform(step, target);
  ++next_;
}

// Holding steps (frames, wait_ms, wait) return false until their condition is met.
bool Script::stepReady(const nlohmann::json& step, const ScriptTarget& target) {
  const std::string kind = stepKind(step);
  if (kind == "frames") {
    if (framesLeft_ < 0) framesLeft_ = step["frames"].get<long long>();
    if (framesLeft_ > 0) {
      --framesLeft_;
      return false;
    }
    framesLeft_ = -1;
    return true;
  }
  if (kind == "wait_ms") {
    const auto now = std::chrono::steady_clock::now();
    if (!timing_) {
      timing_ = true;
      waitUntil_ = now + std::chrono::milliseconds(step["wait_ms"].get<long long>());
    }
    if (now < waitUntil_) return false;
    timing_ = false;
    return true;
  }
  if (kind == "wait") return target.scriptIdle();
  return true;
}

void Script::perform(const nlohmann::json& step, ScriptTarget& target) {
  const std::string kind = stepKind(step);
  if (kind == "set") target.scriptSet(step["set"]);
  else if (kind == "cancel" && step["cancel"].get<bool>()) target.scriptCancel();
  else if (kind == "theme") target.scriptTheme(step["theme"].get<std::string>());
  else if (kind == "font_scale") target.scriptFontScale(step["font_scale"].get<double>());
  else if (kind == "view") target.scriptView(step);
  else if (kind == "screenshot") target.scriptScreenshot(step["screenshot"].get<std::string>());
  else if (kind == "save_session" || kind == "open_session") target.scriptFile(kind, step[kind].get<std::string>());
  else if (kind == "restore") target.scriptRestore(step["restore"].get<bool>());
}

}  // namespace attnlab::gui
