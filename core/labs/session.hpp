// The window's state in a file: `attnlab SESSION.json` opens on it. A versioned JSON
// document with the view settings and each lab's parameters (cli.md: every state of the
// window is a session file):
//   { "version": 1, "theme": "light", "font_scale": 1.0, "lab": "regression",
//     "regression": { "kind": "softmax", "n": 64, ..., "camera": {"yaw": -50, "pitch": 32} },
//     "bounds": { "kind": "softmax", "n": 16, "shift": "x", ..., "sweep": {"axis": "R"} },
//     "templates": { "task": "aa_ab", "kernels": ["transformer", "mlp"], ... } }
// "lab" is the tab the window opens on: "regression", "bounds", "attention" or "templates".
// Absent fields keep their defaults; unknown ones are ignored.
#pragma once
#include <array>
#include <filesystem>
#include <string>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "core/labs/attention_lab_params.hpp"
#include "core/labs/bounds_params.hpp"
#include "core/labs/orbit_camera.hpp"
#include "core/labs/regression_params.hpp"
#include "core/labs/template_lab_params.hpp"
#include "core/figure/theme.hpp"

namespace attnlab {

inline constexpr int kSessionVersion = 1;

// The window's tabs, one per lab.
enum class LabId { Regression, Bounds, Attention, Templates };
inline constexpr std::array<LabId, 4> kAllLabs{LabId::Regression, LabId::Bounds, LabId::Attention, LabId::Templates};
std::string_view labName(LabId lab);  // "regression", "bounds", "attention", "templates"
std::optional<LabId> labFromName(std::string_view name);
// "\"regression\", \"bounds\" or \"attention\"": for error messages.
std::string labNamesText();

struct Session {
  Theme theme = Theme::Light;
  float fontScale = 1.0f;
  LabId lab = LabId::Regression;
  RegressionParams regression;  // defaults: the opening lesson
  OrbitCamera camera;
  BoundsLabParams bounds;
  AttentionLabParams attention;
  TemplateLabParams templates;
  bool operator==(const Session&) const = default;
};

// Throws InputError naming the file and the field at fault. Matrix files named by a
// problem file are found relative to it, so a relative problem_file is made relative to
// the session's directory.
Session readSession(const std::filesystem::path& path);
Session sessionFromJson(const nlohmann::json& json, const std::filesystem::path& baseDir);
nlohmann::json sessionToJson(const Session& session);

}  // namespace attnlab
