// The window redraws only what changed (DamageTracker, FramePresenter): the kept picture must
// equal a full redraw of the same frame, pixel for pixel, in both present modes, through text
// changes, moved windows at fractional positions, redrawn textures and deferred damage.
#include <gtest/gtest.h>

#include <backends/imgui_impl_opengl3.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "app/gui/frame_presenter.hpp"
#include "app/gui/render_target.hpp"
#include "app/gui/window.hpp"

namespace attnlab::gui {
namespace {

constexpr int kWidth = 400, kHeight = 300;
const ImVec4 kClear{0.2f, 0.25f, 0.3f, 1.0f};

// What a test frame shows; every field changes some pixels.
struct Scene {
  std::string label = "loss 0.125";
  ImVec2 panelPos{10.5f, 20.25f};  // fractional: clip rectangles that the backend truncates
  float progress = 0.3f;
  void* image = nullptr;
  ImVec2 lineEnd{390.0f, 290.0f};
};

class FramePresenterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // Visible: the back buffer of an unmapped window need not hold pixels.
    window_ = std::make_unique<Window>(WindowConfig{kWidth, kHeight, "presenter test", false});
  }
  static void TearDownTestSuite() { window_.reset(); }

  void SetUp() override {
    image_.ensure(48, 48, {});
    fillImage(1.0f, 0.5f, 0.0f);
  }

  void fillImage(float r, float g, float b) {
    image_.begin();
    glClearColor(r, g, b, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    image_.end();
  }

  // Builds the scene's draw data (ImGui::Render) and keeps a full redraw of it as reference.
  ImDrawData& frame(const Scene& s) {
    window_->beginFrame(/*ignoreMouse=*/true);
    ImGui::SetNextWindowPos(s.panelPos);
    ImGui::SetNextWindowSize(ImVec2(220.0f, 200.0f));
    ImGui::Begin("panel", nullptr, ImGuiWindowFlags_NoSavedSettings);
    ImGui::TextUnformatted(s.label.c_str());
    ImGui::ProgressBar(s.progress);
    if (s.image) ImGui::Image(s.image, ImVec2(48.0f, 48.0f));
    for (int i = 0; i < 4; ++i) ImGui::Text("row %d of a steady table", i);
    ImGui::End();
    ImGui::SetNextWindowPos(ImVec2(250.0f, 40.0f));
    ImGui::SetNextWindowSize(ImVec2(140.0f, 120.0f));
    ImGui::Begin("steady", nullptr, ImGuiWindowFlags_NoSavedSettings);
    ImGui::TextUnformatted("nothing here moves");
    ImGui::End();
    ImGui::GetForegroundDrawList()->AddLine(ImVec2(5.0f, 5.0f), s.lineEnd, IM_COL32(255, 255, 0, 200), 2.0f);
    ImGui::Render();
    ImDrawData& data = *ImGui::GetDrawData();
    reference_.ensure(kWidth, kHeight, {});
    if (referenceInBackBuffer_) {
      drawReferenceInBackBuffer(data);
      return data;
    }
    reference_.begin();
    glClearColor(kClear.x, kClear.y, kClear.z, kClear.w);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(&data);
    reference_.end();
    referencePixels_ = reference_.readPixels();
    return data;
  }

  // Blending rounds differently into the window's buffer (no alpha) than into an RGBA8
  // texture, so a picture kept in the back buffer is compared with a full redraw there: the
  // kept picture is set aside (an exact blit), the reference drawn and read, the picture put back.
  void drawReferenceInBackBuffer(ImDrawData& data) {
    blit(0, reference_.framebuffer());
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    glViewport(0, 0, kWidth, kHeight);
    glClearColor(kClear.x, kClear.y, kClear.z, kClear.w);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(&data);
    const Image full = window_->readBackBuffer();
    referencePixels_.assign(full.rgba.size(), 0);
    for (int y = 0; y < kHeight; ++y)  // to OpenGL's bottom-up rows, as readPixels gives them
      std::memcpy(referencePixels_.data() + static_cast<std::size_t>(kHeight - 1 - y) * kWidth * 4, full.pixel(0, y),
                  static_cast<std::size_t>(kWidth) * 4);
    blit(reference_.framebuffer(), 0);
  }

  static void blit(GLuint from, GLuint to) {
    glBindFramebuffer(GL_READ_FRAMEBUFFER, from);
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, to);
    glBlitFramebuffer(0, 0, kWidth, kHeight, 0, 0, kWidth, kHeight, GL_COLOR_BUFFER_BIT, GL_NEAREST);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
  }

