#include "core/labs/bounds_params.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>

#include "core/errors.hpp"
#include "core/labs/json_fields.hpp"
#include "core/figure/ticks.hpp"

namespace attnlab {
namespace {

constexpr std::string_view kLab = "bounds";

// The shared readers of json_fields.hpp, naming this lab's fields.
[[noreturn]] void bad(const std::string& field, const std::string& message) { json_fields::bad(kLab, field, message); }
void requireRange(const std::string& field, double value, double lo, double hi) {
  json_fields::requireRange(kLab, field, value, lo, hi);
}
template <class T>
void read(const nlohmann::json& json, const char* key, T& out) { json_fields::read(kLab, json, key, out); }
template <class Enum, class FromName>
void readEnum(const nlohmann::json& json, const char* key, Enum& out, FromName fromName) {
  json_fields::readEnum(kLab, json, key, out, fromName);
}

// "bounds_R": a number fixes R; null or "auto" gives the run's own max(4, ‖A_t‖, ‖x_t‖).
void readBoundsR(const nlohmann::json& json, BoundsLabParams& p) {
  if (!json.contains("bounds_R")) return;
  const nlohmann::json& v = json.at("bounds_R");
  if (v.is_null() || v == "auto") {
    p.fixR = false;
  } else if (v.is_number()) {
    p.fixR = true;
    p.boundsR = v.get<double>();
  } else {
    bad("bounds_R", "must be a number or \"auto\"");
  }
}

void readSweep(const nlohmann::json& json, BoundsLabParams& p) {
  if (!json.contains("sweep")) return;
  const nlohmann::json& s = json.at("sweep");
  if (!s.is_object()) bad("sweep", "must be an object such as {\"axis\": \"R\", \"values\": [4, 6, 8]}");
  const SweepAxis before = p.sweepAxis;
  readEnum(s, "axis", p.sweepAxis, sweepAxisFromName);
  // A new axis without values takes that axis's defaults: R's values make no sense as n.
  if (p.sweepAxis != before && !s.contains("values")) p.sweepValues = defaultSweepValues(p.sweepAxis);
  read(s, "values", p.sweepValues);
  read(s, "instances", p.sweepInstances);
}

}  // namespace

std::string_view sweepAxisName(SweepAxis axis) {
  switch (axis) {
    case SweepAxis::R: return "R";
    case SweepAxis::N: return "n";
    case SweepAxis::StepSize: return "step";
  }
  return "R";
}

std::optional<SweepAxis> sweepAxisFromName(std::string_view name) {
  for (SweepAxis a : {SweepAxis::R, SweepAxis::N, SweepAxis::StepSize})
    if (sweepAxisName(a) == name) return a;
  return std::nullopt;
}

std::vector<double> defaultSweepValues(SweepAxis axis) {
  switch (axis) {
    case SweepAxis::R: return {4.0, 5.0, 6.0, 7.0, 8.0, 10.0, 12.0};
    case SweepAxis::N: return {4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0};
    case SweepAxis::StepSize: return {1e-4, 1e-3, 1e-2, 1e-1, 1.0};
  }
  return {};
}

// Plain "%g" (not formatNumber's 10⁻⁴): the user edits this text and parseSweepValues reads it back.
std::string formatSweepValues(const std::vector<double>& values) {
  std::string text;
  char number[32];
  for (std::size_t i = 0; i < values.size(); ++i) {
    std::snprintf(number, sizeof number, "%.6g", values[i]);
    text += (i ? ", " : "") + std::string(number);
  }
  return text;
}

std::vector<double> parseSweepValues(std::string_view text) {
  std::vector<double> values;
  for (const std::string& item : json_fields::listItems(text)) {
    double v = 0.0;
    const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
    if (ec != std::errc() || end != item.data() + item.size()) bad("sweep.values", "not a number: '" + item + "'");
    values.push_back(v);
  }
  return values;
}

bool sameRuns(const BoundsLabParams& a, const BoundsLabParams& b) {
  return a.kind == b.kind && a.n == b.n && a.d == b.d && a.R == b.R && a.seed == b.seed && a.shift == b.shift &&
         a.update == b.update && a.lr == b.lr && a.steps == b.steps && a.scale == b.scale && a.fixR == b.fixR &&
         (!a.fixR || a.boundsR == b.boundsR);
}

// The sweep runs its own R (fixed per point) and, on the step-size axis, its own lr.
bool sameSweep(const BoundsLabParams& a, const BoundsLabParams& b) {
  return a.kind == b.kind && a.n == b.n && a.d == b.d && a.R == b.R && a.seed == b.seed && a.shift == b.shift &&
         a.update == b.update && a.lr == b.lr && a.steps == b.steps && a.scale == b.scale &&
         a.sweepAxis == b.sweepAxis && a.sweepValues == b.sweepValues && a.sweepInstances == b.sweepInstances;
}

void validate(const BoundsLabParams& p) {
  if (isAttentionKind(p.kind)) bad("kind", "the shift bounds are defined for the vector kinds only");
  requireRange("n", p.n, 1, kMaxBoundsN);
  requireRange("d", p.d, 1, kMaxBoundsD);
  requireRange("R", p.R, 1e-3, 100.0);
  requireRange("lr", p.lr, 1e-12, 1e6);
  requireRange("steps", p.steps, 1, kMaxBoundsLabSteps);
  requireRange("scale", p.scale, 0.0, 1e6);
  if (p.fixR) requireRange("bounds_R", p.boundsR, 1e-3, 1e3);
  if (p.sweepValues.empty()) bad("sweep.values", "needs at least one value");
  if (p.sweepValues.size() > static_cast<std::size_t>(kMaxSweepValues))
    bad("sweep.values", "at most " + std::to_string(kMaxSweepValues) + " values");
  const double hi = p.sweepAxis == SweepAxis::N ? kMaxBoundsN : p.sweepAxis == SweepAxis::R ? 100.0 : 1e6;
  for (double v : p.sweepValues) requireRange("sweep.values", v, 1e-12, hi);
  requireRange("sweep.instances", p.sweepInstances, 1, kMaxSweepInstances);
  checkBoundsParams(boundsParamsFor(p, p.shift), "bounds.");
}

BoundsParams boundsParamsFor(const BoundsLabParams& p, Shift shift) {
  BoundsParams b;
  b.shift = shift;
  b.lr = p.lr;
  b.steps = p.steps;
  if (p.fixR) b.R = p.boundsR;
  b.update = p.update;
  b.scale = p.scale;
  b.seed = p.seed;
  return b;
}

SlackSweepParams sweepParamsFor(const BoundsLabParams& p) {
  SlackSweepParams s;
  s.axis = p.sweepAxis;
  s.values = p.sweepValues;
  s.kind = p.kind;
  s.n = p.n;
  s.d = p.d;
  s.R = p.R;
  s.bounds = boundsParamsFor(p, p.shift);
  s.instances = p.sweepInstances;
  s.seed = p.seed;
  return s;
}

nlohmann::json toJson(const BoundsLabParams& p) {
  nlohmann::json j = {{"kind", kindName(p.kind)},
                      {"n", p.n},
                      {"d", p.d},
                      {"R", p.R},
                      {"seed", p.seed},
                      {"shift", shiftName(p.shift)},
                      {"attention_update", attentionUpdateName(p.update)},
                      {"lr", p.lr},
                      {"steps", p.steps},
                      {"scale", p.scale},
                      {"sweep", {{"axis", sweepAxisName(p.sweepAxis)},
                                 {"values", p.sweepValues},
                                 {"instances", p.sweepInstances}}}};
  j["bounds_R"] = p.fixR ? nlohmann::json(p.boundsR) : nlohmann::json("auto");
  return j;
}

BoundsLabParams boundsParamsFromJson(const nlohmann::json& json, const BoundsLabParams& base) {
  if (!json.is_object()) throw InputError("the bounds lab's settings must be a JSON object");
  BoundsLabParams p = base;
  readEnum(json, "kind", p.kind, [](std::string_view s) { return kindFromName(s); });
  read(json, "n", p.n);
  read(json, "d", p.d);
  read(json, "R", p.R);
  read(json, "seed", p.seed);
  readEnum(json, "shift", p.shift, shiftFromName);
  readEnum(json, "attention_update", p.update, attentionUpdateFromName);
  read(json, "lr", p.lr);
  read(json, "steps", p.steps);
  read(json, "scale", p.scale);
  readBoundsR(json, p);
  readSweep(json, p);
  validate(p);
  return p;
}

}  // namespace attnlab
