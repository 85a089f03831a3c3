# Ranks that would train different models (here: different seeds, so different weights
# and splits) stop before the first step with one clear error instead of training nonsense.
source "$(dirname "$0")/lib.sh"
rc=0
"$MPIRUN" --allow-run-as-root --oversubscribe -np 1 "$TRAIN" --seed 1 : -np 1 "$TRAIN" --seed 2 >out.txt 2>err.txt || rc=$?
cat err.txt
((rc != 0)) || fail "ranks with different seeds trained"
grep -q "the ranks disagree on the" err.txt || fail "no message saying that the ranks disagree"
