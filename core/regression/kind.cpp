#include "core/regression/kind.hpp"

namespace attnlab {
namespace {

// One table, so that kindName and kindFromName cannot drift apart.
constexpr std::array<std::string_view, kAllKinds.size()> kKindNames = {
    "linear",        "exp",        "softmax",              "rescaled",
    "cross_entropy", "infoprompt", "attention_normalized", "attention_rescaled"};

}  // namespace

std::string_view kindName(Kind k) {
  for (std::size_t i = 0; i < kAllKinds.size(); ++i)
    if (kAllKinds[i] == k) return kKindNames[i];
  return "unknown";
}

std::optional<Kind> kindFromName(std::string_view name) {
  for (std::size_t i = 0; i < kAllKinds.size(); ++i)
    if (kKindNames[i] == name) return kAllKinds[i];
  return std::nullopt;
}

}  // namespace attnlab
