// Which parts of the window a frame changes. Dear ImGui describes the whole window afresh
// every frame; under a software rasteriser (Mesa's llvmpipe, what Xvfb and many lecture-hall
// machines run) filling all of it is most of a frame's cost. The tracker hashes, for each
// 32×32-pixel tile, the ordered triangles that may touch it — their vertices, the scissor
// they are drawn under and their texture (whose handle carries a content generation, see
// RenderTarget::imTextureId) — and reports the tiles whose hash changed since the last frame,
// merged into rectangles. Redrawing those rectangles alone over the last frame's pixels gives
// the picture a full redraw gives, pixel for pixel (KeptCanvas does that; a test checks it).
#pragma once
#include <imgui.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace attnlab::gui {

// Framebuffer pixels, rows top-down, half-open: [x0, x1) × [y0, y1).
struct PixelRect {
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  bool empty() const { return x1 <= x0 || y1 <= y0; }
  long long area() const { return empty() ? 0 : static_cast<long long>(x1 - x0) * (y1 - y0); }
  bool operator==(const PixelRect&) const = default;
};

// The scissor the OpenGL3 backend of Dear ImGui 1.86 sets for a command, in top-down pixels:
// it truncates the clip rectangle's corner and its extent (not the far corner), so the
// rectangle is reproduced here exactly as the backend computes it.
PixelRect backendScissor(const ImVec4& clipRect, int framebufferHeight);

inline PixelRect intersect(const PixelRect& a, const PixelRect& b) {
  return {std::max(a.x0, b.x0), std::max(a.y0, b.y0), std::min(a.x1, b.x1), std::min(a.y1, b.y1)};
}

// The pixels a triangle may cover: those whose centres lie in its bounding box, widened by a
// pixel for safety (a triangle with a non-finite corner reaches everywhere). The tracker
// hashes a triangle into the tiles it reaches; the presenter keeps, for a rectangle, the
// triangles that reach it — one rule, so the two cannot disagree.
PixelRect triangleReach(const ImDrawVert& a, const ImDrawVert& b, const ImDrawVert& c);

// Joins rectangles into their bounding boxes while that wastes little fill (see the .cpp);
// disjoint rectangles stay disjoint.
void mergeRects(std::vector<PixelRect>& rects);

class DamageTracker {
 public:
  static constexpr int kTile = 32;
  static constexpr std::size_t kMaxRects = 6;
  static constexpr long long kUnlimited = 1LL << 62;

  // The rectangles (disjoint, tile-aligned, clipped to the framebuffer) to redraw so that the
  // kept picture moves towards this frame: those that differ from what it shows, at most
  // about fillBudget pixels of them (always at least one tile row) — the rest waits for the
  // next frame, longest-waiting first. All of the framebuffer, whatever the budget, after
  // invalidate() or a resize, or when the frame cannot be tracked (a framebuffer scale other
  // than 1, a user callback).
  const std::vector<PixelRect>& update(const ImDrawData& frame, const ImVec4& clearColour,
                                       long long fillBudget = kUnlimited);
  // The next update reports the whole framebuffer (after a font rebuild, a lost canvas, ...).
  void invalidate() { valid_ = false; }

  // Whether the last update reports the whole framebuffer.
  bool lastWasFull() const { return full_; }
  // Whether the picture still differs from the last frame (damage left over the budget).
  bool pending() const { return pending_; }
  const std::vector<PixelRect>& rects() const { return rects_; }
  // Fraction of the framebuffer the last update's rectangles cover (0..1).
  double damagedFraction() const;

 private:
  bool trackable(const ImDrawData& frame) const;
  void hashTiles(const ImDrawData& frame, const ImVec4& clearColour, std::vector<std::uint64_t>& tiles) const;
  void collectRects();
  void keepWithinBudget(long long fillBudget);
  void markShown();

  int width_ = 0, height_ = 0, cols_ = 0, rows_ = 0;
  std::vector<std::uint64_t> tiles_;  // this frame's hash per tile, row-major
  std::vector<std::uint64_t> shown_;  // the hash of what the kept picture shows there
  std::vector<int> waiting_;          // frames each tile's change has waited
  std::vector<PixelRect> rects_;
  bool valid_ = false;
  bool full_ = true;
  bool pending_ = false;
};

}  // namespace attnlab::gui
