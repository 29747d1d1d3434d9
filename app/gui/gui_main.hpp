// The window's entry point: `attnlab [SESSION] [--size WxH] [--frames N]
// [--screenshot FILE.png] [--frame-stats]` (cli.md, "The window, scripted").
#pragma once
#include <filesystem>
#include <optional>

namespace attnlab::gui {

struct WindowOptions {
  std::optional<std::filesystem::path> session;     // open on this session or lesson file
  int width = 1280;                                 // window size in screen coordinates
  int height = 800;
  std::optional<long long> frames;                  // render this many frames, then exit
  std::optional<std::filesystem::path> screenshot;  // when the jobs are done: save, exit
  bool frameStats = false;                          // print frame-time statistics on exit
  // Testing hook, not part of cli.md: a JSON list of steps (parameter changes, waits,
  // screenshots) played one per frame; the window exits after the last one. See script.hpp.
  std::optional<std::filesystem::path> script;
};

// Opens the window and runs it until it is closed or the scripted flags end it. Returns
// the exit status: 0; 1 when the window cannot run (no display, no OpenGL 3.3, a screenshot
// that cannot be written); 2 for bad input (an unreadable or invalid session or script
// file), with one line "attnlab: error: …" on stderr.
int runWindow(const WindowOptions& options);

}  // namespace attnlab::gui
