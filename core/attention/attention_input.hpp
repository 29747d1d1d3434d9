// The input of `attnlab attention` (cli.md), read and validated at the boundary:
//   { "kernel": "softmax", "Q": [[...]], "K": [[...]], "V": [[...]], "scale": 1.0,
//     "features": 256, "seed": 0, "dtype": "float64", "causal": false }
// kernel softmax|elu|favor|softplus|glu|aoglu (default softmax); Q, K, V inline or as the
// path of a .npy / .csv file relative to the JSON (core/io). Also read, beyond the contract:
// "orthogonal" (favor: orthogonal blocks, default true; false = i.i.d. rows). Unknown
// fields are ignored.
#pragma once
#include <nlohmann/json.hpp>

#include "core/attention/attention_lab.hpp"
#include "core/io/json_problem.hpp"

namespace attnlab {

struct AttentionProblem {
  AttentionParams params;
  AttentionInput input;
};

// Parses and validates (validateAttention, its errors completed with the file name).
AttentionProblem attentionProblemFromJson(const nlohmann::json& root, const JsonSource& source);

}  // namespace attnlab
