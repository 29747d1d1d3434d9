#include "app/gui/damage_tracker.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace attnlab::gui {
namespace {

// A multiply–xorshift step: cheap, and order-sensitive, as drawing is (later triangles
// blend over earlier ones).
inline std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
  h = (h ^ v) * 0x9E3779B97F4A7C15ull;
  return h ^ (h >> 29);
}

inline std::uint64_t bits(float a, float b) {
  std::uint32_t ua = 0, ub = 0;
  std::memcpy(&ua, &a, sizeof ua);
  std::memcpy(&ub, &b, sizeof ub);
  return ua | static_cast<std::uint64_t>(ub) << 32;
}

inline std::uint64_t bits(int a, int b) {
  return static_cast<std::uint32_t>(a) | static_cast<std::uint64_t>(static_cast<std::uint32_t>(b)) << 32;
}

inline std::uint64_t mixVertex(std::uint64_t h, const ImDrawVert& v) {
  h = mix(h, bits(v.pos.x, v.pos.y));
  h = mix(h, bits(v.uv.x, v.uv.y));
  return mix(h, v.col);
}

// float → int as a C cast truncates, but clamped first (a cast out of range is undefined).
inline int truncated(float v) { return static_cast<int>(std::clamp(v, -1.0e8f, 1.0e8f)); }

}  // namespace

PixelRect triangleReach(const ImDrawVert& a, const ImDrawVert& b, const ImDrawVert& c) {
  constexpr float kFar = 1.0e8f;  // beyond any framebuffer, within int
  const float x0 = std::min({a.pos.x, b.pos.x, c.pos.x}) - 1.0f, x1 = std::max({a.pos.x, b.pos.x, c.pos.x}) + 2.0f;
  const float y0 = std::min({a.pos.y, b.pos.y, c.pos.y}) - 1.0f, y1 = std::max({a.pos.y, b.pos.y, c.pos.y}) + 2.0f;
  const auto finite = [&](float v) { return std::isfinite(v) && std::fabs(v) < kFar; };
  if (!(finite(a.pos.x) && finite(b.pos.x) && finite(c.pos.x) && finite(a.pos.y) && finite(b.pos.y) && finite(c.pos.y)))
    return {-static_cast<int>(kFar), -static_cast<int>(kFar), static_cast<int>(kFar), static_cast<int>(kFar)};
  const auto down = [](float v) { return static_cast<int>(std::floor(v)); };
  return {down(x0), down(y0), down(x1), down(y1)};
}


PixelRect backendScissor(const ImVec4& clip, int framebufferHeight) {
  // imgui_impl_opengl3.cpp (1.86): skip when clip_max <= clip_min, else
  // glScissor((int)min.x, (int)(fb_height - max.y), (int)(max.x - min.x), (int)(max.y - min.y)).
  if (!(clip.z > clip.x) || !(clip.w > clip.y)) return {};
  const int x = truncated(clip.x), w = truncated(clip.z - clip.x);
  const int yUp = truncated(static_cast<float>(framebufferHeight) - clip.w), h = truncated(clip.w - clip.y);
  return {x, framebufferHeight - yUp - h, x + w, framebufferHeight - yUp};
}

const std::vector<PixelRect>& DamageTracker::update(const ImDrawData& frame, const ImVec4& clearColour,
                                                    long long fillBudget) {
  const int width = std::max(0, truncated(frame.DisplaySize.x * frame.FramebufferScale.x));
  const int height = std::max(0, truncated(frame.DisplaySize.y * frame.FramebufferScale.y));
  if (width != width_ || height != height_) {
    width_ = width;
    height_ = height;
    cols_ = (width + kTile - 1) / kTile;
    rows_ = (height + kTile - 1) / kTile;
    valid_ = false;
  }
  rects_.clear();
  full_ = !valid_ || !trackable(frame);
  if (full_) {
    valid_ = trackable(frame);
    if (valid_) hashTiles(frame, clearColour, shown_);
    waiting_.assign(shown_.size(), 0);
    pending_ = false;
    if (width_ > 0 && height_ > 0) rects_.push_back({0, 0, width_, height_});
    return rects_;
  }
  hashTiles(frame, clearColour, tiles_);
  collectRects();
  mergeRects(rects_);
  keepWithinBudget(fillBudget);
  markShown();
  return rects_;
}

