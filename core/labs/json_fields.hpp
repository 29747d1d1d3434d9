// Reading a lab's part of a session (or script) JSON: each field optional, type- and
// range-checked, and every error naming the field as "<lab>.<field>" ("regression.n"),
// shared by the labs' params so that they fail alike.
#pragma once
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

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

}  // namespace attnlab::json_fields