  // The back buffer (the presenter's picture) equals the reference, pixel for pixel.
  ::testing::AssertionResult pictureEqualsReference() {
    const Image shown = window_->readBackBuffer();
    const std::vector<std::uint8_t>& bottomUp = referencePixels_;
    int differing = 0, firstX = -1, firstY = -1;
    std::string values;
    for (int y = 0; y < kHeight; ++y)
      for (int x = 0; x < kWidth; ++x) {
        const std::uint8_t* a = shown.pixel(x, y);
        const std::uint8_t* b = bottomUp.data() + (static_cast<std::size_t>(kHeight - 1 - y) * kWidth + x) * 4;
        if (std::memcmp(a, b, 3) != 0 && differing++ == 0) {
          firstX = x;
          firstY = y;
          values = std::to_string(a[0]) + "," + std::to_string(a[1]) + "," + std::to_string(a[2]) + " vs " +
                   std::to_string(b[0]) + "," + std::to_string(b[1]) + "," + std::to_string(b[2]);
        }
      }
    if (differing == 0) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << differing << " pixels differ, the first at (" << firstX << ", " << firstY
                                         << "): " << values;
  }

  // Draws the scene with the presenter and compares; returns the share of the window redrawn.
  double step(FramePresenter& presenter, const Scene& s, bool complete = false) {
    presenter.draw(frame(s), kClear, complete);
    presenter.present(window_->handle());
    EXPECT_TRUE(pictureEqualsReference());
    return presenter.tracker().damagedFraction();
  }

  // Scenes that change text, a moved window, a progress bar, a line, a redrawn texture.
  void playChanges(FramePresenter& presenter) {
    Scene s;
    s.image = image_.imTextureId();
    EXPECT_EQ(step(presenter, s), 1.0) << "the first frame draws everything";
    step(presenter, s);  // a new ImGui window settles its size over its first frames
    step(presenter, s);
    EXPECT_EQ(step(presenter, s), 0.0) << "an unchanged frame draws nothing";
    s.label = "loss 0.0625";
    const double label = step(presenter, s);
    EXPECT_GT(label, 0.0);
    EXPECT_LT(label, 0.1) << "a changed label redraws about its line";
    s.progress = 0.8f;
    EXPECT_GT(step(presenter, s), 0.0);
    s.panelPos = ImVec2(37.75f, 11.5f);
    EXPECT_GT(step(presenter, s), 0.2) << "a moved window redraws where it was and where it is";
    fillImage(0.0f, 0.3f, 1.0f);
    s.image = image_.imTextureId();
    EXPECT_GT(step(presenter, s), 0.0) << "new pixels in a texture are damage";
    s.lineEnd = ImVec2(200.0f, 295.0f);
    EXPECT_GT(step(presenter, s), 0.0);
    EXPECT_EQ(step(presenter, s), 0.0);
  }

  static inline std::unique_ptr<Window> window_;
  bool referenceInBackBuffer_ = false;
  RenderTarget reference_;
  std::vector<std::uint8_t> referencePixels_;  // bottom-up rows
  RenderTarget image_;
};

TEST_F(FramePresenterTest, KeptCanvasEqualsAFullRedrawFrameAfterFrame) {
  FramePresenter presenter(PresentMode::KeptCanvas);
  ASSERT_EQ(presenter.mode(), PresentMode::KeptCanvas);
  playChanges(presenter);
}

TEST_F(FramePresenterTest, SubBufferCopyEqualsAFullRedrawFrameAfterFrame) {
  FramePresenter presenter(PresentMode::SubBufferCopy);
  if (presenter.mode() != PresentMode::SubBufferCopy) GTEST_SKIP() << "no GLX_MESA_copy_sub_buffer here";
  referenceInBackBuffer_ = true;
  playChanges(presenter);
}

TEST_F(FramePresenterTest, AutomaticModeUsesTheSubBufferCopyUnderLlvmpipe) {
  const std::string renderer = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
  if (renderer.find("llvmpipe") == std::string::npos) GTEST_SKIP() << renderer;
  EXPECT_EQ(FramePresenter().mode(), PresentMode::SubBufferCopy);
}

