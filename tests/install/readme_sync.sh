# The README's C++ example is examples/readme_example.cpp, verbatim from its
# first #include on (the file's opening comment is not shown).
# Usage: bash readme_sync.sh SOURCE_DIR
set -euo pipefail
SRC=${1:?source dir}
shown=$(awk '/^## The C\+\+ API/{f=1} f&&/^```cpp/{p=1; next} p&&/^```/{exit} p' "$SRC/README.md")
file=$(sed -n '/^#include/,$p' "$SRC/examples/readme_example.cpp")
if [[ "$shown" != "$file" ]]; then
    diff <(echo "$shown") <(echo "$file") >&2 || true
    echo "FAIL: README.md's C++ example differs from examples/readme_example.cpp (diff above: README < > file)" >&2
    exit 1
fi
echo ok
