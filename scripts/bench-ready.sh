#!/usr/bin/env bash
# `warroom ready` for the reference layout against `warroom sim serve` (HYBRID-BTS, two hours
# before the drop), measured on this machine and printed as a table: five runs, wall time and
# peak memory, and how many checks the report has. Goal (issue 15): under 3 s, the calls made
# concurrently. PROFILE=debug measures the debug build instead of the release build.
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${PROFILE:-release}
if [ "$profile" = release ]; then
  cargo build --release --quiet
else
  cargo build --quiet
fi
bin=${CARGO_TARGET_DIR:-target}/$profile/warroom
out=$(mktemp -d)
"$bin" sim serve --at T-2h --port 0 >"$out/serve.txt" 2>&1 &
serve_pid=$!
trap 'kill "$serve_pid" 2>/dev/null; rm -rf "$out"' EXIT
for _ in $(seq 50); do
  grep -q '^  export' "$out/serve.txt" 2>/dev/null && break
  sleep 0.1
done
eval "$(grep '^  export' "$out/serve.txt")"

measure() { # label, command...: prints "label | seconds | peak MB"
  python3 - "$@" <<'PY'
import resource, subprocess, sys, time
label, cmd = sys.argv[1], sys.argv[2:]
t = time.perf_counter()
subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
dt = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"| {label:<40} | {dt:8.3f} | {peak:8.1f} |")
PY
}

printf "| %-40s | %8s | %8s |\n" "run ($profile build)" seconds "peak MB"
echo "|------------------------------------------|----------|----------|"
for i in 1 2 3 4 5; do
  measure "ready layouts/hybrid-bts.toml (run $i)" "$bin" ready layouts/hybrid-bts.toml
done
"$bin" ready layouts/hybrid-bts.toml --format json >"$out/report.json" 2>/dev/null || true
echo
echo "checks: $(grep -c '"status"' "$out/report.json")"
