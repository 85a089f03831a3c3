#!/usr/bin/env bash
# Sets up (scripts/setup.sh), builds, and runs the seed experiment on built-in data:
# `plexus demo` trains it with the tail split and the stratified split and writes
# models, reports and pictures into demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
build/apps/plexus demo --out demo
