// The eight kinds of the softmax-regression family (math.md §1).
#pragma once
#include <array>
#include <optional>
#include <string_view>

namespace attnlab {

enum class Kind {
  Linear,               // ½‖Ax − b‖²                                  000 Def 1.2
  Exp,                  // ½‖exp(Ax) − b‖²                             002 Def B.2
  Softmax,              // ½‖f(x) − b‖²,  f = softmax(Ax)              000 Def 4.2
  Rescaled,             // ½‖exp(Ax) − α(x)·b‖²,  α = ⟨exp(Ax), 1⟩     002 Def B.3
  CrossEntropy,         // −⟨b, log f(x)⟩                               002 Def C.7
  InfoPrompt,           // softmax + cross entropy + ½‖diag(w)Ax‖²      002 Lemma C.15
  AttentionNormalized,  // ½‖D(X)⁻¹ exp(A₁XA₂ᵀ) − B‖_F²                003
  AttentionRescaled,    // ½‖exp(A₁XA₂ᵀ) − D(X)·B‖_F²                  003
};

inline constexpr std::array<Kind, 8> kAllKinds = {
    Kind::Linear,     Kind::Exp,        Kind::Softmax,             Kind::Rescaled,
    Kind::CrossEntropy, Kind::InfoPrompt, Kind::AttentionNormalized, Kind::AttentionRescaled};

// The name used in JSON and on the command line: "linear", ..., "attention_rescaled".
std::string_view kindName(Kind k);
std::optional<Kind> kindFromName(std::string_view name);

// Attention kinds take a d×d matrix X (optimised as vec(X), columns stacked).
constexpr bool isAttentionKind(Kind k) {
  return k == Kind::AttentionNormalized || k == Kind::AttentionRescaled;
}

}  // namespace attnlab
