#!/usr/bin/env bash
# The simulator endpoint under load, on loopback only, in about a minute (plus the release
# build): `warroom sim serve` (release build, default limits) against
#  - 10,000 connections sending requests for 10 s (keep-alive);
#  - 100 clients sending 1 GiB bodies (half declared, half chunked) for 10 s;
#  - 500 clients trickling a request head one byte a second for 25 s;
# while a probe client makes one request every 200 ms. Prints, per scenario, the endpoint's
# peak RSS and CPU (sampled from /proc), what the load got and what the probe got.
# The load generator is scripts/stress-simserve.py (Python 3, standard library only).
# Usage: scripts/stress-simserve.sh   (honours CARGO_TARGET_DIR)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/warroom"
out=$(mktemp -d)
# 10,000 client sockets in the load generator (and the endpoint's own 512 at most).
ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)"

WARROOM_LOG_FILE="$out/serve.log" "$bin" sim serve --port 0 --speed 10 >"$out/banner" 2>/dev/null &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$out"' EXIT
for _ in $(seq 50); do
  grep -q '^warroom simulator endpoint' "$out/banner" 2>/dev/null && break
  sleep 0.1
done
addr=$(sed -n 's|^warroom simulator endpoint: http://\([0-9.:]*\).*|\1|p' "$out/banner")
[ -n "$addr" ] || { echo "the endpoint did not start" >&2; exit 1; }

timeout 300 python3 scripts/stress-simserve.py "$pid" "$addr"
echo
echo "endpoint log: $(wc -l <"$out/serve.log") lines, $(du -k "$out/serve.log" | cut -f1) KiB"
grep -E 'WARN|ERROR' "$out/serve.log" | sed 's/^[^ ]* *//' | cut -c1-160 | sort | uniq -c | sort -rn | head -5
