#!/usr/bin/env bash
# Installs what Plexus needs on Debian 12 (only the packages that are missing),
# then configures and builds. Usage: scripts/setup.sh [BUILD_DIR] [extra cmake args...]
# Optional step: `scripts/setup.sh --fuzz-packages` only installs what scripts/fuzz.sh
# needs (clang and libFuzzer, not used by the main g++ build) and exits.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(cmake ninja-build g++ pkg-config ccache libeigen3-dev nlohmann-json3-dev libcli11-dev libfmt-dev
          zlib1g-dev libcairo2-dev libgif-dev libgtest-dev libgmock-dev libbenchmark-dev python3
          python3-dev pybind11-dev python3-numpy python3-pytest python3-nbconvert python3-ipykernel jupyter-nbconvert python3-matplotlib
          libopenmpi-dev openmpi-bin
          libhdf5-dev libzip-dev libonnx-dev libprotobuf-dev python3-onnx python3-h5py
          python3-sklearn
          libcpp-httplib-dev chromium nodejs)
# The web playground's browser test needs npm (bundled with some nodejs builds, a package of its own in Debian's).
command -v npm >/dev/null 2>&1 || packages+=(npm)
fuzz_only=0
if [ "${1:-}" = "--fuzz-packages" ]; then
  packages=(cmake ninja-build clang-15 libfuzzer-15-dev nlohmann-json3-dev libeigen3-dev zlib1g-dev)
  fuzz_only=1
fi
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
[ "$fuzz_only" -eq 1 ] && exit 0

# ccache (found by CMakeLists.txt) keyed on paths relative to this checkout, so another
# clone of the project (CI's) reuses what this one compiled; precompiled headers allowed.
# NOHASHDIR: without it, a build with debug info (the sanitizer build's -g1) hashes the
# checkout's directory, and every object of that build misses in another clone.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
export CCACHE_SLOPPINESS="pch_defines,time_macros,include_file_mtime,include_file_ctime"
export CCACHE_MAXSIZE="${CCACHE_MAXSIZE:-20G}"

build_dir="${1:-build}"
shift || true
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@"
cmake --build "$build_dir" -j "$(nproc)"
