// Template tasks (001 §2, App. B): a template is a string over wildcards (α, β, …) and fixed
// tokens; a sample substitutes the wildcards injectively with symbols that appear in no
// template, and carries the template's label. Training and test strings use disjoint
// alphabets, so a kernel method only generalises if it reads the *relations* between
// symbols (which positions are equal), never their identity.
#pragma once
#include <string>
#include <vector>

#include "core/random.hpp"

namespace attnlab {

// One template position: a wildcard (its index w ≥ 0) or a fixed token (index t ≥ 0), the
// same token in every string (001's set R of template tokens).
struct TemplateSlot {
  bool wildcard = true;
  int index = 0;
  bool operator==(const TemplateSlot&) const = default;
};

struct Template {
  std::vector<TemplateSlot> slots;
  double label = 0.0;  // f*(z)
};

struct TemplateTask {
  std::string name;
  std::vector<Template> templates;  // µ_tmplt is uniform on these; pairwise disjoint
  int length = 0;                   // k, the same for every template
  int wildcards = 0;                // |W|: wildcard indices are 0 … wildcards−1
  int tokens = 0;                   // |R|: fixed-token indices are 0 … tokens−1
};

// αα → +1, αβ → −1: "same or different" (001 §1.1, §3.3).
TemplateTask sameDifferentTask();
// αβα → +1, αββ → −1 (001 App. B).
TemplateTask abaAbbTask();
// αβαβ → +1, ααββ → −1 (001 App. B).
TemplateTask ababAabbTask();
// α × {α, β}^{k−1}: 2^{k−1} templates, +1 when the first symbol fills more than half of the
// remaining k−1 positions, else −1 (001 App. B: |{i : z₁ = zᵢ}| > (k+1)/2). k ∈ [2, 12];
// k = 2 is sameDifferentTask.
TemplateTask majorityTask(int length);
// r templates drawn uniformly from (W ∪ R)^k, pairwise disjoint, with Gaussian labels centred
// and scaled so that predicting 0 has mean squared error 1 (001 App. B). Throws InputError
// (field "templates") when r disjoint templates cannot be found.
TemplateTask randomTemplateTask(int templates, int length, int wildcards, int tokens, Random& rng);

// Two templates are disjoint (001 Def 3.2) — under substitutions that avoid R — exactly when
// their canonical forms differ: wildcards renamed in order of first appearance.
std::vector<TemplateSlot> canonicalForm(const std::vector<TemplateSlot>& slots);

// "αβα", "αAβ": wildcards as Greek letters, fixed tokens as capital Latin letters.
std::string patternName(const Template& t);

}  // namespace attnlab
