// The one native window: GLFW, an OpenGL 3.3 core context (functions through libepoxy)
// and Dear ImGui with its GLFW and OpenGL3 backends. Construction sets all of it up and
// the destructor tears it down in reverse, so the App only ever sees a working window.
#pragma once
#include <epoxy/gl.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>

#include "app/gui/frame_presenter.hpp"
#include "app/gui/png_io.hpp"

#include <memory>
#include <stdexcept>
#include <string>

namespace attnlab::gui {

// No display, no OpenGL 3.3, ...: the window cannot exist; what() says why.
class WindowError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct WindowConfig {
  int width = 1280;
  int height = 800;
  std::string title = "attnlab";
  bool startHidden = true;  // shown by the App once the first picture is ready
  PresentMode present = PresentMode::Automatic;
};

class Window {
 public:
  explicit Window(const WindowConfig& config);
  ~Window();
  Window(const Window&) = delete;
  Window& operator=(const Window&) = delete;

  bool shouldClose() const { return glfwWindowShouldClose(window_) != 0; }
  void requestClose() { glfwSetWindowShouldClose(window_, GLFW_TRUE); }
  void setTitle(const std::string& title);
  void show() {
    glfwShowWindow(window_);
    presenter_->exposed();
  }
  bool visible() const { return glfwGetWindowAttrib(window_, GLFW_VISIBLE) != 0; }

  void pollEvents() { glfwPollEvents(); }
  // Sleeps until input arrives or the timeout passes (an idle window costs no CPU).
  void waitEvents(double seconds) { glfwWaitEventsTimeout(seconds); }

  // Both backends' NewFrame, then ImGui::NewFrame. ignoreMouse: as if the pointer were
  // outside the window (scripted screenshots must not show hover read-outs wherever
  // the virtual display happens to leave its pointer).
  void beginFrame(bool ignoreMouse = false);
  // ImGui::Render, and what changed since the last frame drawn over the kept picture
  // (FramePresenter); the back buffer then holds the whole picture.
  // complete: draw all of the change now, whatever the fill budget (before a screenshot).
  void render(const ImVec4& clearColor, bool complete = false);
  // The next render repaints the whole window (after the fonts were rebuilt).
  void repaintAll() { presenter_->repaintAll(); }
  const FramePresenter& presenter() const { return *presenter_; }
  void swap() { presenter_->present(window_); }  // shows what render() drew

  // The back buffer as just rendered (call between render() and swap()).
  Image readBackBuffer() const;

  int framebufferWidth() const;
  int framebufferHeight() const;
  // The monitor's content scale (1 on ordinary screens, 2 on HiDPI ones).
  float contentScale() const;

  GLFWwindow* handle() const { return window_; }

 private:
  GLFWwindow* window_ = nullptr;
  ImGuiContext* imgui_ = nullptr;
  std::unique_ptr<FramePresenter> presenter_;  // GL objects: made after, destroyed before, the context
};

}  // namespace attnlab::gui
