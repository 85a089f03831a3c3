#!/usr/bin/env bash
# Sets up (scripts/setup.sh), builds with warnings as errors, and runs the whole test suite.
#   scripts/test.sh              the normal build, in build/
#   scripts/test.sh --sanitize   AddressSanitizer + UndefinedBehaviorSanitizer, in build-asan/
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--sanitize" ]; then
  # -O1 -g1 and no NDEBUG: a lighter build than RelWithDebInfo, with line numbers in the
  # reports and Eigen's own bounds and size assertions on.
  scripts/setup.sh build-asan -DPLEXUS_WERROR=ON -DPLEXUS_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" -DPLEXUS_BUILD_BENCH=OFF
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  export LSAN_OPTIONS="suppressions=$PWD/.ci/lsan.supp"
  ctest --test-dir build-asan --output-on-failure -j "$(nproc)"
else
  scripts/setup.sh build -DPLEXUS_WERROR=ON
  ctest --test-dir build --output-on-failure -j "$(nproc)"
fi
