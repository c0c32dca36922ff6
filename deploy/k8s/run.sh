#!/usr/bin/env bash
# Runs the region batch on the current kubectl context: the volume, the Indexed Job, a
# bounded wait for all its indexes, then the merge job and its log.
#
#   deploy/k8s/run.sh [IMAGE]        (IMAGE default: wifiplan:latest)
#
# Build and push the image first (deploy/k8s/Dockerfile). Re-running after a failure
# resumes: each shard keeps the sites it finished (`batch --resume`).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
image=${1:-wifiplan:latest}
kubectl apply -f "$here/pvc.yaml"
kubectl delete job wifiplan-batch wifiplan-merge --ignore-not-found
sed "s|image: wifiplan:latest|image: $image|" "$here/batch-job.yaml" | kubectl apply -f -
kubectl wait --for=condition=complete job/wifiplan-batch --timeout=4h
sed "s|image: wifiplan:latest|image: $image|" "$here/merge-job.yaml" | kubectl apply -f -
kubectl wait --for=condition=complete job/wifiplan-merge --timeout=30m || true
kubectl logs job/wifiplan-merge
