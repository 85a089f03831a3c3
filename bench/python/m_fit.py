"""Workload M trained with `fit` from Python against the harness's torch peer, in the same rounds.

    PYTHONPATH=build/python /usr/bin/python3 bench/python/m_fit.py --data DIR --peers PEERS [--rounds 3]

DIR holds m_X.npy / m_y.npy (bench/make_m_npy.py); PEERS is a copy of ../shared/bench/peers (its
torch/bench.py, run as the harness's torch-tuned: OpenBLAS's own kernel detection, one OpenBLAS
thread, its malloc settings). Plexus: a fresh process loads the NPY files with numpy, builds
784-512-256-10 relu/softmax with Adam 1e-3 and sparse categorical cross-entropy, and times one
`model.fit(x, y, epochs=1, batch_size=128)` call (validation_split 0, doctor on, as a user calls
it); samples/s is 60,000 over the wall time of that call. torch: its own train_sps (one epoch of
469 steps after 2 warm-up steps). Every round runs both once, interleaved. Prints medians, ranges
and the same-round ratio.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time


def worker(data):
    import numpy as np
    import plexus
    x = np.load(os.path.join(data, "m_X.npy"))
    y = np.load(os.path.join(data, "m_y.npy")).astype(np.int64)
    model = plexus.Sequential()
    model.add(plexus.Dense(512, activation="relu", input_dim=x.shape[1]))
    model.add(plexus.Dense(256, activation="relu"))
    model.add(plexus.Dense(10, activation="softmax"))
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", seed=1)
    start = time.perf_counter()
    history = model.fit(x, y, epochs=1, batch_size=128, validation_split=0.0, verbose=0)
    wall = time.perf_counter() - start
    print(f"{len(x) / wall:.1f} {history.history['loss'][-1]:.4f}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--peers", required=True)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--worker", action="store_true")
    a = ap.parse_args()
    if a.worker:
        worker(a.data)
        return
    torch_env = dict(os.environ)
    for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        torch_env.pop(k, None)
    torch_env.update(OPENBLAS_NUM_THREADS="1", MALLOC_MMAP_THRESHOLD_="33554432", MALLOC_TRIM_THRESHOLD_="1073741824")
    plexus_sps, torch_sps, ratios = [], [], []
    for r in range(a.rounds):
        out = subprocess.run([sys.executable, __file__, "--worker", "--data", a.data, "--peers", a.peers],
                             capture_output=True, text=True, check=True).stdout.split()
        p = float(out[0])
        res = subprocess.run([sys.executable, "torch/bench.py", "--workload", "M"], cwd=a.peers, env=torch_env,
                             capture_output=True, text=True, check=True).stdout
        line = next(l for l in res.splitlines() if l.startswith("RESULT "))
        import json
        t = json.loads(line[7:])["train_sps"]
        plexus_sps.append(p)
        torch_sps.append(t)
        ratios.append(p / t)
        print(f"round {r + 1}: plexus fit {p:,.0f} samples/s (final loss {out[1]}), torch-tuned {t:,.0f}", flush=True)

    def fmt(v):
        return f"{statistics.median(v):,.2f} [{min(v):,.2f}-{max(v):,.2f}]"
    print(f"plexus fit from Python: {fmt(plexus_sps)} samples/s; torch-tuned: {fmt(torch_sps)}")
    print(f"plexus / torch-tuned, same round: {fmt(ratios)}")


if __name__ == "__main__":
    main()
