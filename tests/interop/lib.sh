# Helpers for the Keras import / ONNX export tests (sourced after the CLI
# tests' lib.sh conventions: bash SCRIPT PLEXUS_BINARY WORKDIR [ARGS...]).
# A test whose tools are missing exits 77, which ctest reports as skipped.
source "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"
INTEROP_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
JS_SRC=$(cd "$INTEROP_DIR/../js" && pwd)

skip() {
    echo "SKIP: $*"
    exit 77
}

# need_python MODULE...: Debian's /usr/bin/python3 with these modules, or skip.
need_python() {
    [[ -x /usr/bin/python3 ]] || skip "/usr/bin/python3 is missing (apt-get install python3)"
    local m
    for m in "$@"; do
        /usr/bin/python3 -c "import $m" 2>/dev/null || skip "/usr/bin/python3 lacks the module '$m' (apt-get install python3-$m)"
    done
}

# use_node_modules BUILD_JS_DIR: sets NODE_PATH to tests/js/node_modules, or
# installs the locked packages (package-lock.json) into BUILD_JS_DIR with `npm ci`
# (npm's cache first, then the registry), or skips.
use_node_modules() {
    command -v node >/dev/null || skip "node is not installed (apt-get install nodejs npm)"
    if [[ -d $JS_SRC/node_modules/onnxruntime-node && -d $JS_SRC/node_modules/@tensorflow/tfjs-layers ]]; then
        export NODE_PATH=$JS_SRC/node_modules
        return
    fi
    local dir=$1
    mkdir -p "$dir"
    (
        flock 9
        if [[ ! -d $dir/node_modules/onnxruntime-node ]]; then
            cp "$JS_SRC/package.json" "$JS_SRC/package-lock.json" "$dir/"
            (cd "$dir" && ONNXRUNTIME_NODE_INSTALL=skip npm ci --prefer-offline --no-audit --no-fund >npm.log 2>&1) || exit 1
        fi
    ) 9>"$dir/.lock" || skip "no tests/js/node_modules and \`npm ci\` failed (see $dir/npm.log); fix: (cd tests/js && ONNXRUNTIME_NODE_INSTALL=skip npm ci)"
    export NODE_PATH=$dir/node_modules
}

# predict_json MODEL INPUTS.npy OUT.json: plexus predict's JSON for the rows of INPUTS.
predict_json() {
    run_ok predict --model "$1" --data "$2" --json
    cp out.txt "$3"
}

# agree EXPECTED.json ACTUAL.json LABEL: |diff| <= 1e-5 + 1e-5|y| everywhere (tests/js/compare.js).
agree() {
    node "$JS_SRC/compare.js" "$1" "$2" "$3" || fail "$3: outputs differ"
}
