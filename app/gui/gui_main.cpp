#include "app/gui/gui_main.hpp"

#include <iostream>
#include <new>

#include "app/gui/app.hpp"
#include "core/errors.hpp"

namespace attnlab::gui {
namespace {

int report(const std::string& message, int status) {
  std::string line = message;
  for (char& c : line)
    if (c == '\n') c = ' ';
  std::cerr << "attnlab: error: " << line << std::endl;
  return status;
}

}  // namespace

int runWindow(const WindowOptions& options) {
  try {
    App app(options);
    return app.run();
  } catch (const InputError& e) {
    return report(e.what(), 2);  // a bad session or script file: bad input, as on the CLI
  } catch (const std::bad_alloc&) {
    return report("out of memory", 1);
  } catch (const std::exception& e) {
    return report(e.what(), 1);  // no display, no OpenGL 3.3, a shader the driver rejects
  }
}

}  // namespace attnlab::gui
