// How a frame reaches the screen. Dear ImGui describes the whole window every frame; drawing
// all of it is most of a frame's cost under a software rasteriser (Mesa's llvmpipe, which is
// what Xvfb and many lecture-hall machines run). The presenter draws only what the
// DamageTracker reports as changed, over a picture kept from the last frame:
//  - SubBufferCopy: the back buffer is that picture. It is never swapped (a swap leaves it
//    undefined); the changed rectangles reach the window through GLX_MESA_copy_sub_buffer.
//  - KeptCanvas: the picture lives in an offscreen framebuffer, copied whole into the back
//    buffer, which is then swapped — for every other driver.
// Automatic takes SubBufferCopy for Mesa's software rasterisers, where filling pixels is the
// cost, and KeptCanvas elsewhere.
#pragma once
#include <imgui.h>

#include <memory>
#include <vector>

#include "app/gui/damage_tracker.hpp"
#include "app/gui/glx_sub_buffer.hpp"
#include "app/gui/render_target.hpp"

struct GLFWwindow;

namespace attnlab::gui {

enum class PresentMode { Automatic, SubBufferCopy, KeptCanvas };

class FramePresenter {
 public:
  // The GL context must be current; a SubBufferCopy asked for where GLX cannot do it is
  // served as KeptCanvas.
  explicit FramePresenter(PresentMode requested = PresentMode::Automatic);

  // Under a software rasteriser a frame fills at most about this many pixels (an eighth of
  // 1280×800, ~1.5 ms of llvmpipe fill on two idle cores, so that a frame that also uploads
  // a new landscape stays within 16.7 ms); larger damage is drawn over the next frames,
  // longest-waiting region first (DamageTracker).
  static constexpr long long kSoftwareFillBudget = 128LL * 1024;

  // Draws what changed; then the back buffer of framebuffer 0 holds the picture. complete:
  // all of the change this frame, whatever the fill budget (for a screenshot).
  // It rewrites the frame's command lists (clip rectangles cut to the damage): call it last.
  void draw(ImDrawData& frame, const ImVec4& clearColour, bool complete = false);
  // Shows what draw() drew: copies its rectangles to the window, or swaps.
  void present(GLFWwindow* window);

  // The next draw repaints everything (fonts rebuilt, ...).
  void repaintAll() { tracker_.invalidate(); }
  // The window lost its contents (exposed, mapped): the next present shows all of the picture.
  void exposed() { presentAll_ = true; }

  // Pixels a frame may fill (kSoftwareFillBudget under a software rasteriser, else no limit).
  void setFillBudget(long long pixels) { fillBudget_ = pixels; }

  PresentMode mode() const { return mode_; }
  // Whether part of the last frame's change is still to be drawn (the fill budget deferred it).
  bool catchingUp() const { return tracker_.pending(); }
  const DamageTracker& tracker() const { return tracker_; }

 private:
  void clipCommandsTo(ImDrawData& frame, const std::vector<PixelRect>& rects);
  void repaint(ImDrawData& frame, const std::vector<PixelRect>& rects, const ImVec4& clearColour, int height);
  void blitCanvas();

  PresentMode mode_;
  long long fillBudget_;
  std::unique_ptr<GlxSubBufferCopier> copier_;  // SubBufferCopy only
  RenderTarget canvas_;                         // KeptCanvas only
  DamageTracker tracker_;
  std::vector<PixelRect> unpresented_;  // drawn, not yet copied to the window
  int width_ = 0, height_ = 0;
  bool presentAll_ = true;
  // Scratch, swapped with each command list's buffers.
  ImVector<ImDrawCmd> clippedCommands_;
  ImVector<ImDrawIdx> clippedIndices_;
};

}  // namespace attnlab::gui
