#include "app/gui/glx_sub_buffer.hpp"

#include <dlfcn.h>
#include <epoxy/gl.h>
#include <epoxy/glx.h>

namespace attnlab::gui {

namespace {

// Whether this process already uses GLX (GLFW loads it for a window on X11, EGL on Wayland).
// Asking first keeps libepoxy from loading — or failing to find — a GLX library of its own.
bool glxLoaded() {
  for (const char* name : {"libGLX.so.0", "libGL.so.1"})
    if (void* handle = dlopen(name, RTLD_LAZY | RTLD_NOLOAD)) {
      dlclose(handle);
      return true;
    }
  return false;
}

}  // namespace

std::unique_ptr<GlxSubBufferCopier> GlxSubBufferCopier::forCurrentContext() {
  if (!glxLoaded() || glXGetCurrentContext() == nullptr) return nullptr;
  Display* display = glXGetCurrentDisplay();
  const GLXDrawable drawable = glXGetCurrentDrawable();
  if (display == nullptr || drawable == 0) return nullptr;
  if (!epoxy_has_glx_extension(display, DefaultScreen(display), "GLX_MESA_copy_sub_buffer")) return nullptr;
  return std::unique_ptr<GlxSubBufferCopier>(new GlxSubBufferCopier(display, drawable));
}

void GlxSubBufferCopier::copy(const PixelRect& rect, int framebufferHeight) const {
  // GLX counts rows from the bottom; the copy flushes the context itself.
  glXCopySubBufferMESA(static_cast<Display*>(display_), drawable_, rect.x0, framebufferHeight - rect.y1,
                       rect.x1 - rect.x0, rect.y1 - rect.y0);
}

}  // namespace attnlab::gui
