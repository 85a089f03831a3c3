#!/usr/bin/env bash
# Fuzzes one reader of untrusted input with libFuzzer (clang, ASan + UBSan).
#
#   scripts/fuzz.sh TARGET SECONDS [libFuzzer args...]   run TARGET for SECONDS
#   scripts/fuzz.sh minimize TARGET                      merge what runs found into tests/fuzz/corpus/TARGET
#
# TARGET: csv, npy, model_file, model_spec, json or keras (entry points in tests/fuzz/fuzz_entries.hpp).
# Runs start from the committed corpus (tests/fuzz/corpus/TARGET, replayed by the normal
# test suite) and write new inputs to build-fuzz/corpus/TARGET; crashes, leaks and
# timeouts go to build-fuzz/findings/TARGET/. Builds in build-fuzz (clang-15, or clang-14).
# Installs clang and libFuzzer first if missing (scripts/setup.sh --fuzz-packages).
set -euo pipefail
cd "$(dirname "$0")/.."
targets="csv npy model_file model_spec json keras"
usage() { echo "usage: scripts/fuzz.sh TARGET SECONDS [libFuzzer args] | scripts/fuzz.sh minimize TARGET  (TARGET: $targets)" >&2; exit 2; }
[ $# -ge 2 ] || usage
mode=run
if [ "$1" = minimize ]; then mode=minimize; shift; fi
target=$1
[[ " $targets " == *" $target "* ]] || usage

scripts/setup.sh --fuzz-packages >/dev/null
cxx=$(command -v clang++-15 || command -v clang++-14 || command -v clang++) || { echo "fuzz: no clang++ found" >&2; exit 2; }
build=build-fuzz
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DPLEXUS_FUZZ=ON -DPLEXUS_NATIVE=OFF -DPLEXUS_BUILD_TESTS=OFF -DPLEXUS_BUILD_BENCH=OFF >/dev/null
fi
cmake --build "$build" -j 2 --target "fuzz_$target"
binary="$build/tests/fuzz/fuzz_$target"
committed="tests/fuzz/corpus/$target"
work="$build/corpus/$target"
findings="$build/findings/$target"
mkdir -p "$committed" "$work" "$findings"

if [ "$mode" = minimize ]; then
  fresh=$(mktemp -d)
  "$binary" -set_cover_merge=1 -rss_limit_mb=2048 "$fresh" "$committed" "$work"
  # Inputs kept by name (regression-*: a finding's reproducer) stay, whatever the merge picks.
  cp "$committed"/regression-* "$fresh"/ 2>/dev/null || true
  rm -rf "$committed" && mkdir -p "$committed" && cp "$fresh"/* "$committed"/ && rm -rf "$fresh"
  echo "fuzz: $committed now holds $(ls "$committed" | wc -l) files, $(du -sh "$committed" | cut -f1)"
  exit 0
fi
seconds=$2
shift 2
# -timeout: an input running longer than 10 s is a finding (a hang); -rss_limit_mb: so is 2 GB.
"$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
          -artifact_prefix="$findings/" "$@" "$work" "$committed"
