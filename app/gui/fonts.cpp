#include "app/gui/fonts.hpp"

#include <backends/imgui_impl_opengl3.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>

namespace attnlab::gui {
namespace {

// Unicode blocks the labs print: Greek letters, ‖ – … ′, ² ₀, ℝ, arrows, ∇ ≤ ≈ √ ∑,
// ⌈ ⌉, the geometric shapes used as legend markers (● ■ ▲ ◆), and ✓ ✗.
constexpr ImWchar kMathRanges[] = {
    0x0020, 0x00FF,  // Basic Latin + Latin-1 (² ³ · ± × ÷)
    0x0300, 0x036F,  // Combining Diacritical Marks (b̃, b̂: the paper's new targets)
    0x0370, 0x03FF,  // Greek
    0x1D00, 0x1DBF,  // Phonetic Extensions (ᵀ, ᵢ)
    0x2000, 0x206F,  // General Punctuation (‖ U+2016)
    0x2070, 0x209F,  // Superscripts and Subscripts
    0x2100, 0x214F,  // Letterlike Symbols
    0x2190, 0x21FF,  // Arrows
    0x2200, 0x22FF,  // Mathematical Operators (∇ U+2207, ≤ U+2264)
    0x2300, 0x23FF,  // Miscellaneous Technical
    0x25A0, 0x25FF,  // Geometric Shapes
    0x2700, 0x27BF,  // Dingbats (✓ ✗)
    0x27C0, 0x27EF,  // Miscellaneous Mathematical Symbols-A (⟨ ⟩)
    0,
};

ImFont* addFont(ImFontAtlas& atlas, const std::string& file, float size, const ImWchar* ranges) {
  const std::string path = dejaVuDirectory() + "/" + file;
  if (!std::filesystem::exists(path)) return nullptr;
  ImFontConfig config;
  config.OversampleH = 2;
  config.OversampleV = 1;
  config.PixelSnapH = false;
  return atlas.AddFontFromFileTTF(path.c_str(), size, &config, ranges);
}

}  // namespace

std::string dejaVuDirectory() { return "/usr/share/fonts/truetype/dejavu"; }

Fonts::Fonts(float contentScale) : contentScale_(std::max(contentScale, 1.0f)) {
  ImFontGlyphRangesBuilder builder;
  builder.AddRanges(kMathRanges);
  builder.BuildRanges(&ranges_);
}

void Fonts::setScale(float scale) { scale_ = std::clamp(scale, kMinScale, kMaxScale); }

bool Fonts::rebuildIfNeeded() {
  if (scale_ == builtScale_) return false;
  build();
  // The backend keeps its own copy of the atlas as a texture: replace it too. Before the
  // first frame the backend creates it by itself.
  if (builtScale_ != 0.0f) {
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
  }
  builtScale_ = scale_;
  return true;
}

void Fonts::build() {
  ImFontAtlas& atlas = *ImGui::GetIO().Fonts;
  atlas.Clear();
  const float size = std::round(kBaseSize * pixelScale());
  fonts_.regular = addFont(atlas, "DejaVuSans.ttf", size, ranges_.Data);
  fonts_.bold = addFont(atlas, "DejaVuSans-Bold.ttf", std::round(size * 1.15f), ranges_.Data);
  fonts_.mono = addFont(atlas, "DejaVuSansMono.ttf", size, ranges_.Data);
  fonts_.small = addFont(atlas, "DejaVuSans.ttf", std::round(size * 0.85f), ranges_.Data);
  if (fonts_.regular == nullptr) {
    // Without fonts-dejavu-core the window still works, in ImGui's own (ASCII) font.
    std::cerr << "attnlab: warning: DejaVu fonts not found in " << dejaVuDirectory()
              << " (install fonts-dejavu-core); using the built-in font\n";
    ImFontConfig config;
    config.SizePixels = size;
    fonts_.regular = atlas.AddFontDefault(&config);
  }
  if (fonts_.bold == nullptr) fonts_.bold = fonts_.regular;
  if (fonts_.mono == nullptr) fonts_.mono = fonts_.regular;
  if (fonts_.small == nullptr) fonts_.small = fonts_.regular;
  atlas.Build();
  ImGui::GetIO().FontDefault = fonts_.regular;
}

}  // namespace attnlab::gui
