"""fit on the seed (300 epochs, batch 8, validation_split 0.2, doctor on) from Python vs the C++ example.

    PYTHONPATH=build/python /usr/bin/python3 bench/python/seed_fit.py [--rounds 7] [--build build]

Per round: build/examples/seed_curves (C++; its "(N s)" is History::train_seconds of the tail-split fit)
and the same fit from Python: the wall time of the whole fit() call (array copy, split, doctor, history
conversion) and the History's train_seconds. Prints medians and the ratio Python/C++.
"""
import argparse
import math
import pathlib
import re
import statistics
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "tests" / "python"))
import plexus  # noqa: E402
from conftest import seed_data, seed_model  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--build", default="build")
    args = parser.parse_args()
    exe = pathlib.Path(args.build) / "examples" / "seed_curves"
    x, y = seed_data()
    cpp, py_wall, py_train = [], [], []
    for _ in range(args.rounds):
        out = subprocess.run([str(exe)], capture_output=True, text=True, check=True).stdout
        cpp.append(float(re.findall(r"\(([0-9.]+) s\)", out)[0]))  # the tail-split run
        model = seed_model(plexus)
        start = time.perf_counter()
        h = model.fit(x, y, epochs=300, batch_size=8, validation_split=0.2, split="tail", seed=0, verbose=0)
        py_wall.append(time.perf_counter() - start)
        py_train.append(h.train_seconds)
        assert not math.isnan(h.history["val_accuracy"][-1])
    med = statistics.median
    print(f"rounds: {args.rounds}")
    print(f"C++ seed_curves fit (train_seconds):  median {med(cpp):.4f} s  [{min(cpp):.4f}-{max(cpp):.4f}]")
    print(f"Python fit() wall time:               median {med(py_wall):.4f} s  [{min(py_wall):.4f}-{max(py_wall):.4f}]")
    print(f"Python fit (train_seconds):           median {med(py_train):.4f} s  [{min(py_train):.4f}-{max(py_train):.4f}]")
    print(f"ratio Python wall / C++:  {med(py_wall) / med(cpp):.3f}")
    print(f"ratio Python train_seconds / C++:  {med(py_train) / med(cpp):.3f}")
    ratios = [p / c for p, c in zip(py_wall, cpp)]
    print(f"same-round ratios (wall/C++): median {med(ratios):.3f} [{min(ratios):.3f}-{max(ratios):.3f}]")
    grid = np.random.default_rng(0).uniform(-3, 3, size=(10**6, 2)).astype(np.float32)
    start = time.perf_counter()
    model.predict(grid)
    print(f"predict on 10^6 rows from Python: {time.perf_counter() - start:.4f} s (zero-copy input, one output Matrix)")


if __name__ == "__main__":
    main()