// Only the single-viewport case at scale 1 maps clip rectangles to pixels exactly; user
// callbacks draw what the tracker cannot see.
bool DamageTracker::trackable(const ImDrawData& frame) const {
  if (frame.DisplayPos.x != 0.0f || frame.DisplayPos.y != 0.0f) return false;
  if (frame.FramebufferScale.x != 1.0f || frame.FramebufferScale.y != 1.0f) return false;
  for (int l = 0; l < frame.CmdListsCount; ++l)
    for (const ImDrawCmd& cmd : frame.CmdLists[l]->CmdBuffer)
      if (cmd.UserCallback != nullptr) return false;
  return true;
}

void DamageTracker::hashTiles(const ImDrawData& frame, const ImVec4& clearColour, std::vector<std::uint64_t>& tiles) const {
  const std::uint64_t seed = mix(mix(0x243F6A8885A308D3ull, bits(clearColour.x, clearColour.y)),
                                 bits(clearColour.z, clearColour.w));
  tiles.assign(static_cast<std::size_t>(cols_) * rows_, seed);
  const PixelRect screen{0, 0, width_, height_};
  for (int l = 0; l < frame.CmdListsCount; ++l) {
    const ImDrawList& list = *frame.CmdLists[l];
    for (const ImDrawCmd& cmd : list.CmdBuffer) {
      const PixelRect s = intersect(backendScissor(cmd.ClipRect, height_), screen);
      if (s.empty()) continue;
      const auto texture = reinterpret_cast<std::uintptr_t>(cmd.GetTexID());
      const std::uint64_t command = mix(mix(mix(seed, texture), bits(s.x0, s.x1)), bits(s.y0, s.y1));
      const ImDrawIdx* idx = list.IdxBuffer.Data + cmd.IdxOffset;
      const ImDrawVert* vtx = list.VtxBuffer.Data + cmd.VtxOffset;
      for (unsigned e = 0; e + 2 < cmd.ElemCount; e += 3) {
        const ImDrawVert& a = vtx[idx[e]];
        const ImDrawVert& b = vtx[idx[e + 1]];
        const ImDrawVert& c = vtx[idx[e + 2]];
        const PixelRect reach = intersect(triangleReach(a, b, c), s);
        if (reach.empty()) continue;
        const std::uint64_t triangle = mixVertex(mixVertex(mixVertex(command, a), b), c);
        for (int ty = reach.y0 / kTile; ty <= (reach.y1 - 1) / kTile; ++ty)
          for (int tx = reach.x0 / kTile; tx <= (reach.x1 - 1) / kTile; ++tx) {
            std::uint64_t& tile = tiles[static_cast<std::size_t>(ty) * cols_ + tx];
            tile = mix(tile, triangle);
          }
      }
    }
  }
}

// Runs of changed tiles along each tile row, each extended downwards while the next row has
// a run with the same span: few rectangles for the usual damage (a plot, a status-bar text).
void DamageTracker::collectRects() {
  std::vector<PixelRect> open, next;
  for (int ty = 0; ty < rows_; ++ty) {
    next.clear();
    for (int tx = 0; tx < cols_;) {
      const auto changed = [&](int x) {
        const std::size_t i = static_cast<std::size_t>(ty) * cols_ + x;
        return tiles_[i] != shown_[i];
      };
      if (!changed(tx)) {
        ++tx;
        continue;
      }
      int end = tx;
      while (end < cols_ && changed(end)) ++end;
      PixelRect run{tx * kTile, ty * kTile, std::min(end * kTile, width_), std::min((ty + 1) * kTile, height_)};
      const auto above = std::find_if(open.begin(), open.end(),
                                      [&](const PixelRect& r) { return r.x0 == run.x0 && r.x1 == run.x1; });
      if (above != open.end()) {
        run.y0 = above->y0;
        open.erase(above);
      }
      next.push_back(run);
      tx = end;
    }
    rects_.insert(rects_.end(), open.begin(), open.end());  // not continued in this row: closed
    std::swap(open, next);
  }
  rects_.insert(rects_.end(), open.begin(), open.end());
}

