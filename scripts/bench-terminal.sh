#!/bin/sh
# Bytes written to an 80x24 pseudo-terminal per second by `warroom demo --speed 1`.
# Usage: scripts/bench-terminal.sh [SECONDS]   (default 60)
set -eu
cd "$(dirname "$0")/.."
WARROOM_BENCH_SECS="${1:-60}" exec cargo test --test dash_pty terminal_bytes_per_second \
    -- --ignored --nocapture
