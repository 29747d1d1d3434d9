#include "core/bounds/bounds_params.hpp"

#include <cmath>
#include <cstdio>
#include <string>
#include <type_traits>

#include "core/errors.hpp"

namespace attnlab {
namespace {

InputLocation field(std::string_view prefix, const char* name) {
  return InputLocation{.file = {}, .field = std::string(prefix) + name, .row = {}, .column = {}};
}

std::string numberText(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", v);
  return text;
}

void requireFiniteField(double v, std::string_view prefix, const char* name) {
  if (!std::isfinite(v)) throw InputError("must be a finite number", field(prefix, name));
}

template <class T>
T valueOr(const nlohmann::json& j, const char* key, T fallback) {
  const auto it = j.find(key);
  if (it == j.end()) return fallback;
  // nlohmann would truncate 2.5 to 2 and wrap -1 around an unsigned seed.
  if constexpr (std::is_unsigned_v<T>) {
    if (!it->is_number_unsigned()) throw InputError("must be an integer ≥ 0: " + it->dump(), field("", key));
  } else if constexpr (std::is_integral_v<T>) {
    if (!it->is_number_integer()) throw InputError("must be an integer: " + it->dump(), field("", key));
  }
  try {
    return it->get<T>();
  } catch (const nlohmann::json::exception&) {
    throw InputError("has the wrong type: " + it->dump(), field("", key));
  }
}

}  // namespace

std::string_view shiftName(Shift s) { return s == Shift::Weight ? "x" : "A"; }

std::optional<Shift> shiftFromName(std::string_view name) {
  if (name == "x") return Shift::Weight;
  if (name == "A") return Shift::Data;
  return std::nullopt;
}

std::string_view attentionUpdateName(AttentionUpdate u) {
  switch (u) {
    case AttentionUpdate::Gradient: return "gd";
    case AttentionUpdate::LinearSelfAttention: return "lsa";
    case AttentionUpdate::Random: return "random";
  }
  return "gd";
}

std::optional<AttentionUpdate> attentionUpdateFromName(std::string_view name) {
  if (name == "gd") return AttentionUpdate::Gradient;
  if (name == "lsa") return AttentionUpdate::LinearSelfAttention;
  if (name == "random") return AttentionUpdate::Random;
  return std::nullopt;
}

void checkBoundsParams(const BoundsParams& p, std::string_view prefix) {
  requireFiniteField(p.lr, prefix, "lr");
  if (p.lr <= 0) throw InputError("must be > 0 (got " + numberText(p.lr) + ")", field(prefix, "lr"));
  if (p.steps < 0 || p.steps > kMaxBoundsSteps)
    throw InputError("must be an integer in [0, 10000000] (got " + std::to_string(p.steps) + ")",
                     field(prefix, "steps"));
  if (p.R) {
    requireFiniteField(*p.R, prefix, "R");
    if (*p.R <= 0) throw InputError("must be > 0 (got " + numberText(*p.R) + ")", field(prefix, "R"));
  }
  requireFiniteField(p.scale, prefix, "scale");
  if (p.scale < 0) throw InputError("must be ≥ 0 (got " + numberText(p.scale) + ")", field(prefix, "scale"));
}

void to_json(nlohmann::json& j, const BoundsParams& p) {
  j = nlohmann::json{{"shift", shiftName(p.shift)},
                     {"lr", p.lr},
                     {"steps", p.steps},
                     {"attention_update", attentionUpdateName(p.update)},
                     {"scale", p.scale},
                     {"seed", p.seed}};
  if (p.R) j["R"] = *p.R;
}

void from_json(const nlohmann::json& j, BoundsParams& p) {
  if (!j.is_object()) throw InputError("must be an object", field("", "bounds"));
  BoundsParams out;
  const std::string shift = valueOr<std::string>(j, "shift", std::string(shiftName(out.shift)));
  const std::string update = valueOr<std::string>(j, "attention_update", std::string(attentionUpdateName(out.update)));
  if (!shiftFromName(shift)) throw InputError("must be \"x\" or \"A\" (got \"" + shift + "\")", field("", "shift"));
  if (!attentionUpdateFromName(update))
    throw InputError("must be \"gd\", \"lsa\" or \"random\" (got \"" + update + "\")", field("", "attention_update"));
  out.shift = *shiftFromName(shift);
  out.update = *attentionUpdateFromName(update);
  out.lr = valueOr<double>(j, "lr", out.lr);
  out.steps = valueOr<long long>(j, "steps", out.steps);
  if (j.contains("R")) out.R = valueOr<double>(j, "R", 0.0);
  out.scale = valueOr<double>(j, "scale", out.scale);
  out.seed = valueOr<std::uint64_t>(j, "seed", out.seed);
  checkBoundsParams(out, "");
  p = out;
}

}  // namespace attnlab
