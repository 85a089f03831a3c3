# Every subcommand's files equal those the command made before a change
# (tests/cli/golden/, made by make_golden.sh): same seed, same numbers within
# 1e-5 (float summation order may differ between CPUs), same text otherwise.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
GOLDEN=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/golden
source "$(dirname "$GOLDEN")/golden_runs.sh"
golden_runs
for f in "${GOLDEN_FILES[@]}"; do
    [[ -f $f ]] || fail "golden run did not write $f"
    python3 "$(dirname "$GOLDEN")/compare_outputs.py" "$GOLDEN/$f" "$f" || fail "$f differs from tests/cli/golden/$f"
done
echo "golden: ${#GOLDEN_FILES[@]} files match"
