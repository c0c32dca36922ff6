#!/usr/bin/env bash
# Side by side on one scene of tests/data/sionna, in one run on this machine: wifiplan at
# its default accuracy (the energy criterion) and Sionna RT 2.2 at 1e8 rays per AP and
# depth 16 (issue 12's comparison), each timed, each compared with the scene's deep
# reference cells (`<scene>.reference.csv`: Sionna at depth 12 and 5e8–1e9 rays per AP
# over two seeds). Prints one table: wall time, mean d, mean |d|, p90 |d| (d = map −
# reference, over every AP's path gain at every reference cell, in dB) and the ratio.
#
# Usage: benches/sionna/side_by_side.sh [SCENE]   (default metal_room; also tall_hall,
#        two_storeys, school_corridor...). Needs the peer installed once:
#        ../shared/peers/sionna/setup.sh (SIONNA_VENV, default /tmp/sionna-venv).
# Knobs: SIONNA_RAYS (1e8), SIONNA_DEPTH (16), OUT (/tmp/side-by-side), SIONNA_PEER,
# CAPS (e.g. "8 16": wifiplan again at those --max-reflections caps, one row each).
# Sionna is a measuring tool here, never a dependency: nothing in the build or the tests
# runs this script.
set -euo pipefail
cd "$(dirname "$0")/../.."
scene=${1:-metal_room}
peer=${SIONNA_PEER:-../shared/peers/sionna}
py=${SIONNA_VENV:-/tmp/sionna-venv}/bin/python
rays=${SIONNA_RAYS:-1e8}
depth=${SIONNA_DEPTH:-16}
out=${OUT:-/tmp/side-by-side}/$scene
data=tests/data/sionna
json=$data/scenes/$scene.json
[ -f "$json" ] || json=$peer/scenes/$scene.json
for f in "$py" "$json" "$data/$scene.reference.csv" "$data/$scene.simulate.json"; do
  [ -e "$f" ] || { echo "side_by_side: $f is missing (run $peer/setup.sh for the venv)" >&2; exit 2; }
done
cargo build --release -q
rm -rf "$out" && mkdir -p "$out"

# wifiplan: the scene's grid, its default accuracy (the stored arguments less the depth).
mapfile -t args < <("$py" -c '
import json, sys
a = json.load(open(sys.argv[1]))["simulate_args"]
i = a.index("--max-reflections") if "--max-reflections" in a else None
print("\n".join(a[:i] + a[i + 2:] if i is not None else a))' "$data/$scene.simulate.json")
t0=$(date +%s.%N)
target/release/wifiplan simulate "$data/$scene.site.ron" --aps "$data/$scene.aps.ron" --backend cpu \
  "${args[@]}" --out "$out/wifiplan" > "$out/wifiplan.log" 2>&1
t1=$(date +%s.%N)
caps=()
for cap in ${CAPS:-}; do
  c0=$(date +%s.%N)
  target/release/wifiplan simulate "$data/$scene.site.ron" --aps "$data/$scene.aps.ron" --backend cpu \
    "${args[@]}" --max-reflections "$cap" --out "$out/wifiplan-$cap" > "$out/wifiplan-$cap.log" 2>&1
  caps+=("$cap:$(echo "$(date +%s.%N) - $c0" | bc)")
done
t1b=$(date +%s.%N)
"$py" "$peer/radiomap.py" "$json" --out "$out/sionna" --samples-per-tx "$rays" --max-depth "$depth" \
  > "$out/sionna.log" 2>&1
t2=$(date +%s.%N)

"$py" - "$scene" "$out" "$data" "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1b" | bc)" "$rays" "$depth" \
  "${caps[@]}" <<'PY'
import csv, json, os, sys
import numpy as np
scene, out, data, t_wp, t_si, rays, depth = sys.argv[1:8]
caps = [c.split(":") for c in sys.argv[8:]]
ref = list(csv.DictReader(open(os.path.join(data, f"{scene}.reference.csv"))))
names = [k[len("pg_db_"):] for k in ref[0] if k.startswith("pg_db_")]
spec = json.load(open(os.path.join(data, f"{scene}.simulate.json")))
def load(folder):
    index = json.load(open(os.path.join(out, folder, "radiomap.json")))
    # The plane of Sionna's grid (the upper floor of two_storeys).
    plane = next(p for p in index["planes"] if p["floor"] == spec["grid_floor"])
    return index, {n: np.load(os.path.join(out, folder, plane["gain_files"][n])) for n in names}
wp, wp_maps = load("wifiplan")
meta = json.load(open(os.path.join(out, "sionna", "meta.json")))
si = np.load(os.path.join(out, "sionna", "path_gain_db.npy"))
si_maps = {t["name"]: si[k] for k, t in enumerate(meta["transmitters"])}
def stats(maps):
    d, missed = [], 0
    for row in ref:
        ix, iy = int(row["ix"]), int(row["iy"])
        for n in names:
            v = float(maps[n][iy, ix])
            if np.isfinite(v):
                d.append(v - float(row[f"pg_db_{n}"]))
            else:
                missed += 1
    d = np.array(d)
    return d.mean(), np.abs(d).mean(), np.percentile(np.abs(d), 90), len(d), missed
print(f"{scene}: {len(ref)} reference cells x {len(names)} APs "
      f"(wifiplan {wp['max_reflections']} reflections at most, {wp['dynamic_range_db']} dB, deepest {wp['deepest_reflections']})")
print(f"{'':28s} {'wall [s]':>9s} {'mean d':>8s} {'mean|d|':>8s} {'p90|d|':>8s} {'cells':>6s} {'missed':>6s}")
rows = [("wifiplan (default accuracy)", float(t_wp), stats(wp_maps)),
        (f"Sionna RT {rays} rays, depth {depth}", float(t_si), stats(si_maps))]
for cap, t in caps:
    index, maps = load(f"wifiplan-{cap}")
    rows.append((f"wifiplan, cap {cap} (deepest {index['deepest_reflections']})", float(t), stats(maps)))
for name, t, (m, a, p, n, miss) in rows:
    print(f"{name:28s} {t:9.2f} {m:8.2f} {a:8.2f} {p:8.2f} {n:6d} {miss:6d}")
print(f"wifiplan is {rows[1][1] / rows[0][1]:.0f}x faster (wall, including Sionna's scene load and JIT; "
      f"its solve alone: {sum(meta['timings_s']['solve']):.1f} s)")
PY
