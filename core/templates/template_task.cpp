#include "core/templates/template_task.hpp"

#include <cmath>
#include <stdexcept>

#include "core/errors.hpp"

namespace attnlab {
namespace {

TemplateSlot w(int index) { return {true, index}; }

Template wildcardTemplate(const std::vector<int>& wildcards, double label) {
  Template t;
  for (int i : wildcards) t.slots.push_back(w(i));
  t.label = label;
  return t;
}

TemplateTask twoTemplates(std::string name, const std::vector<int>& plus, const std::vector<int>& minus) {
  TemplateTask task;
  task.name = std::move(name);
  task.templates = {wildcardTemplate(plus, 1.0), wildcardTemplate(minus, -1.0)};
  task.length = static_cast<int>(plus.size());
  task.wildcards = 2;
  return task;
}

}  // namespace

TemplateTask sameDifferentTask() { return twoTemplates("aa_ab", {0, 0}, {0, 1}); }
TemplateTask abaAbbTask() { return twoTemplates("aba_abb", {0, 1, 0}, {0, 1, 1}); }
TemplateTask ababAabbTask() { return twoTemplates("abab_aabb", {0, 1, 0, 1}, {0, 0, 1, 1}); }

TemplateTask majorityTask(int length) {
  if (length < 2 || length > 12)
    throw InputError("must be an integer in [2, 12]",
                     {.file = "", .field = "length", .row = std::nullopt, .column = std::nullopt});
  TemplateTask task;
  task.name = "majority";
  task.length = length;
  task.wildcards = 2;
  // Bit i−1 of `mask` set: position i is β. Ordered so that k = 2 gives αα, αβ.
  for (unsigned mask = 0; mask < (1u << (length - 1)); ++mask) {
    std::vector<int> slots{0};
    int sameAsFirst = 1;
    for (int i = 1; i < length; ++i) {
      const bool beta = (mask >> (i - 1)) & 1u;
      slots.push_back(beta ? 1 : 0);
      sameAsFirst += beta ? 0 : 1;
    }
    task.templates.push_back(wildcardTemplate(slots, 2.0 * sameAsFirst > length + 1 ? 1.0 : -1.0));
  }
  return task;
}

std::vector<TemplateSlot> canonicalForm(const std::vector<TemplateSlot>& slots) {
  std::vector<int> renamed;  // renamed[w] = new index of wildcard w, −1 until it appears
  std::vector<TemplateSlot> out;
  for (const TemplateSlot& s : slots) {
    if (!s.wildcard) {
      out.push_back(s);
      continue;
    }
    if (s.index >= static_cast<int>(renamed.size())) renamed.resize(s.index + 1, -1);
    if (renamed[s.index] < 0) {
      int next = 0;
      for (int r : renamed) next += r >= 0 ? 1 : 0;
      renamed[s.index] = next;
    }
    out.push_back(w(renamed[s.index]));
  }
  return out;
}

TemplateTask randomTemplateTask(int templates, int length, int wildcards, int tokens, Random& rng) {
  TemplateTask task;
  task.name = "random";
  task.length = length;
  task.wildcards = wildcards;
  task.tokens = tokens;
  const auto symbols = static_cast<std::uint64_t>(wildcards + tokens);
  // Rejection sampling of distinct canonical forms; the attempt budget only guards against
  // asking for more templates than exist (e.g. r = 10 with k = 2: there are only 2 + …).
  std::vector<std::vector<TemplateSlot>> seen;
  const long budget = 1000L + 200L * templates;
  for (long attempt = 0; attempt < budget && static_cast<int>(seen.size()) < templates; ++attempt) {
    std::vector<TemplateSlot> slots;
    for (int i = 0; i < length; ++i) {
      const auto s = static_cast<int>(rng.below(symbols));
      slots.push_back(s < wildcards ? TemplateSlot{true, s} : TemplateSlot{false, s - wildcards});
    }
    const auto form = canonicalForm(slots);
    bool fresh = true;
    for (const auto& f : seen) fresh = fresh && f != form;
    if (fresh) seen.push_back(form);
  }
  if (static_cast<int>(seen.size()) < templates)
    throw InputError("cannot draw " + std::to_string(templates) + " disjoint templates of length " +
                         std::to_string(length) + " over " + std::to_string(wildcards) + " wildcards and " +
                         std::to_string(tokens) + " tokens",
                     {.file = "", .field = "templates", .row = std::nullopt, .column = std::nullopt});
  // Labels: Gaussian, centred and scaled to mean square 1 over the uniform template
  // distribution, so the trivial predictor 0 has test error 1.
  std::vector<double> labels;
  double mean = 0.0;
  for (int j = 0; j < templates; ++j) labels.push_back(rng.normal());
  for (double y : labels) mean += y / templates;
  double meanSquare = 0.0;
  for (double& y : labels) {
    y -= mean;
    meanSquare += y * y / templates;
  }
  const double scale = meanSquare > 0.0 ? 1.0 / std::sqrt(meanSquare) : 1.0;
  for (int j = 0; j < templates; ++j) task.templates.push_back({seen[j], labels[j] * scale});
  return task;
}

std::string patternName(const Template& t) {
  static const char* const greek[] = {"α", "β", "γ", "δ", "ε", "ζ", "η", "θ", "ι", "κ", "λ", "μ",
                                      "ν", "ξ", "ο", "π", "ρ", "σ", "τ", "υ", "φ", "χ", "ψ", "ω"};
  std::string name;
  for (const TemplateSlot& s : t.slots) {
    if (s.wildcard && s.index < 24) {
      name += greek[s.index];
    } else if (!s.wildcard && s.index < 26) {
      name += char('A' + s.index);
    } else {
      name += s.wildcard ? 'w' : 'T';
      name += std::to_string(s.index);
    }
  }
  return name;
}

}  // namespace attnlab
