#!/bin/sh
# The release build of the dashboard in an 80x24 pseudo-terminal: bytes written per second and
# the share of a core used by `warroom demo --speed 1` (clock ticking every second, data every
# minute), then resident memory over 12 simulated hours at 600x (benches/terminal.rs).
# Usage: scripts/bench-terminal.sh [SECONDS]   (default 120)
set -eu
cd "$(dirname "$0")/.."
cargo build --release --locked --quiet
export WARROOM_BENCH_BIN="$PWD/target/release/warroom"
WARROOM_BENCH_SECS="${1:-120}" cargo bench --locked --bench terminal
