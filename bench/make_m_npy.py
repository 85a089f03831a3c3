#!/usr/bin/python3
"""Workload M as NumPy files, for timing `plexus train` on the user's path.

    bench/make_m_npy.py OUT_DIR [--harness DIR]

Writes OUT_DIR/m_X.npy (60000 x 784 float32, C order, 188 MB) and OUT_DIR/m_y.npy
(uint8 labels) with numpy.save, from the peer harness's data/m_X.f32 and m_y.u8
(generated into OUT_DIR first with the harness's common/gen_data_m.py, fixed seed,
when they are not there). The same bytes every peer reads.
"""
import argparse
import os
import subprocess
import sys

import numpy as np

N, D = 60000, 784

ap = argparse.ArgumentParser()
ap.add_argument('out')
ap.add_argument('--harness', default='/work/shared/bench/peers')
args = ap.parse_args()
os.makedirs(args.out, exist_ok=True)
px, py = os.path.join(args.out, 'm_X.f32'), os.path.join(args.out, 'm_y.u8')
if not (os.path.exists(px) and os.path.getsize(px) == N * D * 4):
    subprocess.run([sys.executable, os.path.join(args.harness, 'common', 'gen_data_m.py'), args.out], check=True)
X = np.fromfile(px, dtype='<f4').reshape(N, D)
y = np.fromfile(py, dtype=np.uint8)
np.save(os.path.join(args.out, 'm_X.npy'), X)
np.save(os.path.join(args.out, 'm_y.npy'), y)
print('wrote', os.path.join(args.out, 'm_X.npy'), X.shape, X.dtype, 'and m_y.npy', y.shape, y.dtype)
