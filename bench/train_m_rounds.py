#!/usr/bin/python3
"""`plexus train` on workload M (NPY) against the kernel loop, in interleaved rounds.

    bench/train_m_rounds.py --data DIR --plexus NAME=BIN [--plexus NAME=BIN ...] \
        [--bench build/bench/plexus_bench] [--rounds 5] [--epochs 3]

DIR holds m_X.npy / m_y.npy (bench/make_m_npy.py) and the harness's m_X.f32 / m_y.u8
(for plexus_bench --data DIR). Each round runs every `plexus` binary once (each in a
fresh process, the issue's command: 784-512-256-10, Adam 1e-3, batch 128, no
validation split) and then `plexus_bench --workload M`. Per run it records
report.json's load/train/total seconds and seconds per epoch, the process wall time
and its peak RSS (wait4's ru_maxrss). Prints median [min-max] over rounds, and the
same-round ratio of per-epoch throughput (60000 / seconds_per_epoch) to
plexus_bench's train_sps.
"""
import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile

from measure import run  # bench/measure.py

ap = argparse.ArgumentParser()
ap.add_argument('--data', required=True)
ap.add_argument('--plexus', action='append', required=True, help='NAME=BINARY')
ap.add_argument('--bench', default='build/bench/plexus_bench')
ap.add_argument('--rounds', type=int, default=5)
ap.add_argument('--epochs', type=int, default=3)
args = ap.parse_args()


def train_cmd(binary, out):
    return [binary, 'train', '--data', os.path.join(args.data, 'm_X.npy'), '--labels', os.path.join(args.data, 'm_y.npy'),
            '--layers', '512,256', '--activation', 'relu', '--output', 'softmax', '--optimizer', 'adam', '--lr', '0.001',
            '--batch-size', '128', '--epochs', str(args.epochs), '--validation-split', '0', '--verbose', '0', '--out', out]


binaries = [p.split('=', 1) for p in args.plexus]
rows = {name: [] for name, _ in binaries}
bench = []
work = tempfile.mkdtemp(prefix='plexus-m-')
try:
    for r in range(args.rounds):
        for name, binary in binaries:
            out = os.path.join(work, f'{name}-{r}')
            _, wall, rss = run(train_cmd(binary, out))
            t = json.load(open(os.path.join(out, 'report.json')))['timing']
            rows[name].append(dict(load=t['load_seconds'], train=t['train_seconds'], total=t['total_seconds'],
                                   epoch=t['seconds_per_epoch'], wall=wall, rss=rss,
                                   sps=60000 / t['seconds_per_epoch']))
            shutil.rmtree(out)
        text, wall, rss = run([args.bench, '--workload', 'M', '--data', args.data])
        line = next(l for l in text.splitlines() if l.startswith('RESULT '))
        bench.append(json.loads(line[len('RESULT '):]))
        print(f'round {r + 1}: ' + ', '.join(f"{n} {rows[n][-1]['total']:.2f}s" for n, _ in binaries) +
              f", bench {bench[-1]['train_sps']:.0f} samples/s", file=sys.stderr)
finally:
    shutil.rmtree(work, ignore_errors=True)


def cell(values, fmt):
    return f'{fmt.format(statistics.median(values))} [{fmt.format(min(values))}–{fmt.format(max(values))}]'


print(f'rounds: {args.rounds}, epochs per run: {args.epochs}')
print('| binary | load_seconds | train_seconds | seconds_per_epoch | total_seconds | wall (s) | peak RSS (MiB) | '
      'train samples/s | / plexus_bench (same round) |')
print('|---|---|---|---|---|---|---|---|---|')
for name, _ in binaries:
    rs = rows[name]
    ratio = [x['sps'] / b['train_sps'] for x, b in zip(rs, bench)]
    print(f"| {name} | {cell([x['load'] for x in rs], '{:.2f}')} | {cell([x['train'] for x in rs], '{:.2f}')} | "
          f"{cell([x['epoch'] for x in rs], '{:.3f}')} | {cell([x['total'] for x in rs], '{:.2f}')} | "
          f"{cell([x['wall'] for x in rs], '{:.2f}')} | {cell([x['rss'] for x in rs], '{:.0f}')} | "
          f"{cell([x['sps'] for x in rs], '{:.0f}')} | {cell(ratio, '{:.2f}')} |")
print(f"| plexus_bench --workload M | | | | | | | {cell([b['train_sps'] for b in bench], '{:.0f}')} | 1 |")
