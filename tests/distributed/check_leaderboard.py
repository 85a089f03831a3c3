"""check_leaderboard.py DIR REFERENCE_DIR: checks DIR/leaderboard.csv (see sweep.sh)."""
import csv
import itertools
import json
import sys

directory, reference = sys.argv[1:3]
rows = list(csv.DictReader(open(directory + "/leaderboard.csv")))
ref = list(csv.DictReader(open(reference + "/leaderboard.csv")))
assert len(rows) == 8, "expected 8 rows, got %d" % len(rows)
assert sorted(int(r["trial"]) for r in rows) == list(range(8)), "every trial must appear once"
assert [r["place"] for r in rows] == [str(i) for i in range(1, 9)], "places must be 1..8"
assert all(r["status"] == "ok" for r in rows), [r["status"] for r in rows]
# The grid's combinations, last key fastest.
grid = list(itertools.product(["0.01", "0.1"], ["8", "16,16"], ["tanh", "relu"]))
best = [float(r["best_val_loss"]) for r in rows]
assert best == sorted(best), "rows must be ordered by best_val_loss, smallest first"
for r in rows:
    t = int(r["trial"])
    assert (r["lr"], r["layers"], r["activation"]) == grid[t], (t, r)
    history = json.load(open("%s/trial-%03d/history.json" % (directory, t)))
    losses = history["logs"]["val_loss"]
    assert float(r["best_val_loss"]) == float("%.9g" % min(losses)), (t, r["best_val_loss"], min(losses))
    assert int(r["best_epoch"]) == losses.index(min(losses)) and int(r["epochs"]) == len(losses) == 25
    assert r["run"] == "%s/trial-%03d" % (directory, t)
key = lambda r: (r["place"], r["trial"], r["lr"], r["layers"], r["activation"], r["best_val_loss"], r["best_epoch"],
                 r["findings"])
assert [key(r) for r in rows] == [key(r) for r in ref], "2 ranks and 1 process rank the trials differently"
ranks = sorted({r["rank"] for r in rows})
print("leaderboard ok; trials per rank:", {k: sum(r["rank"] == k for r in rows) for k in ranks})
assert ranks == ["0", "1"], "both ranks should have run trials, got ranks %s" % ranks
