#include "app/gui/window_cli.hpp"

#include <charconv>
#include <filesystem>
#include <system_error>

#include "core/errors.hpp"

namespace attnlab::gui {
namespace {

// A whole decimal integer in [lo, hi], or nothing (no sign, no spaces, no trailing text).
std::optional<long long> parseInteger(std::string_view text, long long lo, long long hi) {
  long long value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || text.front() == '-' || text.front() == '+' || error != std::errc() || ptr != end ||
      value < lo || value > hi)
    return std::nullopt;
  return value;
}

InputLocation option(const std::string& name) { return InputLocation{{}, name, {}, {}}; }

}  // namespace

std::pair<int, int> parseWindowSize(const std::string& text) {
  const auto x = text.find('x');
  const std::string_view all(text);
  const auto w = x == std::string::npos ? std::nullopt : parseInteger(all.substr(0, x), 64, 16384);
  const auto h = x == std::string::npos ? std::nullopt : parseInteger(all.substr(x + 1), 64, 16384);
  if (!w || !h) throw InputError("expected WIDTHxHEIGHT with each in [64, 16384], got '" + text + "'", option("--size"));
  return {static_cast<int>(*w), static_cast<int>(*h)};
}

void addWindowOptions(CLI::App& app, WindowOptions& options, int& status) {
  // Set when any window option appears, to refuse them beside a subcommand.
  auto given = std::make_shared<bool>(false);
  app.add_option_function<std::string>(
         "session",
         [&options](const std::string& path) {
           // A mistyped subcommand lands here too: name it, rather than complain about
           // whatever argument follows it.
           std::error_code error;
           if (!std::filesystem::is_regular_file(path, error))
             throw InputError("'" + path + "' is neither a subcommand (see --help) nor a session file");
           options.session = path;
         },
         "Open the window on this session or lesson file (JSON)")
      ->type_name("SESSION");
  app.add_option_function<std::string>(
         "--size",
         [&options, given](const std::string& text) {
           std::tie(options.width, options.height) = parseWindowSize(text);
           *given = true;
         },
         "Window size, e.g. 1280x800")
      ->type_name("WxH");
  app.add_option_function<std::string>(
         "--frames",
         [&options, given](const std::string& text) {
           options.frames = parseInteger(text, 1, 1'000'000'000);
           if (!options.frames) throw InputError("expected an integer in [1, 10^9], got '" + text + "'", option("--frames"));
           *given = true;
         },
         "Render N frames, then exit")
      ->type_name("N");
  app.add_option_function<std::string>(
         "--screenshot",
         [&options, given](const std::string& path) {
           options.screenshot = path;
           *given = true;
         },
         "When the visible lab's jobs have finished, save the window as a PNG and exit")
      ->type_name("FILE.png");
  app.add_flag_function(
      "--frame-stats",
      [&options, given](std::int64_t) {
        options.frameStats = true;
        *given = true;
      },
      "On exit, print the frame times as JSON: frames, p50_ms, p99_ms, max_ms");
  app.add_option_function<std::string>(
         "--script",
         [&options, given](const std::string& path) {
           options.script = path;
           *given = true;
         },
         "(testing) Play the steps of a JSON script, one per frame, then exit")
      ->type_name("FILE.json")
      ->group("Testing");
  app.final_callback([&app, &options, &status, given] {
    if (!app.get_subcommands().empty()) {
      if (*given || options.session)
        throw InputError("the window's options cannot be combined with a subcommand");
      return;
    }
    status = runWindow(options);
  });
}

}  // namespace attnlab::gui
