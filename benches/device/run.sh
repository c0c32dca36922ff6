#!/usr/bin/env bash
# On a GPU machine, from the repository root, with `.device/` made by `prepare.sh`: the
# demo lycée at default accuracy on both backends (and the maps compared), Sionna's school
# corridor on both, the GPU tests, and a timed `rollout` per backend, each step under a
# `timeout`; prints one table (also written to $RESULTS/table.md, with every step's log in
# $RESULTS/logs.tgz).
#
#   bash benches/device/run.sh [STEPS]
#
# STEPS: a comma-separated subset of corridor,demo,auto,shallow,tests,rollout (default:
# all); `auto` runs the demo with `--backend auto`, and a fifth of its APs (below auto's
# GPU threshold) on each backend, to check auto's choice both ways; `shallow` the demo at
# one reflection on each backend (auto keeps such jobs on the CPU).
# TIMEOUT=S: every step's limit [s] instead of its own.
# Runs on lavapipe too (where there is no GPU), only slower: say so with the figures.
# Needs python3 with numpy (PYTHON=… to name another) to compare the maps.
set -uo pipefail
cd "$(dirname "$0")/../.."
dir=${DEVICE_DIR:-.device}
steps=${1:-corridor,demo,auto,shallow,tests,rollout}
results=${RESULTS:-/tmp/wifiplan-device}
work=$(mktemp -d)
logs="$work/logs"
mkdir -p "$results" "$logs"
table="$results/table.md"
bin="$dir/wifiplan"
[ -x "$bin" ] || { echo "run.sh: $bin missing: run benches/device/prepare.sh first" >&2; exit 2; }

