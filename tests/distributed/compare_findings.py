"""compare_findings.py ONE TWO [KEY...]: the doctor's findings of two runs (report.json of
`plexus train`, or the JSON of tests/distributed/python_fit.py) agree: the same ids in the
same order and every number of their evidence within 1e-5 relative. Each KEY must be
among the ids of ONE (the test's case must make those findings fire)."""
import json
import sys

one, two = (json.load(open(p)) for p in sys.argv[1:3])
expected = sys.argv[3:]
a, b = one["findings"], two["findings"]
ids_a, ids_b = [f["id"] for f in a], [f["id"] for f in b]
print("findings of 1 process:", ids_a)
assert ids_a == ids_b, f"2 ranks found {ids_b}, 1 process {ids_a}"
for key in expected:
    assert key in ids_a, f"the case should make {key} fire; it found {ids_a}"

worst = [0.0, ""]


def close(x, y, where):
    if isinstance(x, dict):
        assert isinstance(y, dict) and sorted(x) == sorted(y), (where, x, y)
        for k in x:
            close(x[k], y[k], f"{where}.{k}")
    elif isinstance(x, list):
        assert isinstance(y, list) and len(x) == len(y), (where, x, y)
        for i, (u, v) in enumerate(zip(x, y)):
            close(u, v, f"{where}[{i}]")
    elif isinstance(x, (int, float)) and not isinstance(x, bool):
        assert isinstance(y, (int, float)), (where, x, y)
        d = abs(x - y) / max(abs(x), 1e-3)
        if d > worst[0]:
            worst[:] = [d, where]
        assert d <= 1e-5, f"{where}: 1 process {x}, 2 ranks {y} (relative difference {d:.3g})"
    else:
        assert x == y, f"{where}: 1 process {x!r}, 2 ranks {y!r}"


for f, g in zip(a, b):
    close(f["evidence"], g["evidence"], f["id"])
    assert f.get("epoch") == g.get("epoch"), (f["id"], f.get("epoch"), g.get("epoch"))
print("findings: %d equal; worst relative difference of the evidence %.3g (%s)" % (len(a), worst[0], worst[1]))
