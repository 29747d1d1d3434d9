// Everything the user can set in the shift-bound lab ("In-context learning vs weight
// shifting", math.md §2, issue 4): the problem (a generated vector-kind instance), the shift
// and its step, the R of the bounds, and the slack sweep. A plain, comparable, serialisable
// struct, like RegressionParams: the lab compares it with the last job's to decide what to
// recompute (the runs, the sweep, or both). No ImGui here, so export can read sessions.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <vector>

#include "core/bounds/bounds_params.hpp"
#include "core/bounds/slack_sweep.hpp"
#include "core/regression/kind.hpp"

namespace attnlab {

struct BoundsLabParams {
  // [problem] generateProblem(kind, {n, d, R, seed}), started at ‖x₀‖ = R (as the sweep's
  // instance 0, so a sweep point at this R contains exactly this run).
  Kind kind = Kind::Softmax;
  int n = 16;
  int d = 4;
  double R = 4.0;              // ‖A‖ = ‖x₀‖ = R
  std::uint64_t seed = 0;

  // [shift] what BoundsParams holds
  Shift shift = Shift::Weight;
  AttentionUpdate update = AttentionUpdate::Gradient;
  double lr = 0.05;            // small enough that every step meets the hypotheses (‖AΔx‖∞ < 0.01)
  int steps = 20;
  double scale = 1e-3;
  bool fixR = false;           // false: R of the bounds is max(4, ‖A_t‖, ‖x_t‖) over the run
  double boundsR = 4.0;        // used when fixR

  // [sweep]
  SweepAxis sweepAxis = SweepAxis::R;
  std::vector<double> sweepValues = {4.0, 5.0, 6.0, 7.0, 8.0, 10.0, 12.0};
  int sweepInstances = 4;

  bool operator==(const BoundsLabParams&) const = default;
};

// Ranges the widgets and a session are held to. Every step is plotted, so steps stay small.
inline constexpr int kMaxBoundsN = 4096;
inline constexpr int kMaxBoundsD = 256;
inline constexpr int kMaxBoundsLabSteps = 2000;
inline constexpr int kMaxSweepValues = 32;
inline constexpr int kMaxSweepInstances = 64;

std::string_view sweepAxisName(SweepAxis axis);  // "R", "n", "step"
std::optional<SweepAxis> sweepAxisFromName(std::string_view name);
// The values a sweep over `axis` starts with when the axis is chosen.
std::vector<double> defaultSweepValues(SweepAxis axis);
// "4, 5, 6" and back; parseSweepValues throws InputError on a bad list.
std::string formatSweepValues(const std::vector<double>& values);
std::vector<double> parseSweepValues(std::string_view text);

// What a change costs: the runs (both shifts) depend on the problem and the shift settings;
// the sweep on those and its own fields.
bool sameRuns(const BoundsLabParams& a, const BoundsLabParams& b);
bool sameSweep(const BoundsLabParams& a, const BoundsLabParams& b);

// Throws InputError naming the field ("bounds.n") when a value is out of range or the kind
// is an attention kind (the bounds concern the vector f).
void validate(const BoundsLabParams& p);

// The core's parameters for one shift of this lab (the panel runs both for the targets).
BoundsParams boundsParamsFor(const BoundsLabParams& p, Shift shift);
SlackSweepParams sweepParamsFor(const BoundsLabParams& p);

// The lab's part of a session: {"kind": "softmax", "n": 16, "d": 4, "R": 4, "seed": 0,
// "shift": "x", "attention_update": "gd", "lr": 0.05, "steps": 20, "scale": 0.001,
// "bounds_R": 5 (absent: automatic), "sweep": {"axis": "R", "values": [4, 6, 8], "instances": 4}}.
nlohmann::json toJson(const BoundsLabParams& p);
// Reads the fields present over `base`, then validates. Unknown fields are ignored.
BoundsLabParams boundsParamsFromJson(const nlohmann::json& json, const BoundsLabParams& base);

}  // namespace attnlab
