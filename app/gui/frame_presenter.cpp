#include "app/gui/frame_presenter.hpp"

#include <backends/imgui_impl_opengl3.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include <algorithm>
#include <string_view>

namespace attnlab::gui {
namespace {

bool softwareRasteriser() {
  const auto* renderer = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
  if (renderer == nullptr) return false;
  const std::string_view name(renderer);
  return name.find("llvmpipe") != std::string_view::npos || name.find("softpipe") != std::string_view::npos;
}

PresentMode chooseMode(PresentMode requested, const GlxSubBufferCopier* copier, bool software) {
  if (copier == nullptr) return PresentMode::KeptCanvas;
  if (requested == PresentMode::Automatic) return software ? PresentMode::SubBufferCopy : PresentMode::KeptCanvas;
  return requested;
}

}  // namespace

FramePresenter::FramePresenter(PresentMode requested) {
  const bool software = softwareRasteriser();
  fillBudget_ = software ? kSoftwareFillBudget : DamageTracker::kUnlimited;
  if (requested != PresentMode::KeptCanvas) copier_ = GlxSubBufferCopier::forCurrentContext();
  mode_ = chooseMode(requested, copier_.get(), software);
  if (mode_ != PresentMode::SubBufferCopy) copier_.reset();
}

void FramePresenter::draw(ImDrawData& frame, const ImVec4& clearColour, bool complete) {
  const int width = static_cast<int>(frame.DisplaySize.x * frame.FramebufferScale.x);
  const int height = static_cast<int>(frame.DisplaySize.y * frame.FramebufferScale.y);
  if (width <= 0 || height <= 0) return;  // minimised
  if (width != width_ || height != height_) {
    width_ = width;
    height_ = height;
    tracker_.invalidate();  // a resized back buffer (or canvas) holds no picture
    presentAll_ = true;
  }
  if (mode_ == PresentMode::KeptCanvas && canvas_.ensure(width, height, {})) tracker_.invalidate();
  const long long budget = complete ? DamageTracker::kUnlimited : fillBudget_;
  const std::vector<PixelRect>& rects = tracker_.update(frame, clearColour, budget);
  if (!rects.empty()) {
    if (!tracker_.lastWasFull()) clipCommandsTo(frame, rects);
    repaint(frame, rects, clearColour, height);
    unpresented_.insert(unpresented_.end(), rects.begin(), rects.end());
  }
  if (mode_ == PresentMode::KeptCanvas) blitCanvas();
}

void FramePresenter::present(GLFWwindow* window) {
  if (mode_ == PresentMode::KeptCanvas) {
    glfwSwapBuffers(window);
  } else if (width_ <= 0 || height_ <= 0) {
    return;  // nothing drawn yet: the first picture is presented whole (presentAll_ stays)
  } else if (presentAll_) {
    copier_->copy({0, 0, width_, height_}, height_);
  } else {
    for (const PixelRect& r : unpresented_) copier_->copy(r, height_);
  }
  unpresented_.clear();
  presentAll_ = false;
}

// Every command becomes one command per damaged rectangle it crosses: its clip rectangle cut
// to the backend's own scissor (backendScissor) ∩ that rectangle, in whole pixels, so that the
// backend sets exactly that scissor, and its triangles cut to those that can reach the
// rectangle (a software rasteriser shades every vertex a draw call names, however small the
// scissor). The rectangles are disjoint, so each pixel still sees its triangles in order.
void FramePresenter::clipCommandsTo(ImDrawData& frame, const std::vector<PixelRect>& rects) {
  const int height = static_cast<int>(frame.DisplaySize.y);
  for (int l = 0; l < frame.CmdListsCount; ++l) {
    ImDrawList& list = *frame.CmdLists[l];
    clippedCommands_.resize(0);
    clippedIndices_.resize(0);
    for (const ImDrawCmd& cmd : list.CmdBuffer) {
      const PixelRect s = backendScissor(cmd.ClipRect, height);
      const ImDrawIdx* idx = list.IdxBuffer.Data + cmd.IdxOffset;
      const ImDrawVert* vtx = list.VtxBuffer.Data + cmd.VtxOffset;
      for (const PixelRect& r : rects) {
        const PixelRect cut = intersect(s, r);
        if (cut.empty()) continue;
        const int first = clippedIndices_.Size;
        for (unsigned e = 0; e + 2 < cmd.ElemCount; e += 3)
          if (!intersect(triangleReach(vtx[idx[e]], vtx[idx[e + 1]], vtx[idx[e + 2]]), cut).empty()) {
            clippedIndices_.push_back(idx[e]);
            clippedIndices_.push_back(idx[e + 1]);
            clippedIndices_.push_back(idx[e + 2]);
          }
        if (clippedIndices_.Size == first) continue;
        ImDrawCmd copy = cmd;
        copy.ClipRect = ImVec4(static_cast<float>(cut.x0), static_cast<float>(cut.y0), static_cast<float>(cut.x1),
                               static_cast<float>(cut.y1));
        copy.IdxOffset = static_cast<unsigned>(first);
        copy.ElemCount = static_cast<unsigned>(clippedIndices_.Size - first);
        clippedCommands_.push_back(copy);
      }
    }
    list.CmdBuffer.swap(clippedCommands_);
    list.IdxBuffer.swap(clippedIndices_);
  }
}

void FramePresenter::repaint(ImDrawData& frame, const std::vector<PixelRect>& rects, const ImVec4& clearColour,
                             int height) {
  if (mode_ == PresentMode::KeptCanvas) {
    canvas_.begin();
  } else {
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    glViewport(0, 0, width_, height_);
  }
  glEnable(GL_SCISSOR_TEST);
  glClearColor(clearColour.x, clearColour.y, clearColour.z, clearColour.w);
  for (const PixelRect& r : rects) {
    glScissor(r.x0, height - r.y1, r.x1 - r.x0, r.y1 - r.y0);
    glClear(GL_COLOR_BUFFER_BIT);
  }
  glDisable(GL_SCISSOR_TEST);
  ImGui_ImplOpenGL3_RenderDrawData(&frame);
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
}

void FramePresenter::blitCanvas() {
  glBindFramebuffer(GL_READ_FRAMEBUFFER, canvas_.framebuffer());
  glBindFramebuffer(GL_DRAW_FRAMEBUFFER, 0);
  glDisable(GL_SCISSOR_TEST);
  glBlitFramebuffer(0, 0, width_, height_, 0, 0, width_, height_, GL_COLOR_BUFFER_BIT, GL_NEAREST);
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  glViewport(0, 0, width_, height_);
}

}  // namespace attnlab::gui
