// Small widgets the parameter panels share: section headings, "(?)" help markers with
// formulas, sliders over doubles (logarithmic where a range spans decades), and a seed
// field with a "randomise" button. Each returns true when the user changed the value.
#pragma once
#include <imgui.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace attnlab::gui {

// A heading in `font` with a rule under it, and a little space above.
void sectionHeading(const char* text, ImFont* font);

// A dim "(?)" on the same line; hovering shows `text` (formulas, what to look for).
void helpMarker(const char* text);

// Labelled on the left, as a form: "label  [widget────]".
bool sliderDouble(const char* label, double& value, double lo, double hi, const char* format, bool logarithmic,
                  const char* help = nullptr);
bool sliderInt(const char* label, int& value, int lo, int hi, bool logarithmic, const char* help = nullptr);
bool seedField(const char* label, std::uint64_t& seed, const char* help = nullptr);

// Starts a form row: the label in the left column, the cursor in the right one.
void formLabel(const char* label, const char* help = nullptr);

// A small filled square in `color`, aligned with text (legends in panels).
void colorSwatch(ImU32 color);

// A combo over a list of named values; true when the choice changed.
template <class T, std::size_t N, class Name>
bool comboOf(const char* label, T& value, const std::array<T, N>& values, Name name, const char* help = nullptr) {
  formLabel(label, help);
  const std::string id = std::string("##") + label;
  bool changed = false;
  if (ImGui::BeginCombo(id.c_str(), std::string(name(value)).c_str())) {
    for (const T& option : values) {
      const bool selected = option == value;
      if (ImGui::Selectable(std::string(name(option)).c_str(), selected) && !selected) {
        value = option;
        changed = true;
      }
      if (selected) ImGui::SetItemDefaultFocus();
    }
    ImGui::EndCombo();
  }
  return changed;
}

}  // namespace attnlab::gui
