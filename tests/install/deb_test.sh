# `cpack -G DEB` packs the installed tree into a .deb whose metadata and contents
# are right, and whose plexus command runs (unpacked into a folder: nothing is
# installed on the system). Usage: bash deb_test.sh BUILD_DIR WORK_DIR
set -euo pipefail
BUILD=$(cd "${1:?build dir}" && pwd)
WORK=${2:?work dir}
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK"
fail() { echo "FAIL: $*" >&2; exit 1; }
cpack -G DEB --config "$BUILD/CPackConfig.cmake" -B "$WORK" >cpack.log 2>&1 || { cat cpack.log; fail "cpack -G DEB"; }
deb=$(ls "$WORK"/plexus_*.deb 2>/dev/null | head -1)
[[ -n $deb ]] || { cat cpack.log; fail "cpack made no plexus_*.deb"; }
dpkg-deb -f "$deb" Package | grep -qx plexus || fail "package name"
depends=$(dpkg-deb -f "$deb" Depends)
for dep in libcairo2 libfmt-dev; do  # the command's library and plexus::run's
    grep -q "$dep" <<<"$depends" || fail "Depends lacks $dep: $depends"
done
dpkg-deb -c "$deb" >contents.txt
for f in ./usr/bin/plexus ./usr/include/plexus/plexus.hpp ./usr/include/plexus/run/pipeline.hpp \
         ./usr/lib/cmake/plexus/plexusConfig.cmake ./usr/lib/pkgconfig/plexus.pc ./usr/lib/pkgconfig/plexus-run.pc \
         ./usr/lib/libplexus_run.a ./usr/lib/libplexus_interop.a; do
    grep -qF " $f" contents.txt || fail "the .deb lacks $f"
done
dpkg-deb -x "$deb" root
root/usr/bin/plexus --version | grep -q '0\.' || fail "the packaged plexus does not run"
echo ok
