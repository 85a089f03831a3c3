# plexus.distributed from Python: `mpirun -np 2 python3 script.py` gives the same history,
# predictions and doctor findings as the script alone (1e-5 relative), only rank 0 shows
# progress, and plexus.distributed.sweep spreads 4 trials over both ranks with the same
# results as alone. $1 (TRAIN in lib.sh) is the Python interpreter; PYTHONPATH is set by ctest.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
PYTHON=$TRAIN
run_ok "$PYTHON" "$HERE/python_fit.py" one.json
run_ok mpi2 -- "$PYTHON" "$HERE/python_fit.py" two.json
[[ $(grep -c "^Epoch 1/4" out.txt) == 1 ]] || fail "expected one progress display (rank 0's), got $(grep -c "^Epoch 1/4" out.txt)"
python3 - one.json two.json <<'PY' || fail "the 2-rank Python run differs from the 1-process run"
import json, sys
one, two = (json.load(open(p)) for p in sys.argv[1:])
assert one["world"] == [0, 1, False] and two["world"] == [0, 2, True], (one["world"], two["world"])
assert one["epoch"] == two["epoch"] == [0, 1, 2, 3]
worst = 0.0
for k in one["history"]:
    for x, y in zip(one["history"][k], two["history"][k]):
        worst = max(worst, abs(x - y) / max(abs(x), 1e-3))
for r, s in zip(one["predictions"], two["predictions"]):
    for x, y in zip(r, s):
        worst = max(worst, abs(x - y) / max(abs(x), 1e-3))
print("python: 1 vs 2 ranks: worst relative difference %.3g" % worst)
assert worst <= 1e-5
a, b = one["sweep"], two["sweep"]
assert [r["index"] for r in a] == [r["index"] for r in b] == [0, 1, 2, 3], (a, b)
assert {r["rank"] for r in b} == {0, 1}, [r["rank"] for r in b]
for r, s in zip(a, b):
    assert r["ok"] and s["ok"] and r["config"] == s["config"], (r, s)
    assert abs(r["best"] - s["best"]) <= 1e-6 * max(1.0, abs(r["best"])), (r, s)
PY
[[ -f two.json.sweep/leaderboard.csv && $(wc -l < two.json.sweep/leaderboard.csv) == 5 ]] ||
    fail "the sweep's leaderboard is missing or has not 4 trials"
python3 "$HERE/compare_findings.py" one.json two.json model.dead_units model.vanishing_gradients
echo "plexus.distributed under mpirun: ok"
