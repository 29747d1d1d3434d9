#include "app/gui/window.hpp"

#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>

#include <cfloat>
#include <cstring>

namespace attnlab::gui {
namespace {

// GLFW reports errors through glfwGetError; this turns the latest one into our exception.
[[noreturn]] void throwGlfwError(const std::string& what) {
  const char* description = nullptr;
  glfwGetError(&description);
  std::string message = what;
  if (description != nullptr) message += std::string(": ") + description;
  throw WindowError(message);
}

void requestCoreProfile33(bool startHidden) {
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);  // required on macOS, harmless elsewhere
  glfwWindowHint(GLFW_VISIBLE, startHidden ? GLFW_FALSE : GLFW_TRUE);
  glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);
}

}  // namespace

Window::Window(const WindowConfig& config) {
  if (glfwInit() != GLFW_TRUE) throwGlfwError("cannot open a window (is there a display?)");
  requestCoreProfile33(config.startHidden);
  window_ = glfwCreateWindow(config.width, config.height, config.title.c_str(), nullptr, nullptr);
  if (window_ == nullptr) {
    glfwTerminate();
    throwGlfwError("cannot create an OpenGL 3.3 core window");
  }
  glfwMakeContextCurrent(window_);
  // Vsync where the platform has it; the App's own pacing covers Xvfb, which has none.
  glfwSwapInterval(1);

  IMGUI_CHECKVERSION();
  imgui_ = ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // the layout is fixed by the App; sessions hold the state
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  ImGui_ImplGlfw_InitForOpenGL(window_, true);
  ImGui_ImplOpenGL3_Init("#version 330 core");
  presenter_ = std::make_unique<FramePresenter>(config.present);
  // An exposed window has lost what was presented; the picture itself is kept.
  glfwSetWindowUserPointer(window_, this);
  glfwSetWindowRefreshCallback(window_, [](GLFWwindow* w) {
    static_cast<Window*>(glfwGetWindowUserPointer(w))->presenter_->exposed();
  });
}

Window::~Window() {
  presenter_.reset();
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext(imgui_);
  glfwDestroyWindow(window_);
  glfwTerminate();
}

void Window::setTitle(const std::string& title) { glfwSetWindowTitle(window_, title.c_str()); }

void Window::beginFrame(bool ignoreMouse) {
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  if (ignoreMouse) ImGui::GetIO().MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
  ImGui::NewFrame();
}

void Window::render(const ImVec4& clearColor, bool complete) {
  ImGui::Render();
  presenter_->draw(*ImGui::GetDrawData(), clearColor, complete);
}

Image Window::readBackBuffer() const {
  Image image;
  image.width = framebufferWidth();
  image.height = framebufferHeight();
  const std::size_t row = static_cast<std::size_t>(image.width) * 4;
  std::vector<std::uint8_t> bottomUp(row * static_cast<std::size_t>(image.height));
  glBindFramebuffer(GL_READ_FRAMEBUFFER, 0);
  glReadBuffer(GL_BACK);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, image.width, image.height, GL_RGBA, GL_UNSIGNED_BYTE, bottomUp.data());
  // OpenGL's rows run bottom-up; image files run top-down.
  image.rgba.resize(bottomUp.size());
  for (int y = 0; y < image.height; ++y)
    std::memcpy(image.rgba.data() + static_cast<std::size_t>(y) * row,
                bottomUp.data() + static_cast<std::size_t>(image.height - 1 - y) * row, row);
  return image;
}

int Window::framebufferWidth() const {
  int w = 0, h = 0;
  glfwGetFramebufferSize(window_, &w, &h);
  return w;
}

int Window::framebufferHeight() const {
  int w = 0, h = 0;
  glfwGetFramebufferSize(window_, &w, &h);
  return h;
}

float Window::contentScale() const {
  float x = 1.0f, y = 1.0f;
  glfwGetWindowContentScale(window_, &x, &y);
  return std::max(1.0f, x);
}

}  // namespace attnlab::gui
