"""The cost model of docs/distributed.md: predicted data-parallel efficiency for p nodes.

  step(p)     = compute(B) / p + allreduce(p)            (Plexus does not overlap the two)
  allreduce(p)= 2 (p-1)/p * bytes / bandwidth + 2 (p-1) * latency     (ring allreduce)
  efficiency  = compute(B) / (p * step(p))               (1 = perfect scaling)

compute(B) is the measured time of one training step of the whole global batch B on one
node (linear in B: the per-row cost measured at B = 128); bytes = 4 * parameters.
Usage: python3 bench/distributed_cost_model.py [STEP_MS_AT_128] [LATENCY_US]
"""
import sys

step_ms_128 = float(sys.argv[1]) if len(sys.argv) > 1 else 15.3   # workload M, 1 thread, measured
latency_us = float(sys.argv[2]) if len(sys.argv) > 2 else 20.0    # assumed per message (TCP over Ethernet)
models = {"M (535,818 params)": 535818, "S (seed, 82 params)": 82}
nodes = [2, 4, 8, 16, 32, 64]
for name, params in models.items():
    for batch in ([128, 1024] if params > 1000 else [8]):
        if params > 1000:
            compute = step_ms_128 * batch / 128 / 1e3
        else:
            compute = 3.35e-6 * batch / 8  # S: 3.35 us per step of 8 rows (BENCHMARKS.md, train_step_seed)
        print(f"\n{name}, global batch {batch}: compute per step on one node {compute * 1e3:.4g} ms")
        print("| link | " + " | ".join(f"{p} nodes" for p in nodes) + " |")
        print("|---|" + "---|" * len(nodes))
        for gbit in [10, 25, 100]:
            row = []
            for p in nodes:
                ar = 2 * (p - 1) / p * params * 4 * 8 / (gbit * 1e9) + 2 * (p - 1) * latency_us * 1e-6
                row.append(f"{compute / (p * (compute / p + ar)):.2f}")
            print(f"| {gbit} Gb/s | " + " | ".join(row) + " |")
