// The lessons of assets/lessons/, embedded at build time (cmake/EmbedFiles.cmake): session
// files with a "lesson": {"title", "text"} member that Help → Lessons opens, the text shown
// above the lab (what to look at, what to change).
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace attnlab::gui {

struct Lesson {
  std::string file;        // "01_softmax_landscape.json"
  std::string title;
  std::string text;
  nlohmann::json session;  // the whole file, as a session
};

// Every embedded lesson in file-name order. Throws InputError naming the file whose JSON or
// lesson member is malformed (a build that ships a broken lesson fails its tests).
std::vector<Lesson> embeddedLessons();

// A session's lesson member, if it has a well-formed one.
std::optional<Lesson> lessonOf(const nlohmann::json& session, const std::string& file);

}  // namespace attnlab::gui
