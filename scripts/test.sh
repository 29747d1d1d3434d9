#!/usr/bin/env bash
# The README's second command (and .ci/run): install dependencies, build, run every test —
# the release build (core, CLI, window under Xvfb, benchmark smoke runs), then the core
# tests once more under AddressSanitizer+UBSan and once under ThreadSanitizer. The sanitizer
# builds compile only what `ctest -L core` runs (attnlab_core and the unit_* tests:
# ATTNLAB_BUILD_APP=OFF), which includes the job pool and the pooled Hessian.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
jobs=$(nproc)

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

for sanitizer in "address,undefined" "thread"; do
  dir="build-${sanitizer//,/-}"
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DATTNLAB_SANITIZE="$sanitizer" \
        -DATTNLAB_BUILD_APP=OFF -DATTNLAB_BUILD_GUI=OFF -DATTNLAB_BUILD_BENCHMARKS=OFF
  cmake --build "$dir" -j"$jobs"
  # TSan needs a fixed address-space layout on recent kernels; setarch -R disables ASLR.
  setarch "$(uname -m)" -R ctest --test-dir "$dir" -L core --output-on-failure -j"$jobs"
done
