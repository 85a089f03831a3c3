# Installs the build into a fresh prefix and uses it as a stranger would: a CMake
# project with find_package(plexus), and a g++ command line with pkg-config, both
# compiling the README's example (examples/readme_example.cpp) WITHOUT
# -march=native, then running it. Also shows that a program compiled against the
# installed headers without the library's ABI definitions is stopped at link
# time (before issue 18 it linked and then aborted with "double free").
# Both ways also build tests/install/consumer/run_consumer.cpp against the run
# pipeline (plexus::run / plexus-run.pc), train moons with it and check the run
# folder it writes with the installed `plexus` command.
# Usage: bash install_test.sh BUILD_DIR SOURCE_DIR WORK_DIR
set -euo pipefail
BUILD=$(cd "${1:?build dir}" && pwd)
SRC=$(cd "${2:?source dir}" && pwd)
WORK=${3:?work dir}
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK"
WORK=$(pwd)
PREFIX=$WORK/prefix
EXAMPLE=$SRC/examples/readme_example.cpp

fail() { echo "FAIL: $*" >&2; exit 1; }

cmake --install "$BUILD" --prefix "$PREFIX" >install.log || { cat install.log; fail "cmake --install"; }
for f in include/plexus/plexus.hpp include/plexus/core/abi.hpp include/plexus/plot/model_plots.hpp lib/libplexus.a \
         lib/libplexus_plot.a lib/libplexus_interop.a lib/libplexus_run.a include/plexus/run/pipeline.hpp bin/plexus \
         lib/cmake/plexus/plexusConfig.cmake lib/cmake/plexus/plexusConfigVersion.cmake \
         lib/cmake/plexus/plexusTargets.cmake lib/pkgconfig/plexus.pc lib/pkgconfig/plexus-plot.pc \
         lib/pkgconfig/plexus-run.pc; do
    [[ -e $PREFIX/$f ]] || fail "cmake --install did not install $f"
done
if find "$PREFIX/include" -name '*.cpp' | grep -q .; then fail "sources installed as headers"; fi
"$PREFIX/bin/plexus" --version | grep -q '0\.' || fail "installed plexus --version"

# The user's own flags: optimised, no -march. ccache only for speed.
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

check_run() {  # check_run DIR BINARY: runs the example in DIR and checks what it prints and writes
    local dir=$1 bin=$2
    mkdir -p "$dir"
    (cd "$dir" && "$bin" >out.txt 2>err.txt) || { cat "$dir/out.txt" "$dir/err.txt"; fail "$bin exited non-zero"; }
    grep -q 'Total params' "$dir/out.txt" || grep -qi 'param' "$dir/out.txt" || fail "$bin: no model summary: $(cat "$dir/out.txt")"
    awk '/^accuracy /{gsub(",", "", $2); if ($2 + 0 >= 0.9) ok = 1} END {exit !ok}' "$dir/out.txt" ||
        fail "$bin: training accuracy below 0.9: $(grep accuracy "$dir/out.txt")"
    grep -q '^reloaded: 42 parameters' "$dir/out.txt" || fail "$bin: reload: $(tail -1 "$dir/out.txt")"
    [[ -s $dir/model.plexus ]] || fail "$bin wrote no model.plexus"
}

check_run_pipeline() {  # check_run_pipeline DIR BINARY: trains moons through plexus::run, checks the run folder
    local dir=$1 bin=$2
    mkdir -p "$dir"
    (cd "$dir" && "$bin" >run.txt 2>run-err.txt) || { cat "$dir/run.txt" "$dir/run-err.txt"; fail "$bin exited non-zero"; }
    grep -qx 'status completed' "$dir/run.txt" || fail "$bin: run not completed: $(cat "$dir/run.txt")"
    grep -qx 'epochs 60' "$dir/run.txt" || fail "$bin: expected 60 epochs: $(cat "$dir/run.txt")"
    awk '/^accuracy /{if ($2 + 0 >= 0.85) ok = 1} END {exit !ok}' "$dir/run.txt" ||
        fail "$bin: moons training accuracy below 0.85: $(grep accuracy "$dir/run.txt")"
    for f in model.plexus report.json history.csv; do
        [[ -s $dir/moons-run/$f ]] || fail "$bin wrote no moons-run/$f"
    done
    # 60 epochs + the header in history.csv; the installed command reads the model back.
    [[ $(wc -l <"$dir/moons-run/history.csv") -eq 61 ]] || fail "$bin: history.csv has $(wc -l <"$dir/moons-run/history.csv") lines"
    "$PREFIX/bin/plexus" summary --model "$dir/moons-run/model.plexus" >"$dir/summary.txt" 2>&1 ||
        { cat "$dir/summary.txt"; fail "the installed plexus cannot read the model $bin wrote"; }
    grep -q '^Task: *classification, 2 classes' "$dir/summary.txt" && grep -q '^Epochs: *60 completed' "$dir/summary.txt" || fail "plexus summary of $bin's model: $(cat "$dir/summary.txt")"
}

