#!/usr/bin/python3
"""The tabular workload (issue 11): `plexus train` against bench/torch_tabular.py, interleaved.

    bench/tabular_rounds.py --plexus build/apps/plexus --data DIR [--rounds 3] [--threads 2]

DIR holds X.npy and y.npy from bench/make_tabular.py (2,000,000 x 28 float32 by default).
Each round runs, each in a fresh process, alternating which goes first:
  plexus train --data DIR/X.npy --labels DIR/y.npy --layers 300,300,300 --activation relu
      --output softmax --optimizer adam --batch-size 512 --epochs 1 --verbose 0 --out RUN
  /usr/bin/python3 bench/torch_tabular.py --data DIR/X.npy --labels DIR/y.npy --out RUN --threads T
(the same run: load, 20% validation held out, one epoch, final evaluation of both parts,
save). Records the process wall time (what the user waits for) and peak RSS (wait4's
ru_maxrss), and each side's own phase times. Prints median [min-max] over rounds and the
median of the same-round ratios plexus / torch, and the peak RSS against the data's size.
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
ap.add_argument('--plexus', required=True)
ap.add_argument('--data', required=True)
ap.add_argument('--rounds', type=int, default=3)
ap.add_argument('--threads', type=int, default=2, help="torch's threads (its best setting on 2 cores)")
args = ap.parse_args()
here = os.path.dirname(os.path.abspath(__file__))
x_path, y_path = os.path.join(args.data, 'X.npy'), os.path.join(args.data, 'y.npy')
data_mib = os.path.getsize(x_path) / 2**20


def plexus(out):
    _, wall, rss = run([args.plexus, 'train', '--data', x_path, '--labels', y_path, '--layers', '300,300,300', '--activation', 'relu',
                        '--output', 'softmax', '--optimizer', 'adam', '--batch-size', '512', '--epochs', '1', '--verbose', '0',
                        '--out', out])
    r = json.load(open(os.path.join(out, 'report.json')))
    t = r['timing']
    return dict(wall=wall, rss=rss, load=t['load_seconds'], train=t['train_seconds'], total=t['total_seconds'],
                val_acc=r['final']['validation']['metrics']['accuracy'])


def torch(out):
    text, wall, rss = run(['/usr/bin/python3', os.path.join(here, 'torch_tabular.py'), '--data', x_path, '--labels', y_path,
                           '--out', out, '--threads', str(args.threads)])
    j = json.loads(text.strip().splitlines()[-1])
    return dict(wall=wall, rss=rss, load=j['load_seconds'], train=j['train_seconds'], total=j['total_seconds'],
                val_acc=j['final']['validation']['accuracy'], blas=j.get('blas'), coretype=j.get('openblas_coretype'))


rows = {'plexus': [], 'torch': []}
work = tempfile.mkdtemp(prefix='plexus-tabular-')
try:
    for r in range(args.rounds):
        order = [('plexus', plexus), ('torch', torch)]
        if r % 2:
            order.reverse()
        for name, fn in order:
            out = os.path.join(work, f'{name}-{r}')
            rows[name].append(fn(out))
            shutil.rmtree(out, ignore_errors=True)
        print(f"round {r + 1}: plexus {rows['plexus'][-1]['wall']:.2f} s, torch {rows['torch'][-1]['wall']:.2f} s", file=sys.stderr)
finally:
    shutil.rmtree(work, ignore_errors=True)


def cell(values, fmt='{:.2f}'):
    return f'{fmt.format(statistics.median(values))} [{fmt.format(min(values))}–{fmt.format(max(values))}]'


print(f'rounds: {args.rounds}; data {data_mib:.0f} MiB; torch threads {args.threads}; torch BLAS: {rows["torch"][-1].get("blas")}')
print('| program | process wall (s) | load (s) | train (s) | total, own clock (s) | peak RSS (MiB) | peak RSS / data | validation accuracy |')
print('|---|---|---|---|---|---|---|---|')
for name in ('plexus', 'torch'):
    rs = rows[name]
    print(f"| {name} | {cell([x['wall'] for x in rs])} | {cell([x['load'] for x in rs])} | {cell([x['train'] for x in rs])} | "
          f"{cell([x['total'] for x in rs])} | {cell([x['rss'] for x in rs], '{:.0f}')} | "
          f"{cell([x['rss'] / data_mib for x in rs])} | {cell([x['val_acc'] for x in rs], '{:.4f}')} |")
ratios = [p['wall'] / t['wall'] for p, t in zip(rows['plexus'], rows['torch'])]
print(f'plexus / torch process wall, same round: median {statistics.median(ratios):.2f} [{min(ratios):.2f}–{max(ratios):.2f}]')
