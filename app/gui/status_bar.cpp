#include "app/gui/status_bar.hpp"

#include <imgui_internal.h>  // BeginViewportSideBar: a bar that shrinks the work area

#include <cstdio>

namespace attnlab::gui {
namespace {

// "landscape 512² — refining  [=====     ] 48 %  [Cancel]"
bool drawJob(const JobHandle& job, const UiPalette& palette) {
  const std::string stage = job.stage();
  ImGui::TextUnformatted(job.name().c_str());
  if (!stage.empty()) {
    ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_Text, palette.muted);
    ImGui::Text("— %s", stage.c_str());
    ImGui::PopStyleColor();
  }
  ImGui::SameLine();
  const float barWidth = 12.0f * ImGui::GetFontSize();
  ImGui::ProgressBar(static_cast<float>(job.fraction()), ImVec2(barWidth, 0.0f));
  ImGui::SameLine();
  ImGui::BeginDisabled(job.cancelRequested());
  const bool cancel = ImGui::SmallButton("Cancel");
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Stop this computation; the last picture stays");
  return cancel;
}

void drawMessage(const StatusInfo& info, const UiPalette& palette) {
  if (info.message.empty()) return;
  ImGui::PushStyleColor(ImGuiCol_Text, info.error ? palette.error : palette.muted);
  ImGui::TextUnformatted(info.message.c_str());
  ImGui::PopStyleColor();
}

void drawFrameTime(double frameMs, const FontSet& fonts, const UiPalette& palette) {
  char text[48];
  std::snprintf(text, sizeof text, "%5.1f ms / frame", frameMs);
  ImGui::PushFont(fonts.mono);
  const float width = ImGui::CalcTextSize(text).x;
  ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - width);
  ImGui::PushStyleColor(ImGuiCol_Text, palette.muted);
  ImGui::TextUnformatted(text);
  ImGui::PopStyleColor();
  ImGui::PopFont();
}

}  // namespace

bool StatusBar::draw(const StatusInfo& info, const FontSet& fonts, const UiPalette& palette, double frameMs) {
  const ImGuiWindowFlags flags =
      ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_MenuBar;
  bool cancel = false;
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(ImGui::GetStyle().WindowPadding.x, 2.0f));
  // A menu bar inside the side bar gives the strip its tinted ground and vertical centring.
  if (ImGui::BeginViewportSideBar("##status", ImGui::GetMainViewport(), ImGuiDir_Down, ImGui::GetFrameHeight(), flags)) {
    if (ImGui::BeginMenuBar()) {
      if (info.job && !info.job->done()) cancel = drawJob(*info.job, palette);
      else drawMessage(info, palette);
      drawFrameTime(frameMs, fonts, palette);
      ImGui::EndMenuBar();
    }
  }
  ImGui::End();
  ImGui::PopStyleVar();
  return cancel;
}

}  // namespace attnlab::gui
