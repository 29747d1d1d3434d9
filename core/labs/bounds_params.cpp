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

constexpr json_fields::LabFields kFields{"bounds"};

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
    kFields.bad("bounds_R", "must be a number or \"auto\"");
  }
}

void readSweep(const nlohmann::json& json, BoundsLabParams& p) {
  if (!json.contains("sweep")) return;
  const nlohmann::json& s = json.at("sweep");
  if (!s.is_object()) kFields.bad("sweep", "must be an object such as {\"axis\": \"R\", \"values\": [4, 6, 8]}");
  const SweepAxis before = p.sweepAxis;
  kFields.readEnum(s, "axis", p.sweepAxis, sweepAxisFromName);
  // A new axis without values takes that axis's defaults: R's values make no sense as n.
  if (p.sweepAxis != before && !s.contains("values")) p.sweepValues = defaultSweepValues(p.sweepAxis);
  kFields.read(s, "values", p.sweepValues);
  kFields.read(s, "instances", p.sweepInstances);
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
    if (ec != std::errc() || end != item.data() + item.size()) kFields.bad("sweep.values", "not a number: '" + item + "'");
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
  if (isAttentionKind(p.kind)) kFields.bad("kind", "the shift bounds are defined for the vector kinds only");
  kFields.requireRange("n", p.n, 1, kMaxBoundsN);
  kFields.requireRange("d", p.d, 1, kMaxBoundsD);
  kFields.requireRange("R", p.R, 1e-3, 100.0);
  kFields.requireRange("lr", p.lr, 1e-12, 1e6);
  kFields.requireRange("steps", p.steps, 1, kMaxBoundsLabSteps);
  kFields.requireRange("scale", p.scale, 0.0, 1e6);
  if (p.fixR) kFields.requireRange("bounds_R", p.boundsR, 1e-3, 1e3);
  if (p.sweepValues.empty()) kFields.bad("sweep.values", "needs at least one value");
  if (p.sweepValues.size() > static_cast<std::size_t>(kMaxSweepValues))
    kFields.bad("sweep.values", "at most " + std::to_string(kMaxSweepValues) + " values");
  const double hi = p.sweepAxis == SweepAxis::N ? kMaxBoundsN : p.sweepAxis == SweepAxis::R ? 100.0 : 1e6;
  for (double v : p.sweepValues) kFields.requireRange("sweep.values", v, 1e-12, hi);
  kFields.requireRange("sweep.instances", p.sweepInstances, 1, kMaxSweepInstances);
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
  kFields.readEnum(json, "kind", p.kind, [](std::string_view s) { return kindFromName(s); });
  kFields.read(json, "n", p.n);
  kFields.read(json, "d", p.d);
  kFields.read(json, "R", p.R);
  kFields.read(json, "seed", p.seed);
  kFields.readEnum(json, "shift", p.shift, shiftFromName);
  kFields.readEnum(json, "attention_update", p.update, attentionUpdateFromName);
  kFields.read(json, "lr", p.lr);
  kFields.read(json, "steps", p.steps);
  kFields.read(json, "scale", p.scale);
  readBoundsR(json, p);
  readSweep(json, p);
  validate(p);
  return p;
}

}  // namespace attnlab
