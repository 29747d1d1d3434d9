#include "core/labs/session.hpp"

#include <fstream>

#include "core/errors.hpp"

namespace attnlab {
namespace {

InputError inFile(const std::filesystem::path& path, const InputError& e) {
  InputLocation where = e.where();
  where.file = path.filename().string();
  return InputError(e.message(), where);
}

void readCamera(const nlohmann::json& json, OrbitCamera& camera) {
  if (!json.is_object()) throw InputError("must be an object", InputLocation{{}, "regression.camera", {}, {}});
  const auto number = [&](const char* key, float& out) {
    if (!json.contains(key)) return;
    if (!json.at(key).is_number())
      throw InputError("must be a number", InputLocation{{}, std::string("regression.camera.") + key, {}, {}});
    out = json.at(key).get<float>();
  };
  number("yaw", camera.yaw);
  number("pitch", camera.pitch);
  number("distance", camera.distance);
  camera.rotate(0.0f, 0.0f);  // clamps the pitch
  camera.zoom(1.0f);          // clamps the distance
}

}  // namespace

std::string_view labName(LabId lab) {
  switch (lab) {
    case LabId::Regression: return "regression";
    case LabId::Bounds: return "bounds";
    case LabId::Attention: return "attention";
    case LabId::Templates: return "templates";
  }
  return "regression";
}

std::optional<LabId> labFromName(std::string_view name) {
  for (LabId lab : kAllLabs)
    if (labName(lab) == name) return lab;
  return std::nullopt;
}

std::string labNamesText() {
  std::string text;
  for (std::size_t i = 0; i < kAllLabs.size(); ++i)
    text += std::string(i == 0 ? "" : i + 1 == kAllLabs.size() ? " or " : ", ") + "\"" + std::string(labName(kAllLabs[i])) + "\"";
  return text;
}

Session sessionFromJson(const nlohmann::json& json, const std::filesystem::path& baseDir) {
  if (!json.is_object()) throw InputError("a session is a JSON object");
  if (json.contains("version") && (!json["version"].is_number_integer() || json["version"].get<int>() > kSessionVersion))
    throw InputError("this attnlab reads session versions up to " + std::to_string(kSessionVersion),
                     InputLocation{{}, "version", {}, {}});
  Session session;
  if (json.contains("theme")) {
    const auto theme = json["theme"].is_string() ? themeFromName(json["theme"].get<std::string>()) : std::nullopt;
    if (!theme) throw InputError("must be \"light\", \"dark\" or \"print\"", InputLocation{{}, "theme", {}, {}});
    session.theme = *theme;
  }
  if (json.contains("font_scale")) {
    if (!json["font_scale"].is_number()) throw InputError("must be a number", InputLocation{{}, "font_scale", {}, {}});
    session.fontScale = json["font_scale"].get<float>();
  }
  if (json.contains("regression")) {
    const nlohmann::json& lab = json["regression"];
    session.regression = paramsFromJson(lab, session.regression);
    if (lab.contains("camera")) readCamera(lab["camera"], session.camera);
    std::filesystem::path file = session.regression.problemFile;
    if (!file.empty() && file.is_relative()) session.regression.problemFile = (baseDir / file).string();
  }
  if (json.contains("bounds")) session.bounds = boundsParamsFromJson(json["bounds"], session.bounds);
  if (json.contains("attention")) session.attention = attentionParamsFromJson(json["attention"], session.attention);
  if (json.contains("templates")) session.templates = templateLabParamsFromJson(json["templates"], session.templates);
  if (json.contains("lab")) {
    const auto lab = json["lab"].is_string() ? labFromName(json["lab"].get<std::string>()) : std::nullopt;
    if (!lab) throw InputError("must be " + labNamesText(), InputLocation{{}, "lab", {}, {}});
    session.lab = *lab;
  }
  return session;
}

Session readSession(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw InputError("cannot read the session file", InputLocation{path.string(), {}, {}, {}});
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError(std::string("malformed JSON: ") + e.what(), InputLocation{path.string(), {}, {}, {}});
  }
  try {
    return sessionFromJson(json, path.parent_path());
  } catch (const InputError& e) {
    throw inFile(path, e);
  }
}

nlohmann::json sessionToJson(const Session& session) {
  nlohmann::json lab = toJson(session.regression);
  lab["camera"] = {{"yaw", session.camera.yaw}, {"pitch", session.camera.pitch}, {"distance", session.camera.distance}};
  return {{"version", kSessionVersion},
          {"theme", themeName(session.theme)},
          {"font_scale", session.fontScale},
          {"lab", labName(session.lab)},
          {"regression", lab},
          {"bounds", toJson(session.bounds)},
          {"attention", toJson(session.attention)},
          {"templates", toJson(session.templates)}};
}

}  // namespace attnlab
