#!/usr/bin/env bash
# The post-mortem report, measured on this machine and printed as a table: `warroom report` on
# a 24-hour simulated recording of the reference layout (T-12h..T+12h), three runs, time and
# peak memory, and what it wrote. Goal (issue 6): under 5 s in a release build.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=${CARGO_TARGET_DIR:-target}/release/warroom
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

measure() { # label, command...: prints "label | seconds | peak MB"
  python3 - "$@" <<'PY'
import resource, subprocess, sys, time
label, cmd = sys.argv[1], sys.argv[2:]
t = time.perf_counter()
subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
dt = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"| {label:<44} | {dt:8.3f} | {peak:8.1f} |")
PY
}

$bin demo --headless --from T-12h --to T+12h --record "$out/24h.jsonl" >/dev/null 2>&1
echo "| run                                          |  seconds |  peak MB |"
echo "|----------------------------------------------|----------|----------|"
for i in 1 2 3; do
  measure "report 24 h (run $i)" $bin report "$out/24h.jsonl" --out "$out/report"
done
echo
echo "recording: $(($(wc -l < "$out/24h.jsonl") - 1)) events, $(du -h "$out/24h.jsonl" | cut -f1)"
echo "report: $(ls "$out/report/charts" | wc -l) charts, index.html $(du -h "$out/report/index.html" | cut -f1), index.md $(du -h "$out/report/index.md" | cut -f1)"
