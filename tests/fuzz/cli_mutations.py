#!/usr/bin/env python3
"""Mutation runs of the `plexus` command on hostile files (issue 16's probe, repeatable).

For each format (csv, npy, model, spec) it takes valid seed files, applies random mutations
(bit flips, byte overwrites with boundary values, insertions, deletions, truncation, chunk
duplication, number swaps in text) and runs the command that reads that format, each under a
time limit and an address-space cap. A case passes when the command exits 0 or 2 (a clear
error) within the limit; it fails on a crash (a signal), a hang, exit 1 (an internal error) or
any other code, and on an exit-2 message that is not one line starting with "plexus: error: ".

    cli_mutations.py PLEXUS WORKDIR [--cases N] [--seed S] [--formats csv,npy,model,spec]

Prints one line per format and a JSON summary; exit 1 if any case failed (the failing inputs
are kept in WORKDIR/failures/).
"""
import argparse
import json
import os
import random
import resource
import shutil
import struct
import subprocess
import sys
import time

TIMEOUT_S = 10
MEMORY_BYTES = 4 << 30
BOUNDARY = [b"\x00", b"\xff", b"\x7f", b"\x80", b"\xfe\xff\xff\xff", b"\xff\xff\xff\x7f", b"\x00\x00\x80\x7f",
            b"\x00\x00\xc0\x7f", b"9" * 40, b"-", b"e9999", b"[" * 64, b"{" * 64, b'"', b"\n", b",", b"NaN", b"1e308"]


def mutate(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    for _ in range(rng.choice([1, 1, 1, 2, 3, 8])):
        op = rng.randrange(8)
        pos = rng.randrange(len(b) + 1) if b else 0
        if op == 0 and b:  # bit flip
            i = min(pos, len(b) - 1)
            b[i] ^= 1 << rng.randrange(8)
        elif op == 1:  # boundary value overwrite
            v = rng.choice(BOUNDARY)
            b[pos:pos + len(v)] = v
        elif op == 2:  # insertion
            b[pos:pos] = rng.choice(BOUNDARY) * rng.choice([1, 1, 4, 100])
        elif op == 3 and b:  # deletion
            del b[pos:pos + rng.choice([1, 4, 16, 256])]
        elif op == 4:  # truncation
            del b[pos:]
        elif op == 5 and b:  # duplicate a chunk
            n = rng.choice([8, 64, 512])
            b[pos:pos] = b[pos:pos + n] * rng.choice([2, 10])
        elif op == 6:  # a number in text made extreme
            digits = [i for i, c in enumerate(b) if 48 <= c <= 57]
            if digits:
                i = rng.choice(digits)
                b[i:i + 1] = rng.choice([b"99999999999", b"-1", b"0", b"1e300", b"4294967296", b"18446744073709551615"])
        else:  # random bytes
            b[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.choice([1, 8, 64])))
    return bytes(b)


def limit():
    if MEMORY_BYTES != resource.RLIM_INFINITY:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))


def run(cmd, cwd):
    start = time.monotonic()
    try:
        p = subprocess.run(cmd, cwd=cwd, capture_output=True, timeout=TIMEOUT_S, preexec_fn=limit)
    except subprocess.TimeoutExpired:
        return "hang", time.monotonic() - start, b""
    elapsed = time.monotonic() - start
    if p.returncode < 0:
        return f"signal {-p.returncode}", elapsed, p.stderr
    if p.returncode == 2:
        lines = p.stderr.decode("utf-8", "replace").strip().splitlines()
        if len(lines) != 1 or not lines[0].startswith("plexus: error: "):
            return "bad message", elapsed, p.stderr
        return "exit 2", elapsed, p.stderr
    if p.returncode == 0:
        return "exit 0", elapsed, p.stderr
    return f"exit {p.returncode}", elapsed, p.stderr


