"""compare.py ONE TWO_A TWO_B: ONE (1 process) and TWO_A (2 ranks) agree within 1e-5
relative on every log and prediction; TWO_A and TWO_B (two 2-rank runs) are identical."""
import json
import sys

one, two_a, two_b = (json.load(open(p)) for p in sys.argv[1:4])
assert one["ranks"] == 1 and two_a["ranks"] == 2, (one["ranks"], two_a["ranks"])
assert one["epoch"] == [0, 1, 2] and two_a["epoch"] == one["epoch"], (one["epoch"], two_a["epoch"])


def values(run):
    out = []
    for key in sorted(run["logs"]):
        out += [(key, i, v) for i, v in enumerate(run["logs"][key])]
    out += [("prediction", i, v) for i, row in enumerate(run["predictions"]) for v in row]
    return out


a, b, c = values(one), values(two_a), values(two_b)
assert [k[:2] for k in a] == [k[:2] for k in b], "the logs differ in their keys or lengths"
worst = max((abs(x - y) / max(abs(x), 1e-3), k, i) for (k, i, x), (_, _, y) in zip(a, b))
print("1 vs 2 ranks: worst relative difference %.3g (%s[%d]) over %d values" % (worst[0], worst[1], worst[2], len(a)))
assert worst[0] <= 1e-5, "2 ranks differ from 1 process by more than 1e-5 (relative)"
changed = sum(1 for (k, i, x), (_, _, y) in zip(a, b) if x != y)
print("values not bit-identical between 1 and 2 ranks: %d (float summation order)" % changed)
assert b == c, "two 2-rank runs differ"
print("two 2-rank runs: bit-identical")
