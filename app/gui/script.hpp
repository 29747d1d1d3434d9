// A testing hook (`attnlab --script FILE.json`, not part of cli.md): plays a list of steps
// against the running window, one step per frame, the way a user would click — so tests
// can switch kinds and planes, wait for the jobs, and take screenshots in between. The
// window exits after the last step (after `--screenshot`, if also given).
//
//   [ {"set": {"kind": "exp", "d": 8, "plane": "pca"}},   lab parameters (as in a session)
//     {"set": {"lab": "bounds", "shift": "A", "n": 32}},   "lab" selects a tab; the other fields
//                                                          go to that lab (without "lab": the
//                                                          open tab's, the regression lab at first)
//     {"wait": "idle"},                                    until every lab's jobs have finished
//     {"wait_ms": 30},                                     keep rendering for 30 ms
//     {"frames": 20},                                      render 20 frames
//     {"cancel": true},                                    the status bar's cancel button
//     {"theme": "dark"}, {"font_scale": 1.5},              the View menu
//     {"view": "surface", "yaw": 30, "pitch": 35},         the 3-D view's camera (degrees)
//     {"screenshot": "/tmp/step.png"},                     save the next frame
//     {"save_session": "/tmp/s.json"},                     File → Save as
//     {"open_session": "/tmp/s.json"},                     File → Open
//     {"restore": true} ]                                  accept the restore offer (false: decline)
#pragma once
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace attnlab::gui {

// What a script can act on; the App implements it.
class ScriptTarget {
 public:
  virtual ~ScriptTarget() = default;
  virtual void scriptSet(const nlohmann::json& params) = 0;  // throws InputError on bad fields
  virtual bool scriptIdle() const = 0;
  virtual void scriptCancel() = 0;
  virtual void scriptTheme(const std::string& name) = 0;
  virtual void scriptFontScale(double scale) = 0;
  virtual void scriptView(const nlohmann::json& view) = 0;
  virtual void scriptScreenshot(const std::filesystem::path& path) = 0;
  // "save_session" or "open_session"; throws InputError when the file cannot be used.
  virtual void scriptFile(const std::string& action, const std::filesystem::path& path) = 0;
  // Throws InputError when no unclean run's session is there to restore.
  virtual void scriptRestore(bool accept) = 0;
};

class Script {
 public:
  // Reads and checks the whole file up front; throws InputError naming the step at fault.
  explicit Script(const std::filesystem::path& path);

  // Advances by at most one step this frame (waits hold it in place).
  void advance(ScriptTarget& target);
  bool finished() const { return next_ >= steps_.size(); }

 private:
  bool stepReady(const nlohmann::json& step, const ScriptTarget& target);
  void perform(const nlohmann::json& step, ScriptTarget& target);

  std::string name_;
  nlohmann::json steps_;
  std::size_t next_ = 0;
  long long framesLeft_ = -1;  // inside a "frames" step: frames still to render
  std::chrono::steady_clock::time_point waitUntil_{};
  bool timing_ = false;        // inside a "wait_ms" step
};

}  // namespace attnlab::gui
