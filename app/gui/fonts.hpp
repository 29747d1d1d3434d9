// Fonts: DejaVu Sans (Debian's fonts-dejavu-core), with glyphs for the mathematics we
// print — Greek (α β η λ ∇), operators (‖ ≤ ≈ · √), super/subscripts (² ₀) — and a
// monospaced face for numbers that must line up. The size follows a user font scale (for
// projectors) times the monitor's content scale; changing either rebuilds the atlas
// between frames, which is the only moment ImGui allows it.
#pragma once
#include <imgui.h>

#include <string>

namespace attnlab::gui {

struct FontSet {
  ImFont* regular = nullptr;
  ImFont* bold = nullptr;   // headings, the lesson title
  ImFont* mono = nullptr;   // numeric read-outs
  ImFont* small = nullptr;  // axis ticks, the status bar
};

class Fonts {
 public:
  static constexpr float kBaseSize = 16.0f;  // pixels at scale 1
  static constexpr float kMinScale = 0.75f;
  static constexpr float kMaxScale = 3.0f;

  explicit Fonts(float contentScale);

  // Asks for a new user scale; takes effect at the next rebuildIfNeeded().
  void setScale(float scale);
  float scale() const { return scale_; }
  // The factor widgets and spacing are multiplied by (user scale × content scale).
  float pixelScale() const { return scale_ * contentScale_; }

  // Rebuilds the atlas and its texture when the scale changed (before ImGui::NewFrame).
  // Returns true when it did: the caller then re-applies the theme at the new size.
  bool rebuildIfNeeded();
  const FontSet& fonts() const { return fonts_; }

 private:
  void build();

  float contentScale_ = 1.0f;
  float scale_ = 1.0f;
  float builtScale_ = 0.0f;
  FontSet fonts_;
  ImVector<ImWchar> ranges_;  // must outlive the atlas, which keeps a pointer to it
};

// Where the fonts are read from; exposed for the start-up error message and tests.
std::string dejaVuDirectory();

}  // namespace attnlab::gui
