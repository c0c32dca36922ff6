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

    extract.py OUT [--exclude-above NOREF] [--seeds S1 S2 --max-standard-error DB]

With --exclude-above, cells where the run NOREF (the same scene with --no-reflection) has
a higher best-server gain than OUT are left out, and their count is written to stderr:
an incoherent sum with reflections cannot be below the one without, so there Sionna's
reflect-or-transmit sampling has under-represented rare, heavy paths (a room reached
through a slab at grazing incidence). With --seeds, OUT being their average, cells whose
standard error (half the two seeds' difference, in dB) exceeds DB are left out too.
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
if "--exclude-above" in sys.argv:
    noref = np.load(os.path.join(sys.argv[sys.argv.index("--exclude-above") + 1], "path_gain_db.npy"))
    under = ok & (noref.astype(np.float64).max(axis=0) > pg.max(axis=0))
    print(f"{under.sum()} of {ok.sum()} cells left out: --no-reflection above the deep map", file=sys.stderr)
    ok &= ~under
if "--seeds" in sys.argv:
    i = sys.argv.index("--seeds")
    s1, s2 = (np.load(os.path.join(sys.argv[i + k], "path_gain_db.npy")).astype(np.float64) for k in (1, 2))
    limit = float(sys.argv[sys.argv.index("--max-standard-error") + 1])
    with np.errstate(invalid="ignore"):
        noisy = ok & ~(np.abs(s1 - s2).max(axis=0) / 2 <= limit)
    print(f"{noisy.sum()} of {ok.sum()} cells left out: standard error above {limit} dB", file=sys.stderr)
    ok &= ~noisy
cells = np.argwhere(ok)
step = max(1, len(cells) // 300)
names = [t["name"] for t in meta["transmitters"]]
print("ix,iy," + ",".join(f"pg_db_{n}" for n in names) + ",pg_best_db")
for iy, ix in cells[::step]:
    vals = ",".join(f"{pg[k, iy, ix]:.3f}" for k in range(len(names)))
    print(f"{ix},{iy},{vals},{pg[:, iy, ix].max():.3f}")
