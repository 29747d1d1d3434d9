// Reading a lab's part of a session (or script) JSON: each field optional, type- and
// range-checked, and every error naming the field as "<lab>.<field>" ("regression.n"),
// shared by the labs' params so that they fail alike.
#pragma once
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/errors.hpp"

namespace attnlab::json_fields {

[[noreturn]] inline void bad(std::string_view lab, const std::string& field, const std::string& message) {
  throw InputError(message, InputLocation{{}, std::string(lab) + "." + field, {}, {}});
}

// "1" rather than "1.0" for whole numbers, else the shortest text that reads back exactly.
inline std::string numberText(double value) {
  std::string text = nlohmann::json(value).dump();
  if (text.size() > 2 && text.compare(text.size() - 2, 2, ".0") == 0) text.resize(text.size() - 2);
  return text;
}

inline void requireRange(std::string_view lab, const std::string& field, double value, double lo, double hi) {
  if (!std::isfinite(value) || value < lo || value > hi)
    bad(lab, field, "must lie in [" + numberText(lo) + ", " + numberText(hi) + "]");
}

// Reads json[key] into out when present, as T; a wrong type names the field.
template <class T>
void read(std::string_view lab, const nlohmann::json& json, const char* key, T& out) {
  if (!json.contains(key)) return;
  try {
    out = json.at(key).get<T>();
  } catch (const nlohmann::json::exception&) {
    bad(lab, key, "has the wrong type: " + json.at(key).dump());
  }
}

// A name turned into an enum by fromName (which returns an optional); unknown names are errors.
template <class Enum, class FromName>
void readEnum(std::string_view lab, const nlohmann::json& json, const char* key, Enum& out, FromName fromName) {
  std::string name;
  read(lab, json, key, name);
  if (name.empty()) return;
  const auto value = fromName(name);
  if (!value) bad(lab, key, "unknown value '" + name + "'");
  out = *value;
}

// A whole number: get<int> would truncate 2.5 and wrap 2³², silently.
inline int wholeNumber(std::string_view lab, const nlohmann::json& v, const std::string& field) {
  if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() != std::floor(v.get<double>()) ||
      std::fabs(v.get<double>()) > 1e9)
    bad(lab, field, "must be a whole number (got " + v.dump() + ")");
  return static_cast<int>(v.get<double>());
}

inline void readWhole(std::string_view lab, const nlohmann::json& json, const char* key, int& out) {
  if (json.contains(key)) out = wholeNumber(lab, json.at(key), key);
}

// [8, 16, 32]: an array of whole numbers.
inline void readWholeList(std::string_view lab, const nlohmann::json& json, const char* key, std::vector<int>& out) {
  if (!json.contains(key)) return;
  const nlohmann::json& list = json.at(key);
  if (!list.is_array()) bad(lab, key, "must be an array such as [8, 16, 32]");
  out.clear();
  for (const nlohmann::json& v : list) out.push_back(wholeNumber(lab, v, key));
}

// The items of a list the user types in a panel: "8, 16 32;64" → {"8", "16", "32", "64"}.
inline std::vector<std::string> listItems(std::string_view text) {
  std::vector<std::string> items;
  std::string item;
  for (char c : text) {
    if (c == ',' || c == ' ' || c == ';' || c == '\t') {
      if (!item.empty()) items.push_back(std::move(item));
      item.clear();
    } else {
      item += c;
    }
  }
  if (!item.empty()) items.push_back(std::move(item));
  return items;
}

// "8, 16, 32" and back; a token that is not a whole number ≥ `least` names `field`.
inline std::string formatWholeList(const std::vector<int>& values) {
  std::string text;
  for (std::size_t i = 0; i < values.size(); ++i) text += (i ? ", " : "") + std::to_string(values[i]);
  return text;
}

inline std::vector<int> parseWholeList(std::string_view lab, const std::string& field, std::string_view text,
                                       int least = 1) {
  std::vector<int> values;
  for (const std::string& item : listItems(text)) {
    int v = 0;
    const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
    if (ec != std::errc() || end != item.data() + item.size() || v < least)
      bad(lab, field, "not a whole number ≥ " + std::to_string(least) + ": '" + item + "'");
    values.push_back(v);
  }
  return values;
}

// The readers above with one lab's name bound, so that a lab writes
// kFields.read(json, "n", p.n) and its errors say "regression.n".
class LabFields {
 public:
  constexpr explicit LabFields(std::string_view lab) : lab_(lab) {}

  [[noreturn]] void bad(const std::string& field, const std::string& message) const {
    json_fields::bad(lab_, field, message);
  }
  void requireRange(const std::string& field, double value, double lo, double hi) const {
    json_fields::requireRange(lab_, field, value, lo, hi);
  }
  template <class T>
  void read(const nlohmann::json& json, const char* key, T& out) const {
    json_fields::read(lab_, json, key, out);
  }
  template <class Enum, class FromName>
  void readEnum(const nlohmann::json& json, const char* key, Enum& out, FromName fromName) const {
    json_fields::readEnum(lab_, json, key, out, fromName);
  }
  void readWhole(const nlohmann::json& json, const char* key, int& out) const {
    json_fields::readWhole(lab_, json, key, out);
  }
  void readWholeList(const nlohmann::json& json, const char* key, std::vector<int>& out) const {
    json_fields::readWholeList(lab_, json, key, out);
  }

 private:
  std::string_view lab_;
};

}  // namespace attnlab::json_fields
