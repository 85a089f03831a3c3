#!/usr/bin/python3
"""A numeric CSV for the CSV loading benchmark (BENCHMARKS.md, "CSV loading"):
a header, then ROWS rows of 28 float features (HIGGS-like magnitudes, written
with 7 significant digits as HIGGS's CSV is) and an integer label 0/1 last.
Deterministic (--seed). About 300 bytes a row: 600000 rows are ~180 MB.

    /usr/bin/python3 bench/make_csv.py --rows 600000 --out /tmp/higgs.csv
"""
import argparse
import sys

import numpy as np


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=600000)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    if args.rows < 1:
        sys.exit("make_csv.py: --rows must be >= 1")
    rng = np.random.default_rng(args.seed)
    header = ",".join([f"f{j}" for j in range(28)] + ["label"])
    with open(args.out, "w", encoding="ascii", newline="\n") as f:
        f.write(header + "\n")
        chunk = 100000
        for start in range(0, args.rows, chunk):
            n = min(chunk, args.rows - start)
            x = rng.standard_normal((n, 28)).astype(np.float32)
            x[:, ::3] = np.abs(x[:, ::3]) * 1.5  # some positive-only columns, as HIGGS's momenta
            y = (x[:, 0] + 0.5 * x[:, 1] - 0.3 * x[:, 5] + 0.2 * rng.standard_normal(n) > 1.2).astype(np.int64)
            np.savetxt(f, np.column_stack([x, y]), fmt=["%.7g"] * 28 + ["%d"], delimiter=",")


if __name__ == "__main__":
    main()
