"""Python vs C++, and the portable extension vs a native one (issue 12's speed targets).

    bench/python/python_vs_cpp.py --data DIR [--rounds 5] [--build build] [--portable PYDIR] [--rows 1000000]

(a) seed: fit on the seed (300 epochs, batch 8, validation_split 0.2 tail, doctor on), the native API
    (tests/python/conftest.py: examples/seed_curves.cpp's model and data) vs build/examples/seed_curves
    (its History::train_seconds). Python's number is the wall time of the whole fit() call.
(b) predict: one predict() on ROWS rows of workload M (DIR/m_X.npy from bench/make_m_npy.py, its rows
    repeated in order) with a 784-512-256-10 relu/softmax network, batch 256, vs build/bench/predict_bench
    (one Sequential::predict call). The output allocation is inside both calls.
(c) each Python measurement with the native extension (BUILD/python, built with -march=native) and,
    given --portable, with a portable one (the default `pip install .`: PLEXUS_NATIVE=OFF).
Every round runs every variant once, in turn (interleaved), each in a fresh process.
Prints medians and ranges, and the same-round ratios.
"""
import argparse
import os
import pathlib
import re
import statistics
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve()
REPO = HERE.parents[2]


def worker(kind, data, rows):
    sys.path.insert(0, str(REPO / "tests" / "python"))
    import numpy as np
    import plexus
    if kind == "seed":
        from conftest import seed_data, seed_model
        x, y = seed_data()
        model = seed_model(plexus)
        start = time.perf_counter()
        model.fit(x, y, epochs=300, batch_size=8, validation_split=0.2, split="tail", seed=0, verbose=0)
        print(time.perf_counter() - start)
        return
    m = np.load(os.path.join(data, "m_X.npy"))
    x = np.resize(m, (rows, m.shape[1]))  # rows repeated in order, float32 C-contiguous
    del m
    model = plexus.Sequential()
    model.add(plexus.Dense(512, activation="relu", input_dim=x.shape[1]))
    model.add(plexus.Dense(256, activation="relu"))
    model.add(plexus.Dense(10, activation="softmax"))
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", seed=1)
    model.predict(x[:1024])  # build and warm up, as predict_bench does
    start = time.perf_counter()
    out = model.predict(x)
    print(time.perf_counter() - start)
    assert out.shape == (rows, 10)


def run(cmd, env=None):
    return subprocess.run(cmd, capture_output=True, text=True, check=True, env=env).stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True, help="folder with m_X.npy (bench/make_m_npy.py)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--build", default="build")
    ap.add_argument("--portable", help="PYTHONPATH of a portable (PLEXUS_NATIVE=OFF) extension")
    ap.add_argument("--rows", type=int, default=10**6)
    ap.add_argument("--worker", choices=["seed", "predict"])
    args = ap.parse_args()
    if args.worker:
        worker(args.worker, args.data, args.rows)
        return
    build = pathlib.Path(args.build).resolve()
    pythons = {"native": str(build / "python")}
    if args.portable:
        pythons["portable"] = str(pathlib.Path(args.portable).resolve())
    results = {}

    def add(name, value):
        results.setdefault(name, []).append(value)

    for r in range(args.rounds):
        out = run([str(build / "examples" / "seed_curves")])
        add("seed C++", float(re.findall(r"\(([0-9.]+) s\)", out)[0]))  # the tail-split fit
        for tag, path in pythons.items():
            env = dict(os.environ, PYTHONPATH=path)
            add(f"seed Python ({tag})", float(run([sys.executable, str(HERE), "--worker", "seed", "--data", args.data], env)))
        out = run([str(build / "bench" / "predict_bench"), os.path.join(args.data, "m_X.npy"), "--rows", str(args.rows),
                   "--rounds", "1"])
        add("predict C++", float(re.findall(r"predict_seconds ([0-9.]+)", out)[0]))
        for tag, path in pythons.items():
            env = dict(os.environ, PYTHONPATH=path)
            add(f"predict Python ({tag})", float(run([sys.executable, str(HERE), "--worker", "predict", "--data", args.data,
                                                       "--rows", str(args.rows)], env)))
        print(f"round {r + 1}: " + ", ".join(f"{k} {v[-1]:.4f}" for k, v in results.items()), flush=True)

    med = statistics.median
    print(f"\n{args.rounds} rounds, medians [min-max] in seconds")
    for k, v in results.items():
        print(f"  {k:28s} {med(v):.4f}  [{min(v):.4f}-{max(v):.4f}]")

    def ratio(a, b):
        rs = [x / y for x, y in zip(results[a], results[b])]
        print(f"  {a} / {b}: median {med(rs):.3f} [{min(rs):.3f}-{max(rs):.3f}] (same-round)")

    print("ratios")
    for tag in pythons:
        ratio(f"seed Python ({tag})", "seed C++")
        ratio(f"predict Python ({tag})", "predict C++")
    if "portable" in pythons:
        ratio("seed Python (portable)", "seed Python (native)")
        ratio("predict Python (portable)", "predict Python (native)")


if __name__ == "__main__":
    main()
