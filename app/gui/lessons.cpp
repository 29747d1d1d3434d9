#include "app/gui/lessons.hpp"

#include "app/gui/embedded_lessons.hpp"
#include "core/errors.hpp"

namespace attnlab::gui {

std::optional<Lesson> lessonOf(const nlohmann::json& session, const std::string& file) {
  if (!session.is_object() || !session.contains("lesson")) return std::nullopt;
  const nlohmann::json& lesson = session["lesson"];
  if (!lesson.is_object() || !lesson.value("title", nlohmann::json()).is_string() ||
      !lesson.value("text", nlohmann::json()).is_string())
    throw InputError("must be {\"title\": \"…\", \"text\": \"…\"}", InputLocation{file, "lesson", {}, {}});
  return Lesson{file, lesson["title"].get<std::string>(), lesson["text"].get<std::string>(), session};
}

std::vector<Lesson> embeddedLessons() {
  std::vector<Lesson> lessons;
  for (const auto& embedded : lessons::kEmbeddedLessons) {
    const std::string file(embedded.file);
    const nlohmann::json json = nlohmann::json::parse(embedded.text, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded()) throw InputError("malformed JSON", InputLocation{file, {}, {}, {}});
    auto lesson = lessonOf(json, file);
    if (!lesson) throw InputError("a lesson needs a \"lesson\" member", InputLocation{file, {}, {}, {}});
    lessons.push_back(std::move(*lesson));
  }
  return lessons;
}

}  // namespace attnlab::gui
