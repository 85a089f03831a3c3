#!/usr/bin/env bash
# Sets up (scripts/setup.sh), builds, and runs the seed experiment on built-in data.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
build/examples/seed_curves
