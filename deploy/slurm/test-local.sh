#!/usr/bin/env bash
# The region batch on a real Slurm cluster of one node, this machine: installs Debian's
# slurm-wlm and munge when missing, writes a single-node slurm.conf and a munge key in a
# scratch folder, starts munged, slurmctld and slurmd on their own socket and ports,
# submits the array job (4 tasks over data/fixture-region.csv) and the merge job through
# submit.sh, waits (bounded), checks that the merged folder equals a single
# `wifiplan batch` run byte for byte, and stops the daemons it started (by their pid).
#
#   deploy/slurm/test-local.sh            (from the repository; builds the binary if needed)
#
# Exit 0 when the folders are equal; 1 with the reason (a daemon that would not start,
# a job that failed or timed out, a file that differs).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
tasks=4
sites=data/fixture-region.csv

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
fail() {
    echo "test-local: $*" >&2
    [ -z "${work:-}" ] || echo "test-local: logs and outputs left in $work" >&2
    exit 1
}

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null; then
    echo "installing slurm-wlm and munge…"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends slurm-wlm munge \
        >/dev/null || fail "cannot install slurm-wlm and munge with apt-get"
fi
bin=${WIFIPLAN:-$root/target/release/wifiplan}
if [ ! -x "$bin" ]; then cargo build --release -q; fi

work=$(mktemp -d /tmp/wifiplan-slurm.XXXXXX)
chmod 755 "$work"
pids=()
stop() {
    for pid in "${pids[@]}"; do $sudo kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do
        for _ in $(seq 50); do $sudo kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        $sudo kill -9 "$pid" 2>/dev/null || true
    done
}
trap stop EXIT

# Waits up to $1 seconds for the command that follows to succeed.
wait_for() {
    local limit=$1
    shift
    for _ in $(seq $((limit * 5))); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        sleep 0.2
    done
    return 1
}

# Starts a daemon in the foreground of a background shell, recording its pid; fails,
# quoting its log, when it exits at once.
start() {
    local name=$1 log=$2
    shift 2
    $sudo "$@" >"$work/$name.out" 2>&1 &
    pids+=($!)
    sleep 0.5
    if ! kill -0 "${pids[-1]}" 2>/dev/null; then
        fail "$name would not start: $(tail -n 3 "$work/$name.out" "$log" 2>/dev/null | tr '\n' ' ')"
    fi
}

# munge: a key and a socket of our own, so that a system munged is left alone.
user=$(id -un)
dd if=/dev/urandom of="$work/munge.key" bs=1024 count=1 status=none
chmod 600 "$work/munge.key"
mkdir -p "$work/munge"
$sudo chown -R "$user" "$work"
start munged "$work/munged.log" munged --foreground --force --key-file="$work/munge.key" \
    --socket="$work/munge/munge.sock" --pid-file="$work/munge/munged.pid" --log-file="$work/munged.log" \
    --seed-file="$work/munge/seed"
wait_for 10 test -S "$work/munge/munge.sock" || fail "munged: no socket after 10 s: $(cat "$work/munged.log")"

# Slurm: ports picked from our pid, so that a running cluster is left alone.
port=$((20000 + $$ % 20000))
host=$(hostname -s)
# The loopback address, whatever the host name resolves to (or not) on this machine.
node=$(slurmd -C | head -n 1 | sed -e 's/ UpTime=.*//' -e 's/^NodeName=\([^ ]*\)/NodeName=\1 NodeAddr=127.0.0.1/')
cat >"$work/slurm.conf" <<CONF
ClusterName=wifiplan-test
SlurmctldHost=$host(127.0.0.1)
SlurmUser=$user
SlurmdUser=root
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
AuthInfo=socket=$work/munge/munge.sock
CredType=cred/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
$node State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
mkdir -p "$work/state" "$work/spool"
export SLURM_CONF=$work/slurm.conf
start slurmctld "$work/slurmctld.log" env SLURM_CONF="$SLURM_CONF" slurmctld -D -i -f "$SLURM_CONF"
wait_for 20 scontrol ping || fail "slurmctld does not answer after 20 s: $(tail -n 3 "$work/slurmctld.log")"
start slurmd "$work/slurmd.log" env SLURM_CONF="$SLURM_CONF" slurmd -D -f "$SLURM_CONF"
idle() { sinfo -h -o %t | grep -qx idle; }
wait_for 30 idle || fail "slurmd: node not idle after 30 s ($(sinfo -h -o %t)): $(tail -n 3 "$work/slurmd.log")"

echo "cluster up (slurmctld port $port); submitting $tasks tasks over $sites"
t0=$(date +%s%N)
submitted=$(WIFIPLAN=$bin deploy/slurm/submit.sh "$tasks" "$sites" "$work/out")
echo "$submitted"
merge=${submitted##* }
# Done, or never to run because a task of the array failed.
merged() {
    local reason
    reason=$(squeue -h -j "$merge" -o %r 2>/dev/null)
    [ -z "$reason" ] || [ "$reason" = DependencyNeverSatisfied ]
}
wait_for 600 merged || fail "merge job $merge not done after 600 s: $(squeue -h)"
if [ -n "$(squeue -h -j "$merge" 2>/dev/null)" ]; then
    scancel "$merge"
    fail "a task of the array failed: $(cat "$work"/out/wifiplan-batch-*.out | tail -n 5)"
fi
t1=$(date +%s%N)
log=$(find "$work/out" -maxdepth 1 -name "wifiplan-merge-*.out" | head -n 1)
[ -f "$work/out/merged/sites.csv" ] || fail "no merged sites.csv; merge log: $(cat "$log" 2>/dev/null)"
$bin batch "$sites" --out "$work/single" >/dev/null || [ $? -eq 1 ] || fail "the single batch failed"
t2=$(date +%s%N)
# Byte for byte, but for the wall-clock times: timings.json, and the "runtime_s" and
# "timings_s" blocks of placement.json and radiomap.json.
untimed() { sed -e '/"runtime_s": {/,/}/d' -e '/"timings_s": {/,/}/d' "$1"; }
files=0
while IFS= read -r -d '' f; do
    rel=${f#"$work/single/"}
    other=$work/out/merged/$rel
    [ -f "$other" ] || fail "$rel: in the single run, not in the merged folder"
    case $(basename "$f") in
        timings.json) continue ;;
        placement.json | radiomap.json) cmp -s <(untimed "$f") <(untimed "$other") || fail "$rel differs" ;;
        *) cmp -s "$f" "$other" || fail "$rel differs" ;;
    esac
    files=$((files + 1))
done < <(find "$work/single" -type f -print0)
extra=$(cd "$work/out/merged" && find . -type f | while read -r f; do [ -f "$work/single/$f" ] || echo "$f"; done)
[ -z "$extra" ] || fail "in the merged folder only: $extra"
echo "merged folder equals a single batch byte for byte ($files files, wall-clock times aside)"
echo "slurm: $tasks tasks + merge + waves in $(((t1 - t0) / 1000000)) ms; one process: $(((t2 - t1) / 1000000)) ms"
stop
trap - EXIT
rm -rf "$work"
