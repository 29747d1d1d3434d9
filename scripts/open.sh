#!/usr/bin/env bash
# The README's first command: install dependencies, build, open the window on the
# default lesson. Extra arguments go to attnlab (e.g. a session file).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DATTNLAB_BUILD_TESTS=OFF -DATTNLAB_BUILD_BENCHMARKS=OFF
cmake --build build -j"$(nproc)" --target attnlab
exec build/app/attnlab "$@"
