// Shape checks shared by validate() and the Loss constructor (internal to core/regression).
#pragma once
#include "core/regression/problem.hpp"

namespace attnlab::detail {

// Throws InputError naming the field when the data of p (not x) do not fit together:
// A n×d and b n (w n for infoprompt), or A1, A2 n×d and B n×n; n, d ≥ 1.
void checkShapes(const Problem& p);

}  // namespace attnlab::detail
