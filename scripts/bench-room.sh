#!/bin/sh
# The shared room under load (benches/room.rs): the release collector with 0, 1 and 50 screens
# attached (CPU, memory, AWS calls per minute, an action's time to every screen), then a screen
# attaching to a 24-hour log. Prints tables. About 5 minutes.
# Usage: scripts/bench-room.sh [SECONDS_PER_ROW]   (default 60)
set -eu
cd "$(dirname "$0")/.."
cargo build --release --locked --quiet
export WARROOM_BENCH_BIN="$PWD/target/release/warroom"
WARROOM_BENCH_SECS="${1:-60}" cargo bench --locked --bench room
