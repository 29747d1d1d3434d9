#include "app/gui/widgets.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>

#include "core/errors.hpp"
#include "core/labs/json_fields.hpp"

namespace attnlab::gui {
namespace {

// The label column: wide enough for "step size η" at any font scale.
float labelWidth() { return ImGui::GetFontSize() * 7.6f; }

}  // namespace

void sectionHeading(const char* text, ImFont* font) {
  ImGui::Dummy(ImVec2(0.0f, ImGui::GetStyle().ItemSpacing.y));
  if (font != nullptr) ImGui::PushFont(font);
  ImGui::TextUnformatted(text);
  if (font != nullptr) ImGui::PopFont();
  ImGui::Separator();
}

void helpMarker(const char* text) {
  ImGui::SameLine();
  ImGui::TextDisabled("(?)");
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30.0f);
    ImGui::TextUnformatted(text);
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
}

void formLabel(const char* label, const char* help) {
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(label);
  if (help != nullptr) helpMarker(help);
  ImGui::SameLine(labelWidth());
  ImGui::SetNextItemWidth(-1.0f);
}

bool sliderDouble(const char* label, double& value, double lo, double hi, const char* format, bool logarithmic,
                  const char* help) {
  formLabel(label, help);
  const std::string id = std::string("##") + label;
  const ImGuiSliderFlags flags = ImGuiSliderFlags_AlwaysClamp | (logarithmic ? ImGuiSliderFlags_Logarithmic : 0);
  return ImGui::SliderScalar(id.c_str(), ImGuiDataType_Double, &value, &lo, &hi, format, flags);
}

bool sliderInt(const char* label, int& value, int lo, int hi, bool logarithmic, const char* help) {
  formLabel(label, help);
  const std::string id = std::string("##") + label;
  const ImGuiSliderFlags flags = ImGuiSliderFlags_AlwaysClamp | (logarithmic ? ImGuiSliderFlags_Logarithmic : 0);
  return ImGui::SliderInt(id.c_str(), &value, lo, hi, "%d", flags);
}

bool seedField(const char* label, std::uint64_t& seed, const char* help) {
  formLabel(label, help);
  const std::string id = std::string("##") + label;
  const float button = ImGui::CalcTextSize("randomise").x + ImGui::GetStyle().FramePadding.x * 2.0f;
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - button - ImGui::GetStyle().ItemInnerSpacing.x);
  const std::uint64_t step = 1;
  bool changed = ImGui::InputScalar(id.c_str(), ImGuiDataType_U64, &seed, &step, nullptr, "%llu",
                                    ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::SameLine(0.0f, ImGui::GetStyle().ItemInnerSpacing.x);
  ImGui::PushID(label);
  if (ImGui::Button("randomise")) {
    // A fresh instance on request; the seed shown is what a session saves, so it replays.
    std::random_device device;
    seed = (static_cast<std::uint64_t>(device()) << 32 | device()) % 1000000;
    changed = true;
  }
  ImGui::PopID();
  return changed;
}

void colorSwatch(ImU32 color) {
  const float size = ImGui::GetTextLineHeight() * 0.75f;
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float offset = (ImGui::GetTextLineHeight() - size) * 0.5f;
  ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(p.x, p.y + offset), ImVec2(p.x + size, p.y + offset + size), color, 2.0f);
  ImGui::Dummy(ImVec2(size, ImGui::GetTextLineHeight()));
  ImGui::SameLine();
}

void centredText(const char* text, ImVec2 size) {
  const ImVec2 t = ImGui::CalcTextSize(text);
  const ImVec2 p = ImGui::GetCursorPos();
  ImGui::SetCursorPos(ImVec2(p.x + std::max(0.0f, (size.x - t.x) / 2), p.y + std::max(0.0f, (size.y - t.y) / 2)));
  ImGui::TextDisabled("%s", text);
  ImGui::SetCursorPos(p);
  ImGui::Dummy(size);
}

void labColumns(const char* id, const std::function<void()>& parameters, const std::function<void()>& plots) {
  const float panelWidth = ImGui::GetFontSize() * 21.0f;
  const ImGuiStyle& style = ImGui::GetStyle();
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(style.ItemSpacing.x, std::floor(style.ItemSpacing.y * 0.6f)));
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(style.FramePadding.x, std::floor(style.FramePadding.y * 0.75f)));
  ImGui::BeginChild((std::string("##parameters") + id).c_str(), ImVec2(panelWidth, 0.0f), true);
  parameters();
  ImGui::EndChild();
  ImGui::PopStyleVar(2);
  ImGui::SameLine();
  ImGui::BeginChild((std::string("##plots") + id).c_str(), ImVec2(0.0f, 0.0f), false);
  plots();
  ImGui::EndChild();
}

bool wholeNumberList(const char* label, std::string& text, std::vector<int>& values, std::string_view lab,
                     const std::string& field, bool sortedUnique, std::string* error, const char* help) {
  formLabel(label, help);
  char buffer[256];
  std::snprintf(buffer, sizeof buffer, "%s", text.c_str());
  ImGui::SetNextItemWidth(-1.0f);
  const std::string id = std::string("##") + label;
  if (!ImGui::InputText(id.c_str(), buffer, sizeof buffer, ImGuiInputTextFlags_EnterReturnsTrue)) {
    text = buffer;
    return false;
  }
  bool changed = false;
  try {
    std::vector<int> parsed = json_fields::parseWholeList(lab, field, buffer);
    if (sortedUnique) {
      std::sort(parsed.begin(), parsed.end());
      parsed.erase(std::unique(parsed.begin(), parsed.end()), parsed.end());
    }
    changed = parsed != values;
    values = std::move(parsed);
  } catch (const InputError& e) {
    if (error) *error = e.what();
  }
  text = json_fields::formatWholeList(values);
  return changed;
}

}  // namespace attnlab::gui
