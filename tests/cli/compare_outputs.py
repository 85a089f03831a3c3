"""Compares an output file of `plexus` with its golden copy: numbers (in JSON,
CSV, SVG or text) within a relative and absolute tolerance, everything else
exactly. Fields that differ on every run (timings, dates, the command line,
paths) are skipped. Usage: compare_outputs.py GOLDEN ACTUAL; exit 1 with the
first difference."""
import json
import re
import sys

TOLERANCE = 1e-5
VOLATILE_KEYS = {"timing", "created_utc", "command", "library_version"}
NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")


def close(a, b):
    return abs(a - b) <= TOLERANCE * max(1.0, abs(a), abs(b))


def compare_json(g, a, where):
    if isinstance(g, dict) and isinstance(a, dict):
        keys = (set(g) | set(a)) - VOLATILE_KEYS
        for k in sorted(keys):
            if k not in g or k not in a:
                return f"{where}.{k}: present in only one file"
            r = compare_json(g[k], a[k], f"{where}.{k}")
            if r:
                return r
        return None
    if isinstance(g, list) and isinstance(a, list):
        if len(g) != len(a):
            return f"{where}: {len(g)} items, now {len(a)}"
        for i, (x, y) in enumerate(zip(g, a)):
            r = compare_json(x, y, f"{where}[{i}]")
            if r:
                return r
        return None
    if isinstance(g, (int, float)) and isinstance(a, (int, float)) and not isinstance(g, bool):
        return None if close(float(g), float(a)) else f"{where}: {g} != {a}"
    if isinstance(g, str) and isinstance(a, str):
        return compare_text(g, a, where)
    return None if g == a else f"{where}: {g!r} != {a!r}"


def compare_text(g, a, where):
    gs, as_ = NUMBER.split(g), NUMBER.split(a)
    gn, an = NUMBER.findall(g), NUMBER.findall(a)
    if gs != as_ or len(gn) != len(an):
        return f"{where}: text differs: {g[:200]!r} vs {a[:200]!r}"
    for x, y in zip(gn, an):
        if not close(float(x), float(y)):
            return f"{where}: {x} != {y}"
    return None


def main():
    golden, actual = sys.argv[1], sys.argv[2]
    with open(golden, encoding="utf-8") as f:
        g = f.read()
    with open(actual, encoding="utf-8") as f:
        a = f.read()
    if golden.endswith(".json"):
        r = compare_json(json.loads(g), json.loads(a), "$")
    else:
        r = None
        gl, al = g.splitlines(), a.splitlines()
        if len(gl) != len(al):
            r = f"{len(gl)} lines, now {len(al)}"
        for i, (x, y) in enumerate(zip(gl, al)):
            r = r or compare_text(x, y, f"line {i + 1}")
    if r:
        print(f"{actual}: {r}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
