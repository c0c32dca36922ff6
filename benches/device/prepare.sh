#!/usr/bin/env bash
# Here (with the Rust toolchain): builds what `run.sh` needs on a GPU machine that has no
# toolchain and no network, into `.device/` (ignored by git, carried to that machine):
# the stripped release binary, the stripped GPU test binary, the folder the test binary
# was built in (it reads fixtures and runs the binary from there), and the Vulkan loader
# packages (`../shared/device/README.md`: what worked on the H200).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=.device
mkdir -p "$out/gl"
cargo build --release --bin wifiplan
test=$(cargo test --release --test gpu --no-run 2>&1 | grep -o 'target/release/deps/gpu-[0-9a-f]*' | tail -1)
[ -n "$test" ] || { echo "prepare.sh: no GPU test binary found" >&2; exit 1; }
strip -o "$out/wifiplan" target/release/wifiplan
strip -o "$out/gpu-tests" "$test"
pwd > "$out/manifest_dir"
if ! ls "$out"/gl/libvulkan1_*.deb >/dev/null 2>&1; then
    lists=$(mktemp -d)
    mkdir -p "$lists/partial"
    o="-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=$lists"
    apt-get $o update -q >/dev/null
    (cd "$out/gl" && apt-get $o download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
fi
du -sh "$out"
