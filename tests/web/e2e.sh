#!/usr/bin/env bash
# The playground's end-to-end test: starts `plexus serve` on a free loopback port
# and drives the page in headless Chromium (e2e.mjs). npm packages come from
# tests/web/package-lock.json (npm ci, into WORK_DIR; no browser download).
# Usage: e2e.sh PLEXUS_BINARY WORK_DIR [SCREENSHOT_COPY]
# Exits 77 (skipped) when node, npm or chromium is missing; scripts/setup.sh installs them.
set -euo pipefail
plexus=$1 work=$2 screenshot=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
chromium=${PLEXUS_CHROMIUM:-/usr/bin/chromium}
skip() { echo "SKIPPED: $* (scripts/setup.sh installs it)"; exit 77; }
command -v node >/dev/null 2>&1 || skip "node is not installed"
command -v npm >/dev/null 2>&1 || skip "npm is not installed"
[ -x "$chromium" ] || skip "$chromium is not installed"

mkdir -p "$work"
if ! cmp -s "$here/package-lock.json" "$work/package-lock.json" || [ ! -d "$work/node_modules/puppeteer-core" ]; then
  rm -rf "$work/node_modules" "$work/package-lock.json"
  cp "$here/package.json" "$here/package-lock.json" "$work/"
  if ! (cd "$work" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error); then
    rm -f "$work/package-lock.json"
    echo "e2e: npm ci failed (is the npm registry reachable?)"; exit 1
  fi
fi
cp "$here/e2e.mjs" "$work/e2e.mjs"

: >"$work/server.log"  # emptied here: the background job's own redirection may come after the first grep
"$plexus" serve --port 0 >"$work/server.log" 2>&1 &
pid=$!
trap 'kill -INT $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
url=""
for _ in $(seq 100); do
  url=$(grep -o 'http://127.0.0.1:[0-9]*/' "$work/server.log" || true)
  [ -n "$url" ] && break
  kill -0 $pid 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "e2e: the server did not start"; cat "$work/server.log"; exit 1; }
if ! node "$work/e2e.mjs" "$url" "$chromium" "$work" $screenshot; then
  echo "--- the server's output:"; cat "$work/server.log"; exit 1
fi
