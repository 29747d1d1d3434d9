#!/usr/bin/env bash
# Installs what attnlab needs to build, run and test — Debian packages only, and only
# those that are missing (so a second run makes no network call at all).
#   scripts/install-deps.sh          build + run
#   scripts/install-deps.sh --test   also what the tests need (Xvfb, xmllint, pdftoppm)
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libeigen3-dev nlohmann-json3-dev libcli11-dev
  libimgui-dev libglfw3-dev libepoxy-dev libx11-dev libpng-dev libcairo2-dev fonts-dejavu-core
  libgl1-mesa-dri
)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(libgtest-dev libgmock-dev libbenchmark-dev xvfb xauth libxml2-utils poppler-utils)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

sudo=""
[[ $(id -u) -eq 0 ]] || sudo="sudo"
echo "attnlab: installing ${missing[*]}"
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
