#!/usr/bin/env python3
"""Extracts the Sionna RT reference path gains stored in tests/data/sionna/<scene>.reference.csv.

The references come from Sionna RT 2.2.0 (mitsuba 3.9.1, drjit 1.5.0, CPU/LLVM) through
the project's shared peer, at 1e8 rays per transmitter and max_depth 8 (Sionna counts
transmissions in the depth), walls as centre-line slabs (--geometry quad):

    V=/tmp/sionna-venv/bin/python
    $V ../shared/peers/sionna/radiomap.py ../shared/peers/sionna/scenes/<scene>.json \
       --out /tmp/sionna-out/<scene>-1e8-d8 --samples-per-tx 1e8 --max-depth 8
    $V tests/data/sionna/extract.py /tmp/sionna-out/<scene>-1e8-d8 > tests/data/sionna/<scene>.reference.csv

It keeps every k-th cell (k chosen for about 300 cells) among the cells inside the walls'
bounding box (all cells for free space) where every transmitter's gain is finite, and
writes ix, iy, the path gain of each transmitter and the best one, in dB.
"""
import json
import os
import sys

import numpy as np

out = sys.argv[1]
meta = json.load(open(os.path.join(out, "meta.json")))
pg = np.load(os.path.join(out, "path_gain_db.npy")).astype(np.float64)
scene = json.load(open(meta["scene"]))
g = meta["grid"]
xs = g["xmin"] + (np.arange(g["nx"]) + 0.5) * g["cell_size"]
ys = g["ymin"] + (np.arange(g["ny"]) + 0.5) * g["cell_size"]
X, Y = np.meshgrid(xs, ys)
inside = np.ones(X.shape, bool)
if scene["walls"]:
    wx = [w[k] for w in scene["walls"] for k in ("x1", "x2")]
    wy = [w[k] for w in scene["walls"] for k in ("y1", "y2")]
    inside = (X > min(wx)) & (X < max(wx)) & (Y > min(wy)) & (Y < max(wy))
ok = inside & np.all(np.isfinite(pg), axis=0)
cells = np.argwhere(ok)
step = max(1, len(cells) // 300)
names = [t["name"] for t in meta["transmitters"]]
print("ix,iy," + ",".join(f"pg_db_{n}" for n in names) + ",pg_best_db")
for iy, ix in cells[::step]:
    vals = ",".join(f"{pg[k, iy, ix]:.3f}" for k in range(len(names)))
    print(f"{ix},{iy},{vals},{pg[:, iy, ix].max():.3f}")