// Damage over the fill budget is drawn over several frames, longest-waiting first; the
// picture catches up with the frame, and a complete draw (a screenshot's) does it at once.
TEST_F(FramePresenterTest, DamageOverTheBudgetIsDeferredThenCaughtUp) {
  FramePresenter presenter(PresentMode::KeptCanvas);
  presenter.setFillBudget(3LL * DamageTracker::kTile * kWidth);
  Scene s;
  presenter.draw(frame(s), kClear);
  ASSERT_TRUE(pictureEqualsReference());
  s.panelPos = ImVec2(150.5f, 60.0f);
  s.label = "a label long enough to change many tiles";
  presenter.draw(frame(s), kClear);
  EXPECT_TRUE(presenter.catchingUp());
  EXPECT_LE(presenter.tracker().damagedFraction() * kWidth * kHeight, 3.0 * DamageTracker::kTile * kWidth);
  EXPECT_FALSE(pictureEqualsReference()) << "part of the change waits";
  int frames = 1;
  while (presenter.catchingUp() && frames < 20) {
    presenter.draw(frame(s), kClear);
    ++frames;
  }
  EXPECT_FALSE(presenter.catchingUp());
  EXPECT_GT(frames, 1);
  EXPECT_TRUE(pictureEqualsReference());

  s.panelPos = ImVec2(12.0f, 100.0f);
  presenter.draw(frame(s), kClear, /*complete=*/true);
  EXPECT_FALSE(presenter.catchingUp());
  EXPECT_TRUE(pictureEqualsReference());
}

TEST_F(FramePresenterTest, RepaintAllRedrawsEverything) {
  FramePresenter presenter(PresentMode::KeptCanvas);
  Scene s;
  step(presenter, s);
  presenter.repaintAll();
  EXPECT_EQ(step(presenter, s), 1.0);
}

TEST(BackendScissor, TruncatesTheCornerAndTheExtentLikeTheOpenGl3Backend) {
  // Backend: x = (int)10.5 = 10, w = (int)(100.2 - 10.5) = 89 → [10, 99), not [10, 100);
  // y = (int)(300 - 50.5) = 249 from the bottom, h = (int)30.25 = 30 → rows [21, 51).
  EXPECT_EQ(backendScissor(ImVec4(10.5f, 20.25f, 100.2f, 50.5f), 300), (PixelRect{10, 21, 99, 51}));
  EXPECT_TRUE(backendScissor(ImVec4(10.0f, 20.0f, 10.0f, 50.0f), 300).empty());
}

TEST(MergeRects, JoinsNeighboursAndKeepsRectanglesDisjoint) {
  constexpr int t = DamageTracker::kTile;
  std::vector<PixelRect> rects{{0, 0, t, t}, {t, 0, 2 * t, t}, {0, t, 2 * t, 2 * t}, {10 * t, 10 * t, 11 * t, 11 * t}};
  mergeRects(rects);
  ASSERT_EQ(rects.size(), 2u);
  EXPECT_EQ(rects[0], (PixelRect{10 * t, 10 * t, 11 * t, 11 * t}));
  EXPECT_EQ(rects[1], (PixelRect{0, 0, 2 * t, 2 * t}));

  // Many scattered tiles: at most kMaxRects, none overlapping, every tile still covered.
  std::vector<PixelRect> scattered;
  for (int i = 0; i < 40; ++i) scattered.push_back({(i * 7 % 37) * t, (i * 3 % 23) * t, (i * 7 % 37 + 1) * t, (i * 3 % 23 + 1) * t});
  std::vector<PixelRect> merged = scattered;
  mergeRects(merged);
  EXPECT_LE(merged.size(), DamageTracker::kMaxRects);
  for (std::size_t i = 0; i < merged.size(); ++i)
    for (std::size_t j = i + 1; j < merged.size(); ++j) {
      const PixelRect& a = merged[i];
      const PixelRect& b = merged[j];
      EXPECT_FALSE(a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1) << i << " overlaps " << j;
    }
  for (const PixelRect& r : scattered) {
    bool covered = false;
    for (const PixelRect& m : merged) covered |= m.x0 <= r.x0 && m.y0 <= r.y0 && r.x1 <= m.x1 && r.y1 <= m.y1;
    EXPECT_TRUE(covered);
  }
}

}  // namespace
}  // namespace attnlab::gui
