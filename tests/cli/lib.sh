# Helpers for the end-to-end tests of the `plexus` command (sourced by each
# test script). A script is run as: bash SCRIPT PLEXUS_BINARY WORKDIR [ARGS...];
# it works inside a fresh WORKDIR and fails (exit 1) on the first broken check.
set -euo pipefail

PLEXUS=${1:?usage: $0 PLEXUS_BINARY WORKDIR [ARGS...]}
WORK=${2:?usage: $0 PLEXUS_BINARY WORKDIR [ARGS...]}
shift 2
TEST_DATA=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/data
rm -rf "$WORK"
mkdir -p "$WORK"
cd "$WORK"

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# run_ok ARGS...: runs plexus and expects exit code 0; stdout in out.txt, stderr in err.txt.
run_ok() {
    if ! "$PLEXUS" "$@" >out.txt 2>err.txt; then
        cat out.txt err.txt >&2
        fail "plexus $*: exited with a non-zero code"
    fi
}

# expect_error 'text1|text2' OUT ARGS...: runs plexus and expects exit code 2 and
# exactly one line on stderr, "plexus: error: ...", containing every text
# (case-insensitive); OUT (if not empty) must not exist afterwards, and no
# temporary file may be left in the working folder.
expect_error() {
    local patterns=$1 out=$2
    shift 2
    local rc=0
    "$PLEXUS" "$@" >out.txt 2>err.txt || rc=$?
    [[ $rc == 2 ]] || { cat out.txt err.txt >&2; fail "plexus $*: exit code $rc, expected 2"; }
    [[ $(wc -l <err.txt) == 1 ]] || { cat err.txt >&2; fail "plexus $*: $(wc -l <err.txt) lines on stderr, expected 1"; }
    grep -q '^plexus: error: ' err.txt || fail "plexus $*: stderr does not start with 'plexus: error: ': $(cat err.txt)"
    local p
    IFS='|' read -ra pats <<<"$patterns"
    for p in "${pats[@]}"; do
        grep -qiF -- "$p" err.txt || fail "plexus $*: the message lacks '$p': $(cat err.txt)"
    done
    if [[ -n $out && -e $out ]]; then fail "plexus $*: left $out behind"; fi
    if compgen -G '*.tmp-*' >/dev/null || compgen -G '*/*.tmp-*' >/dev/null; then fail "plexus $*: left a temporary file"; fi
    return 0
}

# json_check FILE 'PYTHON EXPRESSION over r': asserts the expression on the parsed JSON.
json_check() {
    python3 - "$1" "$2" <<'PY' || fail "json_check $1: $2"
import json, math, sys
r = json.load(open(sys.argv[1]))
if not eval(sys.argv[2], {"math": math, "r": r}):
    sys.exit("assertion false")
PY
}

# lines FILE: the number of lines.
lines() { wc -l <"$1" | tr -d ' '; }
