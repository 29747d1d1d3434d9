// Small widgets the parameter panels share: section headings, "(?)" help markers with
// formulas, sliders over doubles (logarithmic where a range spans decades), and a seed
// field with a "randomise" button. Each returns true when the user changed the value.
#pragma once
#include <imgui.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

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

// Dim text centred in a box of `size` that it reserves: where a plot will appear once its
// job has finished ("Sweeping…").
void centredText(const char* text, ImVec2 size);

// A lab's two columns: the parameter panel (21 em wide, rows a little tighter than ImGui's
// default) on the left, the plots — scrolling only when they cannot shrink further — on
// the right. `id` keeps the children of different labs apart.
void labColumns(const char* id, const std::function<void()>& parameters, const std::function<void()>& plots);

// Whole numbers typed as a list ("8, 16, 32"), applied on Enter — sorted and without repeats
// when `sortedUnique`. `text` is the list being typed (kept between frames). Returns true when
// `values` changed; a bad list leaves them as they were and puts the error, naming
// `lab`.`field`, in *error.
bool wholeNumberList(const char* label, std::string& text, std::vector<int>& values, std::string_view lab,
                     const std::string& field, bool sortedUnique, std::string* error, const char* help = nullptr);

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