def make_seeds(plexus, work):
    """Valid files of every format, written by the command itself where it can."""
    seeds = os.path.join(work, "seeds")
    os.makedirs(seeds, exist_ok=True)
    rng = random.Random(1)
    with open(os.path.join(seeds, "data.csv"), "w") as f:
        f.write("x,y,colour,label\n")
        for i in range(60):
            f.write(f"{rng.uniform(-2, 2):.4f},{rng.gauss(0, 1):.4f},{rng.choice(['red', 'blue', ''])},{i % 3}\n")

    def npy(path, rows, cols, kind):
        header = "{'descr': '%s', 'fortran_order': False, 'shape': (%d,%s), }" % (
            "<f4" if kind == "f" else "<i8", rows, f" {cols}" if cols else "")
        header += " " * (63 - (len(header) + 10) % 64) + "\n"
        body = b"".join(struct.pack("<f", rng.uniform(-1, 1)) for _ in range(rows * cols)) if kind == "f" else \
            b"".join(struct.pack("<q", i % 2) for i in range(rows))
        with open(path, "wb") as f:
            f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + body)
    npy(os.path.join(seeds, "x.npy"), 40, 3, "f")
    npy(os.path.join(seeds, "y.npy"), 40, 0, "i")
    with open(os.path.join(seeds, "spec.json"), "w") as f:
        json.dump({"layers": [{"type": "Dense", "units": 8, "activation": "relu", "input_dim": 2},
                              {"type": "Dropout", "rate": 0.1},
                              {"type": "Dense", "units": 2, "activation": "softmax"}]}, f)
    subprocess.run([plexus, "train", "--data", "moons", "--samples", "80", "--layers", "6,4", "--epochs", "2",
                    "--standardize", "--verbose", "0", "--out", os.path.join(seeds, "run")], check=True,
                   capture_output=True)
    shutil.copy(os.path.join(seeds, "run", "model.plexus"), os.path.join(seeds, "model.plexus"))
    return seeds


FORMATS = {
    # format: (seed file, the command run on the mutated file M)
    "csv": ("data.csv", lambda m, s: ["doctor", "--data", m, "--target", "label"]),
    "npy": ("x.npy", lambda m, s: ["doctor", "--data", m, "--labels", os.path.join(s, "y.npy")]),
    "model": ("model.plexus", lambda m, s: ["predict", "--model", m, "--data", "moons", "--samples", "20"]),
    "spec": ("spec.json", lambda m, s: ["doctor", "--data", "moons", "--samples", "50", "--model-spec", m]),
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("plexus")
    ap.add_argument("work")
    ap.add_argument("--cases", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--formats", default="csv,npy,model,spec")
    ap.add_argument("--no-memory-cap", action="store_true",
                    help="no address-space cap (AddressSanitizer reserves terabytes of shadow memory)")
    a = ap.parse_args()
    global MEMORY_BYTES
    if a.no_memory_cap:
        MEMORY_BYTES = resource.RLIM_INFINITY
    plexus = os.path.abspath(a.plexus)
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(os.path.join(a.work, "failures"))
    seeds = make_seeds(plexus, a.work)
    summary, failed = {}, 0
    for fmt in a.formats.split(","):
        seed_name, command = FORMATS[fmt]
        original = open(os.path.join(seeds, seed_name), "rb").read()
        rng = random.Random(f"{a.seed}-{fmt}")
        counts, slowest = {}, 0.0
        case_dir = os.path.join(a.work, fmt)
        os.makedirs(case_dir)
        for case in range(a.cases):
            path = os.path.join(case_dir, "m" + os.path.splitext(seed_name)[1])
            with open(path, "wb") as f:
                f.write(mutate(original, rng))
            outcome, elapsed, stderr = run([plexus] + command(path, seeds), case_dir)
            counts[outcome] = counts.get(outcome, 0) + 1
            slowest = max(slowest, elapsed)
            if outcome not in ("exit 0", "exit 2"):
                failed += 1
                keep = os.path.join(a.work, "failures", f"{fmt}-{case}{os.path.splitext(seed_name)[1]}")
                shutil.copy(path, keep)
                print(f"  {fmt} case {case}: {outcome}: {stderr.decode('utf-8', 'replace')[-300:]!r} (kept {keep})")
        summary[fmt] = {"cases": a.cases, "outcomes": counts, "slowest_seconds": round(slowest, 2)}
        print(f"{fmt}: {a.cases} cases, {counts}, slowest {slowest:.2f} s")
    print(json.dumps(summary))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
