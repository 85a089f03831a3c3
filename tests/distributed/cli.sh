# The command line under mpirun: `plexus train` on 2 ranks equals 1 process
# (1e-5 relative), a 2-rank run resumes alone, and `plexus sweep` spreads its
# trials over the ranks with the same leaderboard as alone.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
PLEXUS=$TRAIN
ARGS=(--data moons --samples 300 --layers 16,16 --optimizer sgd --lr 0.1 --batch-size 32 --seed 3 --verbose 0)

close_runs() {  # close_runs A B: histories within 1e-5 relative
    python3 - "$1/report.json" "$2/report.json" <<'PY' || fail "$2 differs from $1"
import json, sys
a, b = (json.load(open(p))["history"] for p in sys.argv[1:])
assert a["epoch"] == b["epoch"], (a["epoch"], b["epoch"])
for k in a:
    for x, y in zip(a[k], b[k]):
        assert abs(x - y) <= 1e-5 * max(1.0, abs(x)), (k, x, y)
PY
}

run_ok "$PLEXUS" train "${ARGS[@]}" --epochs 3 --out one
run_ok mpi2 -- "$PLEXUS" train "${ARGS[@]}" --epochs 3 --out two
[[ -f two/model.plexus && -f two/report.json ]] || fail "the 2-rank run wrote no run folder"
close_runs one two

# Checkpoints work across a change of N: 2 ranks for 2 epochs, then 1 process to 3.
run_ok mpi2 -- "$PLEXUS" train "${ARGS[@]}" --epochs 2 --out r
run_ok "$PLEXUS" train --resume r --epochs 3 --verbose 0
close_runs one r

GRID='lr=0.01,0.1;layers=8|16,16;activation=tanh,relu'
run_ok "$PLEXUS" sweep --data moons --samples 200 --epochs 3 --seed 1 --grid "$GRID" --out alone
run_ok mpi2 -- "$PLEXUS" sweep --data moons --samples 200 --epochs 3 --seed 1 --grid "$GRID" --out spread
python3 - alone/leaderboard.csv spread/leaderboard.csv <<'PY' || fail "the 2-rank sweep's leaderboard differs"
import csv, sys
a, b = ({r["trial"]: r for r in csv.DictReader(open(p))} for p in sys.argv[1:])
assert len(a) == len(b) == 8, (len(a), len(b))
ranks = {r["rank"] for r in b.values()}
assert ranks == {"0", "1"}, ranks
for t in a:
    x, y = float(a[t]["best_val_loss"]), float(b[t]["best_val_loss"])
    assert abs(x - y) <= 1e-6 * max(1, abs(x)), (t, x, y)
PY
[[ $(ls -d spread/trial-* | wc -l) == 8 ]] || fail "the sweep wrote $(ls -d spread/trial-* | wc -l) trial runs"
echo "cli under mpirun: ok"
