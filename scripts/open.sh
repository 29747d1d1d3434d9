#!/usr/bin/env bash
# The README's first command: install dependencies, build, open attnlab on its default
# lesson. Until the window lands (issue 3) the lesson is shown on the terminal: a 2-D
# softmax regression solved by gradient descent, momentum and Newton, side by side.
# Extra arguments go to attnlab.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DATTNLAB_BUILD_TESTS=OFF -DATTNLAB_BUILD_BENCHMARKS=OFF
cmake --build build -j"$(nproc)" --target attnlab
attnlab=build/app/attnlab
if [[ $# -gt 0 ]]; then exec "$attnlab" "$@"; fi

lesson='{"kind":"softmax","generate":{"n":64,"d":2,"R":4,"seed":1},"l2":0.01}'
echo "Default lesson: softmax regression, n=64, d=2, ‖A‖=4, ridge 0.01"
for method in gd momentum newton; do
  echo "$lesson" | "$attnlab" solve - --method "$method" --lr 0.5 --steps 2000 --tol 1e-10 |
    python3 -c 'import json,sys; r=json.load(sys.stdin); print("%-9s converged=%-5s iterations=%5d  loss=%.12g  |grad|=%.2e  x=%s" % (r["method"], r["converged"], r["iterations"], r["loss"], r["grad_norm"], r["x"]))'
done
