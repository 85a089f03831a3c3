"""The cost model of docs/distributed.md: predicted data-parallel efficiency for p nodes.

  step(p)     = compute(B) / p + allreduce(p)            (Plexus does not overlap the two)
  allreduce(p)= 2 (p-1)/p * bytes / bandwidth + 2 (p-1) * latency     (ring allreduce)
  efficiency  = compute(B) / (p * step(p))               (1 = perfect scaling)

compute(B) is the measured time of one training step of the whole global batch B on one
node, taken as linear in B; bytes = 4 * parameters.
Usage: python3 bench/distributed_cost_model.py [--m-step-ms MS] [--tabular-step-ms MS] [--latency-us US]
  --m-step-ms: workload M's step at batch 128 (784-512-256-10, 535,818 parameters)
  --tabular-step-ms: the tabular workload's step at batch 512 (28-300-300-300-2, 189,902
    parameters; bench/make_tabular.py's data)
Both defaults are the 1-rank x 1-thread medians of docs/distributed.md; a node with more
cores computes faster: pass its measured step times.
"""
import argparse

ap = argparse.ArgumentParser()
ap.add_argument("--m-step-ms", type=float, default=15.3)        # workload M, batch 128, 1 thread, measured
ap.add_argument("--tabular-step-ms", type=float, default=11.8)  # tabular, batch 512, 1 thread, measured
ap.add_argument("--latency-us", type=float, default=20.0)       # assumed per message (TCP over Ethernet)
args = ap.parse_args()

# name: (parameters, measured batch, step ms at that batch, global batches to model)
models = {"M (535,818 params)": (535818, 128, args.m_step_ms, [128, 1024]),
          "S (seed, 82 params)": (82, 8, 3.35e-3, [8])}  # S: 3.35 us per step of 8 rows (BENCHMARKS.md)
if args.tabular_step_ms:
    models["tabular (189,902 params)"] = (189902, 512, args.tabular_step_ms, [512, 4096])
nodes = [2, 4, 8, 16, 32, 64]
for name, (params, measured_batch, step_ms, batches) in models.items():
    for batch in batches:
        compute = step_ms * batch / measured_batch / 1e3
        print(f"\n{name}, global batch {batch}: compute per step on one node {compute * 1e3:.4g} ms")
        print("| link | " + " | ".join(f"{p} nodes" for p in nodes) + " |")
        print("|---|" + "---|" * len(nodes))
        for gbit in [10, 25, 100]:
            row = []
            for p in nodes:
                ar = 2 * (p - 1) / p * params * 4 * 8 / (gbit * 1e9) + 2 * (p - 1) * args.latency_us * 1e-6
                row.append(f"{compute / (p * (compute / p + ar)):.2f}")
            print(f"| {gbit} Gb/s | " + " | ".join(row) + " |")