# Vulkan: the loader when the machine lacks it, the NVIDIA driver file when there is one.
if ! ldconfig -p | grep -q 'libvulkan.so.1 '; then
    for f in "$dir"/gl/*.deb; do dpkg -x "$f" /; done
    ldconfig
fi
nvidia=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
[ -f "$nvidia" ] && export VK_DRIVER_FILES=$nvidia

want() { [[ ",$steps," == *",$1,"* ]]; }

# step NAME LIMIT COMMAND...: runs COMMAND under `timeout LIMIT`, logs it, adds a row.
step() {
    local name=$1 limit=$2
    shift 2
    local t0 t1 rc
    t0=$(date +%s.%N)
    timeout "${TIMEOUT:-$limit}" "$@" >"$logs/${name// /-}.log" 2>&1
    rc=$?
    t1=$(date +%s.%N)
    local secs
    secs=$(python3 -c "print(f'{$t1 - $t0:.2f}')")
    local status=ok
    [ $rc -eq 124 ] && status="timeout (${TIMEOUT:-$limit} s)"
    [ $rc -ne 0 ] && [ $rc -ne 124 ] && status="exit $rc"
    printf '| %s | %s | %s |\n' "$name" "$secs" "$status" >>"$table"
    echo "$name: $secs s, $status" >&2
    return $rc
}

# compare A B: per-AP path gains of two simulations, as a table row.
compare() {
    "${PYTHON:-python3}" - "$1" "$2" <<'PY' >>"$table"
import glob, os, sys
import numpy as np
a_dir, b_dir = sys.argv[1], sys.argv[2]
cells = close = 0
worst = 0.0
for fa in sorted(glob.glob(os.path.join(a_dir, "*.gain.npy"))):
    a = np.load(fa)
    b = np.load(os.path.join(b_dir, os.path.basename(fa)))
    both = np.isfinite(a) & np.isfinite(b)
    one = np.isfinite(a) != np.isfinite(b)
    d = np.abs(a[both] - b[both])
    cells += int(both.sum() + one.sum())
    close += int((d <= 0.05).sum())
    worst = max(worst, float(d.max()) if d.size else 0.0, float("inf") if one.any() else 0.0)
share = 100.0 * close / max(cells, 1)
print(f"| {os.path.basename(b_dir)} vs {os.path.basename(a_dir)}: cells within 0.05 dB | {share:.3f} % of {cells} | worst {worst:.4f} dB |")
PY
}

{
    echo "# wifiplan on $(hostname), $(date -u +%FT%TZ)"
    echo
    echo "CPU: $(nproc) cores; GPU: $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null || echo none)"
    echo
    echo "| step | seconds | status |"
    echo "|---|---|---|"
} >"$table"

if want corridor; then
    c=(tests/data/sionna/school_corridor.site.ron --aps tests/data/sionna/school_corridor.aps.ron --per-ap)
    step "corridor gpu" 60 "$bin" simulate "${c[@]}" --backend gpu --out "$work/corridor-gpu"
    step "corridor cpu" 60 "$bin" simulate "${c[@]}" --backend cpu --out "$work/corridor-cpu"
    compare "$work/corridor-cpu" "$work/corridor-gpu"
fi
if want demo; then
    d=(floorplans/lycee-demo.ron --aps floorplans/lycee-demo.aps.ron --per-ap)
    step "demo gpu" 150 "$bin" simulate "${d[@]}" --backend gpu --out "$work/demo-gpu" &&
        grep -o '"adapter": *"[^"]*"' "$work/demo-gpu/radiomap.json" >&2
    step "demo cpu" 150 "$bin" simulate "${d[@]}" --backend cpu --out "$work/demo-cpu"
    compare "$work/demo-cpu" "$work/demo-gpu"
fi
if want auto; then
    d=(floorplans/lycee-demo.ron --aps floorplans/lycee-demo.aps.ron)
    step "demo auto" 150 "$bin" simulate "${d[@]}" --backend auto --out "$work/demo-auto"
    grep -h "backend" "$logs/demo-auto.log" | head -2 >&2
    # Every fifth AP: 10 APs × 85,178 cells, under auto's threshold of 10⁶.
    python3 - floorplans/lycee-demo.aps.ron "$work/fifth.aps.ron" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
aps = re.findall(r"    AccessPoint\(.*?\)\),\n", text, re.S)
open(sys.argv[2], "w").write("AccessPoints([\n" + "".join(aps[::5]) + "])\n")
PY
    f=(floorplans/lycee-demo.ron --aps "$work/fifth.aps.ron")
    step "demo-fifth gpu" 100 "$bin" simulate "${f[@]}" --backend gpu --out "$work/fifth-gpu"
    step "demo-fifth cpu" 100 "$bin" simulate "${f[@]}" --backend cpu --out "$work/fifth-cpu"
    step "demo-fifth auto" 100 "$bin" simulate "${f[@]}" --backend auto --out "$work/fifth-auto"
fi
if want shallow; then
    d=(floorplans/lycee-demo.ron --aps floorplans/lycee-demo.aps.ron --max-reflections 1)
    step "demo-depth1 gpu" 100 "$bin" simulate "${d[@]}" --backend gpu --out "$work/shallow-gpu"
    step "demo-depth1 cpu" 100 "$bin" simulate "${d[@]}" --backend cpu --out "$work/shallow-cpu"
    step "demo-depth1 auto" 100 "$bin" simulate "${d[@]}" --backend auto --out "$work/shallow-auto"
fi
if want tests; then
    # The test binary reads fixtures and runs the binary from the folder it was built in.
    manifest=$(cat "$dir/manifest_dir")
    if [ "$manifest" != "$PWD" ]; then
        mkdir -p "$manifest"
        cp -r floorplans shaders tests data "$manifest/"
    fi
    if [ ! -x "$manifest/target/release/wifiplan" ]; then
        mkdir -p "$manifest/target/release"
        cp "$bin" "$manifest/target/release/wifiplan"
    fi
    export WIFIPLAN_REQUIRE_GPU=1
    step "gpu tests" 200 "$dir/gpu-tests" --test-threads 1
fi
if want rollout; then
    step "rollout cpu" 150 "$bin" rollout --backend cpu --out "$work/rollout-cpu"
    step "rollout auto" 150 "$bin" rollout --backend auto --out "$work/rollout-auto"
    step "rollout gpu" "${ROLLOUT_GPU_TIMEOUT:-150}" "$bin" rollout --backend gpu --out "$work/rollout-gpu"
fi
tar czf "$results/logs.tgz" -C "$logs" .
cat "$table"
