#!/usr/bin/env python3
"""Writes a mixed-type classification table for the table tests (issue 19):
numeric columns on very different scales, text categories (one of them rare),
integer codes, and missing cells (empty, NA, ?), with a label that depends on
all of them. Standard library only, deterministic for a seed.

    python3 tests/data/make_mixed_table.py OUT.csv [ROWS] [SEED]
"""
import math
import random
import sys


def main():
    out = sys.argv[1]
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 4000
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 19)
    cities = ["Berlin", "Lisbon", "Oslo", "Paris", "Rome", "Vienna"]
    city_effect = {"Berlin": 1.0, "Lisbon": -1.0, "Oslo": 0.5, "Paris": -0.5, "Rome": 0.0, "Vienna": 1.5, "Tallinn": -2.0}
    plans = ["basic", "plus", "pro"]
    plan_effect = {"basic": -0.8, "plus": 0.2, "pro": 1.0}
    with open(out, "w") as f:
        f.write("age,income,city,plan,visits,region_code,score,label\n")
        for _ in range(rows):
            age = rng.gauss(40, 12)
            income = math.exp(rng.gauss(10.5, 0.5))           # thousands of units: needs scaling
            city = "Tallinn" if rng.random() < 0.01 else rng.choice(cities)  # a rare category
            plan = rng.choice(plans)
            visits = rng.randint(0, 20)
            region = rng.randint(1, 4)                         # integer codes: --categorical region_code
            score = rng.gauss(0, 1)
            z = (0.06 * (age - 40) + 1.2 * (math.log(income) - 10.5) + city_effect[city] + plan_effect[plan]
                 + 0.08 * (visits - 10) + (0.7 if region == 3 else -0.2) + 0.9 * score)
            label = "yes" if rng.random() < 1 / (1 + math.exp(-2.0 * z)) else "no"
            cells = [f"{age:.1f}", f"{income:.0f}", city, plan, str(visits), str(region), f"{score:.3f}"]
            # Missing cells: income and plan at random, score more often for "yes" (informative missingness).
            if rng.random() < 0.08:
                cells[1] = rng.choice(["", "NA"])
            if rng.random() < 0.05:
                cells[3] = rng.choice(["", "?"])
            if rng.random() < (0.15 if label == "yes" else 0.03):
                cells[6] = ""
            f.write(",".join(cells + [label]) + "\n")


if __name__ == "__main__":
    main()
