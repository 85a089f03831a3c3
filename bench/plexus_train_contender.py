#!/usr/bin/python3
"""`plexus train` (the user's path) as a contender of the peer harness (../shared/bench/peers).

    bench/plexus_train_contender.py --workload S PLEXUS
    bench/plexus_train_contender.py --workload M PLEXUS --data DIR [--epochs 3]

Runs the command a user would type, in a fresh process, on the harness's workload, and
prints one line `RESULT {json}` in the harness's format (common/aggregate.py), from the
run's report.json ("timing", "final") and the process's wall time and peak RSS (wait4).

S: the seed (`--data seed-curves`, rows in class order), 2-4-4-4-4-2 tanh/softmax, SGD
   lr 0.01, batch 8, 300 epochs, the last 20% as validation (`--split tail`, Keras's
   validation_split), the doctor on (`plexus train` always runs it). train_s is report.json's train_seconds: the fit loop with its
   per-epoch validation and the doctor's per-batch work, as the harness times its peers.
M: DIR/m_X.npy and m_y.npy (bench/make_m_npy.py), 784-512-256-10 relu/softmax, Adam 1e-3,
   batch 128, no validation split, EPOCHS epochs. train_sps = 60000 / seconds_per_epoch;
   infer_sps = evaluated rows / evaluate_seconds (the final evaluation of final.train's
   rows: one forward pass in batches of 1024 plus the loss and metrics; a lower bound of
   the inference rate).
Extra fields: wall_s (the process), load_s, prepare_s, evaluate_s, total_s, after_fit_s
(total_seconds - load - prepare - train: the evaluation and the report), not_training_s (wall -
load - train: also the split and support summary, the model file, process start and exit),
evaluated_rows (final.train's rows: a sample of at most 20000 by default), rss_mib.
"""
import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

ap = argparse.ArgumentParser()
ap.add_argument('--workload', choices=['S', 'M'], required=True)
ap.add_argument('plexus')
ap.add_argument('--data', help='folder with m_X.npy and m_y.npy (workload M)')
ap.add_argument('--epochs', type=int, default=3, help='workload M epochs')
ap.add_argument('--name', default='plexus-train')
args = ap.parse_args()

work = tempfile.mkdtemp(prefix='plexus-contender-')
out = os.path.join(work, 'run')
if args.workload == 'S':
    cmd = [args.plexus, 'train', '--data', 'seed-curves', '--split', 'tail', '--validation-split', '0.2',
           '--layers', '4,4,4,4', '--activation', 'tanh', '--output', 'softmax', '--optimizer', 'sgd', '--lr', '0.01',
           '--batch-size', '8', '--epochs', '300', '--seed', '0']
else:
    if not args.data:
        sys.exit('--workload M needs --data DIR')
    cmd = [args.plexus, 'train', '--data', os.path.join(args.data, 'm_X.npy'), '--labels', os.path.join(args.data, 'm_y.npy'),
           '--layers', '512,256', '--activation', 'relu', '--output', 'softmax', '--optimizer', 'adam', '--lr', '0.001',
           '--batch-size', '128', '--epochs', str(args.epochs), '--validation-split', '0']
cmd += ['--verbose', '0', '--out', out]
try:
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, stderr = p.communicate()
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({p.returncode}):\n{stderr.decode()}")
    report = json.load(open(os.path.join(out, 'report.json')))
finally:
    shutil.rmtree(work, ignore_errors=True)

# Peak RSS of the child: RUSAGE_CHILDREN holds the largest child so far (only this one).
rss_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
t = report['timing']
after_fit = t['total_seconds'] - t['load_seconds'] - t.get('prepare_seconds', 0) - t['train_seconds']
result = {'peer': args.name, 'threads': int(os.environ.get('PLEXUS_NUM_THREADS', os.cpu_count())),
          'wall_s': wall, 'load_s': t['load_seconds'], 'prepare_s': t.get('prepare_seconds'), 'train_seconds': t['train_seconds'],
          'evaluate_s': t.get('evaluate_seconds'), 'total_s': t['total_seconds'], 'after_fit_s': after_fit, 'rss_mib': rss_mib,
          'startup_s': wall - t['train_seconds'], 'command': ' '.join(cmd[1:]),
          # Everything the user waits for besides loading and the fit loop: the split and support
          # summary before it, the evaluation, report and model file after it, process start and exit.
          'not_training_s': wall - t['load_seconds'] - t['train_seconds']}
final = report['final']
if args.workload == 'S':
    epochs = len(report['history']['epoch'])
    steps = epochs * 52  # 409 training rows in batches of 8
    train, val = final['train']['metrics'], final['validation']['metrics']
    result.update(epochs=epochs, train_s=t['train_seconds'], us_per_step=t['train_seconds'] / steps * 1e6,
                  final_train_loss=train['loss'], final_train_acc=train['accuracy'],
                  final_val_loss=val['loss'], final_val_acc=val['accuracy'])
else:
    # final.train may be a sample of the training rows (--final-train-rows): "sample_of" is their number.
    train_rows, evaluated = final['train'].get('sample_of', final['train']['rows']), final['train']['rows']
    result.update(steps=469 * args.epochs, steps_full_epoch=469, train_sps=train_rows / t['seconds_per_epoch'],
                  est_epoch_s=t['seconds_per_epoch'], evaluated_rows=evaluated,
                  infer_sps=evaluated / t['evaluate_seconds'] if t.get('evaluate_seconds') else 0,
                  last_loss=report['history']['loss'][-1])
print('RESULT ' + json.dumps(result))
