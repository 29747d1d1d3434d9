#include "app/gui/theme.hpp"

namespace attnlab::gui {
namespace {

ImVec4 rgb(int hex, float alpha = 1.0f) {
  return ImVec4(static_cast<float>((hex >> 16) & 0xFF) / 255.0f, static_cast<float>((hex >> 8) & 0xFF) / 255.0f,
                static_cast<float>(hex & 0xFF) / 255.0f, alpha);
}

ImU32 u32(int hex, float alpha = 1.0f) { return ImGui::ColorConvertFloat4ToU32(rgb(hex, alpha)); }

// Spacing shared by every theme: roomy enough to read from the back of a classroom.
void applyMetrics(ImGuiStyle& style, bool rounded) {
  style.WindowPadding = ImVec2(10, 10);
  style.FramePadding = ImVec2(8, 4);
  style.ItemSpacing = ImVec2(8, 6);
  style.ItemInnerSpacing = ImVec2(6, 4);
  style.ScrollbarSize = 12;
  style.GrabMinSize = 10;
  style.IndentSpacing = 16;
  style.WindowBorderSize = 0;
  style.ChildBorderSize = 1;
  style.FrameBorderSize = 1;
  style.PopupBorderSize = 1;
  style.TabBorderSize = 0;
  const float r = rounded ? 4.0f : 0.0f;
  style.WindowRounding = 0;
  style.ChildRounding = r;
  style.FrameRounding = r;
  style.PopupRounding = r;
  style.GrabRounding = r;
  style.TabRounding = r;
  style.ScrollbarRounding = rounded ? 6.0f : 0.0f;
}

void lightColors(ImVec4* c) {
  ImGui::StyleColorsLight();
  c[ImGuiCol_Text] = rgb(0x1F2328);
  c[ImGuiCol_TextDisabled] = rgb(0x6E7781);
  c[ImGuiCol_WindowBg] = rgb(0xF6F7F9);
  c[ImGuiCol_ChildBg] = rgb(0xFFFFFF, 0.0f);
  c[ImGuiCol_PopupBg] = rgb(0xFFFFFF);
  c[ImGuiCol_Border] = rgb(0xD0D7DE);
  c[ImGuiCol_FrameBg] = rgb(0xFFFFFF);
  c[ImGuiCol_FrameBgHovered] = rgb(0xEAF1FB);
  c[ImGuiCol_FrameBgActive] = rgb(0xDCE8F8);
  c[ImGuiCol_TitleBg] = rgb(0xEEF0F3);
  c[ImGuiCol_TitleBgActive] = rgb(0xE2E6EB);
  c[ImGuiCol_MenuBarBg] = rgb(0xECEFF3);
  c[ImGuiCol_CheckMark] = rgb(0x2A6FDB);
  c[ImGuiCol_SliderGrab] = rgb(0x2A6FDB);
  c[ImGuiCol_SliderGrabActive] = rgb(0x1B4FA8);
  c[ImGuiCol_Button] = rgb(0xE9EDF2);
  c[ImGuiCol_ButtonHovered] = rgb(0xDCE8F8);
  c[ImGuiCol_ButtonActive] = rgb(0xC5D9F5);
  c[ImGuiCol_Header] = rgb(0xDCE8F8);
  c[ImGuiCol_HeaderHovered] = rgb(0xCFE0F7);
  c[ImGuiCol_HeaderActive] = rgb(0xBDD4F4);
  c[ImGuiCol_Tab] = rgb(0xE2E6EB);
  c[ImGuiCol_TabHovered] = rgb(0xFFFFFF);
  c[ImGuiCol_TabActive] = rgb(0xFFFFFF);
  c[ImGuiCol_PlotHistogram] = rgb(0x2A6FDB);
  c[ImGuiCol_Separator] = rgb(0xD0D7DE);
}

void darkColors(ImVec4* c) {
  ImGui::StyleColorsDark();
  c[ImGuiCol_Text] = rgb(0xE6EDF3);
  c[ImGuiCol_TextDisabled] = rgb(0x8B949E);
  c[ImGuiCol_WindowBg] = rgb(0x1B1F24);
  c[ImGuiCol_ChildBg] = rgb(0x000000, 0.0f);
  c[ImGuiCol_PopupBg] = rgb(0x22272E);
  c[ImGuiCol_Border] = rgb(0x373E47);
  c[ImGuiCol_FrameBg] = rgb(0x2D333B);
  c[ImGuiCol_FrameBgHovered] = rgb(0x36404C);
  c[ImGuiCol_FrameBgActive] = rgb(0x3E4B5B);
  c[ImGuiCol_TitleBg] = rgb(0x22272E);
  c[ImGuiCol_TitleBgActive] = rgb(0x2D333B);
  c[ImGuiCol_MenuBarBg] = rgb(0x22272E);
  c[ImGuiCol_CheckMark] = rgb(0x58A6FF);
  c[ImGuiCol_SliderGrab] = rgb(0x58A6FF);
  c[ImGuiCol_SliderGrabActive] = rgb(0x79B8FF);
  c[ImGuiCol_Button] = rgb(0x2D333B);
  c[ImGuiCol_ButtonHovered] = rgb(0x36404C);
  c[ImGuiCol_ButtonActive] = rgb(0x3E4B5B);
  c[ImGuiCol_Header] = rgb(0x2F3B4C);
  c[ImGuiCol_HeaderHovered] = rgb(0x36465C);
  c[ImGuiCol_HeaderActive] = rgb(0x3D5270);
  c[ImGuiCol_Tab] = rgb(0x22272E);
  c[ImGuiCol_TabHovered] = rgb(0x36404C);
  c[ImGuiCol_TabActive] = rgb(0x2D333B);
  c[ImGuiCol_PlotHistogram] = rgb(0x58A6FF);
  c[ImGuiCol_Separator] = rgb(0x373E47);
}

// Black on white, no tints: what survives a washed-out projector or a laser printer.
void printColors(ImVec4* c) {
  ImGui::StyleColorsLight();
  c[ImGuiCol_Text] = rgb(0x000000);
  c[ImGuiCol_TextDisabled] = rgb(0x505050);
  c[ImGuiCol_WindowBg] = rgb(0xFFFFFF);
  c[ImGuiCol_ChildBg] = rgb(0xFFFFFF, 0.0f);
  c[ImGuiCol_PopupBg] = rgb(0xFFFFFF);
  c[ImGuiCol_Border] = rgb(0x000000);
  c[ImGuiCol_FrameBg] = rgb(0xFFFFFF);
  c[ImGuiCol_FrameBgHovered] = rgb(0xF0F0F0);
  c[ImGuiCol_FrameBgActive] = rgb(0xE0E0E0);
  c[ImGuiCol_TitleBg] = rgb(0xFFFFFF);
  c[ImGuiCol_TitleBgActive] = rgb(0xFFFFFF);
  c[ImGuiCol_MenuBarBg] = rgb(0xFFFFFF);
  c[ImGuiCol_CheckMark] = rgb(0x000000);
  c[ImGuiCol_SliderGrab] = rgb(0x000000);
  c[ImGuiCol_SliderGrabActive] = rgb(0x404040);
  c[ImGuiCol_Button] = rgb(0xFFFFFF);
  c[ImGuiCol_ButtonHovered] = rgb(0xF0F0F0);
  c[ImGuiCol_ButtonActive] = rgb(0xE0E0E0);
  c[ImGuiCol_Header] = rgb(0xE8E8E8);
  c[ImGuiCol_HeaderHovered] = rgb(0xF0F0F0);
  c[ImGuiCol_HeaderActive] = rgb(0xD8D8D8);
  c[ImGuiCol_Tab] = rgb(0xF0F0F0);
  c[ImGuiCol_TabHovered] = rgb(0xFFFFFF);
  c[ImGuiCol_TabActive] = rgb(0xFFFFFF);
  c[ImGuiCol_PlotHistogram] = rgb(0x000000);
  c[ImGuiCol_Separator] = rgb(0x000000);
}

}  // namespace

void applyTheme(Theme theme, float pixelScale) {
  ImGuiStyle& style = ImGui::GetStyle();
  style = ImGuiStyle();
  switch (theme) {
    case Theme::Light: lightColors(style.Colors); break;
    case Theme::Dark: darkColors(style.Colors); break;
    case Theme::Print: printColors(style.Colors); break;
  }
  applyMetrics(style, theme != Theme::Print);
  style.ScaleAllSizes(pixelScale);
}

const UiPalette& uiPalette(Theme theme) {
  static const UiPalette light{rgb(0xF6F7F9), u32(0x000000, 0.55f), {1.0f, 1.0f, 1.0f, 0.5f},
                               u32(0x57606A),  u32(0xBF8700),       u32(0xCF222E)};
  static const UiPalette dark{rgb(0x1B1F24), u32(0x000000, 0.7f), {1.0f, 1.0f, 1.0f, 0.45f},
                              u32(0x8B949E),  u32(0xD29922),      u32(0xF85149)};
  static const UiPalette print{rgb(0xFFFFFF), u32(0x000000, 0.9f), {0.0f, 0.0f, 0.0f, 0.6f},
                               u32(0x303030),  u32(0x9A6700),      u32(0xA40E26)};
  switch (theme) {
    case Theme::Light: return light;
    case Theme::Dark: return dark;
    case Theme::Print: return print;
  }
  return light;
}

ImU32 toU32(const Rgba& color) { return ImGui::ColorConvertFloat4ToU32(ImVec4(color.r, color.g, color.b, color.a)); }

}  // namespace attnlab::gui
