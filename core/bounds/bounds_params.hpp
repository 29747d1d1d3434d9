// What the user sets in the shift-bound lab (math.md §2, cli.md `bounds`): which shift, how
// big a step, how many steps, the radius R of the hypotheses, and for the data shift how the
// document A is moved. A plain, comparable, serialisable struct (architecture.md, "One lab").
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

namespace attnlab {

// Weight: gradient descent on x (000 §5, Thm 8.1). Data: x fixed, A_t → A_{t+1} (000 §7, Thm 8.2).
enum class Shift { Weight, Data };

// How the data shift moves A (cli.md): a gradient step on A of the problem's own loss, one
// linear self-attention layer (von Oswald et al.), or a random matrix of spectral norm s.
enum class AttentionUpdate { Gradient, LinearSelfAttention, Random };

struct BoundsParams {
  Shift shift = Shift::Weight;
  double lr = 0.1;                        // η: GD step on x or on A, and the LSA layer's scale
  long long steps = 10;                   // T ≥ 0
  std::optional<double> R;                // absent: max(4, ‖A_t‖, ‖x_t‖) over the run
  AttentionUpdate update = AttentionUpdate::Gradient;
  double scale = 1e-3;                    // s: spectral norm of each random perturbation
  std::uint64_t seed = 0;                 // draws W_Q, W_K, W_V (lsa) and G (random)

  bool operator==(const BoundsParams&) const = default;
};

// The command-line spellings: "x" / "A" and "gd" / "lsa" / "random".
std::string_view shiftName(Shift s);
std::optional<Shift> shiftFromName(std::string_view name);
std::string_view attentionUpdateName(AttentionUpdate u);
std::optional<AttentionUpdate> attentionUpdateFromName(std::string_view name);

inline constexpr long long kMaxBoundsSteps = 10'000'000;

// Throws InputError naming the field (prefix + "lr", "steps", "R", "scale": prefix "--" on the
// command line, "" in a session) for what cli.md calls out of range: a non-finite number,
// lr ≤ 0, steps outside [0, 10⁷], R ≤ 0, scale < 0.
void checkBoundsParams(const BoundsParams& p, std::string_view fieldPrefix = "");

// Sessions: {"shift": "x", "lr": 0.1, "steps": 10, "R": 5 (optional), "attention_update": "gd",
// "scale": 0.001, "seed": 0}. from_json fills absent fields with the defaults above and checks
// the result (InputError naming the field).
void to_json(nlohmann::json& j, const BoundsParams& p);
void from_json(const nlohmann::json& j, BoundsParams& p);

}  // namespace attnlab
