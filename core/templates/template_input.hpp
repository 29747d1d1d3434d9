// The input of `attnlab template` (README, command line), read and validated at the boundary:
//   { "task": "aa_ab", "kernels": ["transformer", "mlp"], "train_sizes": [8, 16, 32, 64],
//     "test_size": 200, "alphabet": 64, "samples": 2000, "ridge": 1e-6, "seed": 1 }
// task aa_ab | aba_abb | abab_aabb | majority (with "length" k) | random (with "templates" r,
// "length" k, "wildcards", "tokens"); kernels ⊂ {transformer, attention, mlp};
// "embedding": "one_hot" (default, as in 001) or "gaussian" (with "dim"); "test_alphabet";
// the kernel's "beta", "gamma", "kq_identity" (a of 001 Obs 1.2), "b1", "b2".
// Unknown fields are ignored; a bad value is an InputError naming the file and the field.
#pragma once
#include <nlohmann/json.hpp>

#include "core/io/json_problem.hpp"
#include "core/templates/template_experiment.hpp"

namespace attnlab {

TemplateExperimentParams templateExperimentFromJson(const nlohmann::json& root, const JsonSource& source);

}  // namespace attnlab
