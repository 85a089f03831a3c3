#!/usr/bin/python3
"""Same-round ratios from a results folder of bench/peer_rounds.sh (the harness in ../shared/bench/peers).

    bench/same_round_ratios.py /tmp/peers/results/YYYYMMDD-HHMMSS

Reads the raw `RESULT {json}` lines of every round (files S_<peer>_rep<N>.out, M_<peer>_rep<N>.out)
and prints, as median [min-max] over the rounds:
  S: each contender's train_s and its ratio to FANN's in the same round; `_doctor`, the kernel loop
     with the doctor over the loop without it; `_wall`, `plexus train`'s process wall over FANN's time.
  M: training and inference samples/s, each against torch-tuned and against the best peer
     configuration of the same round (torch-tuned, sklearn-tuned, torch-skx-1t, torch-skx,
     sklearn-skx); for `plexus train`, the work after the fit, the preparation, the evaluation and
     wall - load - train as fractions of train_seconds, and the peak RSS; `_fit_vs_kernel`,
     `plexus train`'s training rate over the kernel loop's.
BENCHMARKS.md quotes these figures.
"""
import glob, json, os, re, statistics, sys
d = sys.argv[1]
res = {}
for f in glob.glob(os.path.join(d, '*_rep*.out')):
    m = re.match(r'(S|M|GEMM)_(.+)_rep(\d+)\.out', os.path.basename(f))
    if not m: continue
    w, peer, rep = m.group(1), m.group(2), int(m.group(3))
    for line in open(f):
        if line.startswith('RESULT '):
            try: j = json.loads(line[7:])
            except Exception: continue
            if w != 'GEMM': res.setdefault((w, rep), {})[peer] = j
def med(v):
    v = [x for x in v if x is not None]
    return (statistics.median(v), min(v), max(v)) if v else None
def fmt(t, p=2):
    return 'n/a' if t is None else f"{t[0]:.{p}f} [{t[1]:.{p}f}-{t[2]:.{p}f}]"
reps = sorted({r for (w, r) in res})
# S
rows = {}
for r in reps:
    s = res.get(('S', r), {})
    f = s.get('fann', {}).get('train_s')
    for p, j in s.items():
        rows.setdefault(p, {'train_s': [], 'x_fann': [], 'wall': []})
        rows[p]['train_s'].append(j.get('train_s', j.get('train_seconds')))
        if f: rows[p]['x_fann'].append(j.get('train_s', j.get('train_seconds')) / f)
        if 'wall_s' in j: rows[p]['wall'].append(j['wall_s'])
    if 'plexus' in s and 'plexus-doctor' in s:
        rows.setdefault('_doctor', {'r': []})['r'].append(s['plexus-doctor']['train_s'] / s['plexus']['train_s'])
    if 'plexus-train' in s and 'fann' in s:
        rows.setdefault('_wall', {'r': []})['r'].append(s['plexus-train']['wall_s'] / s['fann'].get('wall_s', s['fann']['train_s']))
print('S')
for p, v in sorted(rows.items()):
    if p.startswith('_'): print(p, fmt(med(v['r']))); continue
    print(f"  {p:16s} train_s {fmt(med(v['train_s']), 4)}  x fann {fmt(med(v['x_fann']))}  wall {fmt(med(v['wall']), 3)}")
# M
peers = ['torch-tuned', 'sklearn-tuned', 'torch-skx-1t', 'torch-skx', 'sklearn-skx']
rows = {}; best_t = []; best_i = []; bt_who = []; bi_who = []
for r in reps:
    m = res.get(('M', r), {})
    if not m: continue
    bt = max((m[p]['train_sps'], p) for p in peers if p in m)
    bi = max((m[p]['infer_sps'], p) for p in peers if p in m)
    bt_who.append(bt[1]); bi_who.append(bi[1])
    tt = m.get('torch-tuned')
    for p, j in m.items():
        v = rows.setdefault(p, {k: [] for k in ['train', 'infer', 'x_tt_train', 'x_tt_infer', 'x_best_train', 'x_best_infer', 'post', 'prep', 'eval', 'wall_extra', 'rss']})
        v['train'].append(j['train_sps']); v['infer'].append(j['infer_sps'])
        if tt: v['x_tt_train'].append(j['train_sps'] / tt['train_sps']); v['x_tt_infer'].append(j['infer_sps'] / tt['infer_sps'])
        v['x_best_train'].append(j['train_sps'] / bt[0]); v['x_best_infer'].append(j['infer_sps'] / bi[0])
        if 'after_fit_s' in j:
            v['post'].append(j['after_fit_s'] / j['train_seconds']); v['prep'].append(j['prepare_s'] / j['train_seconds'])
            v['eval'].append(j['evaluate_s'] / j['train_seconds'])
            v['wall_extra'].append((j['wall_s'] - j['load_s'] - j['train_seconds']) / j['train_seconds'])
            v['rss'].append(j['rss_mib'])
    if 'plexus' in m and 'plexus-train' in m:
        rows.setdefault('_fit_vs_kernel', {'r': []})['r'].append(m['plexus-train']['train_sps'] / m['plexus']['train_sps'])
print('M best train peer per round', bt_who, 'best infer', bi_who)
for p, v in sorted(rows.items()):
    if p.startswith('_'): print(p, fmt(med(v['r']))); continue
    print(f"  {p:14s} train {fmt(med(v['train']), 0)} x_tt {fmt(med(v['x_tt_train']))} x_best {fmt(med(v['x_best_train']))} | infer {fmt(med(v['infer']), 0)} x_tt {fmt(med(v['x_tt_infer']))} x_best {fmt(med(v['x_best_infer']))}")
    if v['post']:
        print(f"      after-fit/train {fmt(med(v['post']), 3)} prepare/train {fmt(med(v['prep']), 3)} eval/train {fmt(med(v['eval']), 3)} (wall-load-train)/train {fmt(med(v['wall_extra']), 3)} rss {fmt(med(v['rss']), 1)}")