# 1. CMake: find_package(plexus) and the exported targets.
cmake -S "$SRC/tests/install/consumer" -B cmake-build -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS="-O2" \
      -DCMAKE_PREFIX_PATH="$PREFIX" -DPLEXUS_EXAMPLE="$EXAMPLE" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON "${launcher[@]}" \
      >cmake-configure.log 2>&1 || { cat cmake-configure.log; fail "configuring the find_package consumer"; }
grep -q 'march' cmake-build/compile_commands.json && fail "the consumer was compiled with -march: $(grep -o -- '-march[^ ]*' cmake-build/compile_commands.json | head -1)"
grep -q 'EIGEN_MAX_ALIGN_BYTES=64' cmake-build/compile_commands.json || fail "plexus::plexus did not pass Eigen's alignment to the consumer"
cmake --build cmake-build -j2 >cmake-build.log 2>&1 || { cat cmake-build.log; fail "building the find_package consumer"; }
check_run run-cmake "$WORK/cmake-build/readme_example"
(cd run-cmake && "$WORK/cmake-build/plot_consumer" >plot.txt) || fail "plexus::plot consumer failed"
[[ -s run-cmake/curves.png ]] || fail "plexus::plot consumer drew nothing"
check_run_pipeline run-cmake "$WORK/cmake-build/run_consumer"

# 2. pkg-config.
export PKG_CONFIG_PATH=$PREFIX/lib/pkgconfig
cflags=$(pkg-config --cflags plexus) || fail "pkg-config --cflags plexus"
libs=$(pkg-config --libs plexus) || fail "pkg-config --libs plexus"
[[ $cflags == *EIGEN_MAX_ALIGN_BYTES=64* ]] || fail "plexus.pc's Cflags lack Eigen's alignment: $cflags"
[[ $cflags$libs != *march* ]] || fail "plexus.pc passes -march: $cflags $libs"
pkg-config --libs plexus-plot | grep -q -- '-lplexus_plot' || fail "plexus-plot.pc"
# shellcheck disable=SC2086
g++ -std=c++20 -O2 "$EXAMPLE" $cflags $libs -o example-pkgconfig 2>pkgconfig-build.log ||
    { cat pkgconfig-build.log; fail "compiling the README example with pkg-config"; }
check_run run-pkgconfig "$WORK/example-pkgconfig"
run_cflags=$(pkg-config --cflags plexus-run) || fail "pkg-config --cflags plexus-run"
run_libs=$(pkg-config --libs plexus-run) || fail "pkg-config --libs plexus-run"
[[ $run_libs == *-lplexus_run*-lplexus_interop*-lplexus_plot*-lplexus* ]] || fail "plexus-run.pc's Libs: $run_libs"
[[ $run_cflags$run_libs != *march* ]] || fail "plexus-run.pc passes -march: $run_cflags $run_libs"
# shellcheck disable=SC2086
g++ -std=c++20 -O2 "$SRC/tests/install/consumer/run_consumer.cpp" $run_cflags $run_libs -o run-consumer-pkgconfig \
    2>run-pkgconfig-build.log || { cat run-pkgconfig-build.log; fail "compiling run_consumer.cpp with pkg-config plexus-run"; }
check_run_pipeline run-pkgconfig "$WORK/run-consumer-pkgconfig"

# 3. The ABI trap is closed: the same program without the library's definitions
# (plain -I and -l, as before there was a .pc file) no longer links.
if g++ -std=c++20 -O2 "$EXAMPLE" -I"$PREFIX/include" -I/usr/include/eigen3 -L"$PREFIX/lib" -lplexus -lz -pthread \
       -o example-mismatch 2>mismatch.log; then
    fail "a program built without EIGEN_MAX_ALIGN_BYTES=64 linked against libplexus (it would corrupt the heap)"
fi
grep -q 'abi_float_align_16_static_16' mismatch.log || { cat mismatch.log; fail "the link error does not name the ABI mismatch"; }
echo ok
