#!/usr/bin/env bash
# The README's first command: install dependencies, build, open attnlab on its default
# lesson (a 2-D softmax regression: the true loss surface, gradient descent, momentum and
# Newton across it, their loss and gradient-norm curves — computed before you look).
# Extra arguments go to attnlab (a session file, --size 1600x1000, a subcommand, ...).
# With no display attached the lesson is summarised on the terminal instead.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DATTNLAB_BUILD_TESTS=OFF -DATTNLAB_BUILD_BENCHMARKS=OFF
cmake --build build -j"$(nproc)" --target attnlab
attnlab=build/app/attnlab
if [[ $# -gt 0 || -n "${DISPLAY:-}" || -n "${WAYLAND_DISPLAY:-}" ]]; then exec "$attnlab" "$@"; fi

echo "No display (DISPLAY is not set): the default lesson on the terminal instead."
echo "Under Xvfb: xvfb-run -a $attnlab --screenshot lesson.png"
lesson='{"kind":"softmax","generate":{"n":64,"d":2,"R":4,"seed":1},"l2":0.01}'
for method in gd momentum newton; do
  echo "$lesson" | "$attnlab" solve - --method "$method" --lr 0.5 --steps 2000 --tol 1e-10 |
    python3 -c 'import json,sys; r=json.load(sys.stdin); print("%-9s converged=%-5s iterations=%5d  loss=%.12g  |grad|=%.2e" % (r["method"], r["converged"], r["iterations"], r["loss"], r["grad_norm"]))'
done
