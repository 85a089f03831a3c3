#!/usr/bin/env bash
# Installs what Plexus needs on Debian 12 (only the packages that are missing),
# then configures and builds. Usage: scripts/setup.sh [BUILD_DIR] [extra cmake args...]
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(cmake ninja-build g++ pkg-config libeigen3-dev nlohmann-json3-dev libcli11-dev libfmt-dev
          zlib1g-dev libcairo2-dev libgif-dev libgtest-dev libgmock-dev libbenchmark-dev python3
          libcpp-httplib-dev chromium nodejs)
# The web playground's browser test needs npm (bundled with some nodejs builds, a package of its own in Debian's).
command -v npm >/dev/null 2>&1 || packages+=(npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

build_dir="${1:-build}"
shift || true
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@"
cmake --build "$build_dir" -j "$(nproc)"