// The rectangles whose tiles have waited longest come first (so a region that changes every
// frame cannot starve another); then as many as the budget allows — the first always, cut to
// whole tile rows within the budget if it is larger. The rest stays damaged for the next frame.
void DamageTracker::keepWithinBudget(long long fillBudget) {
  for (std::size_t t = 0; t < tiles_.size(); ++t) waiting_[t] = tiles_[t] != shown_[t] ? waiting_[t] + 1 : 0;
  const auto longestWait = [&](const PixelRect& r) {
    int most = 0;
    for (int ty = r.y0 / kTile; ty * kTile < r.y1; ++ty)
      for (int tx = r.x0 / kTile; tx * kTile < r.x1; ++tx) most = std::max(most, waiting_[static_cast<std::size_t>(ty) * cols_ + tx]);
    return most;
  };
  std::vector<std::pair<int, PixelRect>> queue;
  for (const PixelRect& r : rects_) queue.emplace_back(longestWait(r), r);
  std::stable_sort(queue.begin(), queue.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  rects_.clear();
  long long filled = 0;
  for (auto& [wait, r] : queue) {
    if (rects_.empty() && r.area() > fillBudget) {
      const int rowsWithin = std::max<long long>(1, fillBudget / (static_cast<long long>(r.x1 - r.x0) * kTile));
      r.y1 = std::min(r.y1, r.y0 + rowsWithin * kTile);
    } else if (filled + r.area() > fillBudget) {
      continue;
    }
    filled += r.area();
    rects_.push_back(r);
  }
}

// The drawn rectangles now show this frame's tiles; whatever else differs is still pending.
void DamageTracker::markShown() {
  for (const PixelRect& r : rects_)
    for (int ty = r.y0 / kTile; ty * kTile < r.y1; ++ty)
      for (int tx = r.x0 / kTile; tx * kTile < r.x1; ++tx) {
        const std::size_t t = static_cast<std::size_t>(ty) * cols_ + tx;
        shown_[t] = tiles_[t];
        waiting_[t] = 0;
      }
  pending_ = tiles_ != shown_;
}

// Each rectangle repeats every command that crosses it (a draw call each, and a copy to the
// window): neighbours are joined into their bounding box while it wastes little fill — at
// most half their area plus a few tiles — and always while there are more than kMaxRects.
// A box takes in every rectangle it overlaps, so the rectangles stay disjoint.
void mergeRects(std::vector<PixelRect>& rects) {
  const auto hull = [](const PixelRect& a, const PixelRect& b) {
    return PixelRect{std::min(a.x0, b.x0), std::min(a.y0, b.y0), std::max(a.x1, b.x1), std::max(a.y1, b.y1)};
  };
  struct Join {
    PixelRect box;
    std::vector<std::size_t> members;
    long long waste = 0, covered = 0;
  };
  // The box of rects[i] and rects[j], grown until it overlaps no rectangle it does not hold.
  const auto join = [&](std::size_t i, std::size_t j) {
    Join m{hull(rects[i], rects[j]), {}, 0, 0};
    for (bool grew = true; grew;) {
      grew = false;
      m.members.clear();
      for (std::size_t k = 0; k < rects.size(); ++k)
        if (!intersect(m.box, rects[k]).empty()) {
          m.members.push_back(k);
          const PixelRect h = hull(m.box, rects[k]);
          grew |= !(h == m.box);
          m.box = h;
        }
    }
    for (std::size_t k : m.members) m.covered += rects[k].area();
    m.waste = m.box.area() - m.covered;
    return m;
  };
  constexpr long long kFewTiles = 8LL * DamageTracker::kTile * DamageTracker::kTile;
  while (rects.size() > 1) {
    Join best;
    best.waste = -1;
    for (std::size_t i = 0; i < rects.size(); ++i)
      for (std::size_t j = i + 1; j < rects.size(); ++j) {
        Join m = join(i, j);
        if (best.waste < 0 || m.waste < best.waste) best = std::move(m);
      }
    const bool cheap = best.waste <= best.covered / 2 + kFewTiles;
    if (!cheap && rects.size() <= DamageTracker::kMaxRects) break;
    std::vector<PixelRect> kept;
    for (std::size_t k = 0; k < rects.size(); ++k)
      if (std::find(best.members.begin(), best.members.end(), k) == best.members.end()) kept.push_back(rects[k]);
    kept.push_back(best.box);
    rects = std::move(kept);
  }
}

double DamageTracker::damagedFraction() const {
  if (width_ == 0 || height_ == 0) return 0.0;
  long long area = 0;
  for (const PixelRect& r : rects_) area += r.area();
  return static_cast<double>(area) / (static_cast<double>(width_) * height_);
}

}  // namespace attnlab::gui
