#!/usr/bin/env bash
# Submits a region batch to Slurm: an array of N shard tasks, then the merge and wave
# scheduling once every task succeeded. Prints the two job ids. Jobs run in the current
# directory (plan paths in SITES.csv are read from there); their logs go to OUT.
#
#   deploy/slurm/submit.sh N SITES.csv OUT [COSTS.ron]
#
# Extra sbatch options (partition, account, time limit) go in SBATCH_OPTIONS, e.g.
# SBATCH_OPTIONS="--partition=cpu --time=01:00:00". OUT must be on a file system every
# node sees.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
usage="usage: submit.sh N SITES.csv OUT [COSTS.ron]"
n=${1:?$usage}
sites=${2:?$usage}
out=${3:?$usage}
mkdir -p "$out"
args=("$sites" "$out")
if [ $# -ge 4 ]; then args+=("$4"); fi
# shellcheck disable=SC2086
array=$(sbatch --parsable ${SBATCH_OPTIONS:-} --output="$out/%x-%A_%a.out" --array="1-$n" \
    "$here/batch-array.sbatch" "${args[@]}")
array=${array%%;*}
# shellcheck disable=SC2086
merge=$(sbatch --parsable ${SBATCH_OPTIONS:-} --output="$out/%x-%j.out" --dependency="afterok:$array" \
    "$here/merge.sbatch" "$n" "$out")
echo "array job $array, merge job ${merge%%;*}"
