#!/usr/bin/env bash
# Regenerates tests/cli/golden/ from a plexus binary: bash make_golden.sh PLEXUS.
# Run it only when an output is meant to change, and say why in the commit.
set -euo pipefail
PLEXUS=$(realpath "${1:?usage: make_golden.sh PLEXUS_BINARY}")
here=$(cd "$(dirname "$0")" && pwd)
source "$here/golden_runs.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && golden_runs)
for f in "${GOLDEN_FILES[@]}"; do
    mkdir -p "$here/golden/$(dirname "$f")"
    cp "$work/$f" "$here/golden/$f"
done
