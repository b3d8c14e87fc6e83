#!/usr/bin/env bash
# Core performance, measured on this machine and printed as a table:
#  - the headless demo of the default window (T-60m..T+3h) at --speed max;
#  - generating a 24-hour recording of the reference layout with the headless demo;
#  - replaying that recording (fold + evaluate every batch): time and peak memory;
#  - `check` on generated layouts of 5,000 to 40,000 metric series: near-linear (twice the
#    series, about twice the time; it was quadratic, 34 s at 20,000).
# Goals (issue: core): replay of 24 h < 1 s and < 100 MB; default demo < 5 s.
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
subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
dt = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"| {label:<44} | {dt:8.3f} | {peak:8.1f} |")
PY
}

echo "| run                                          |  seconds |  peak MB |"
echo "|----------------------------------------------|----------|----------|"
measure "demo --headless (T-60m..T+3h, speed max)" $bin demo --headless
measure "demo --headless 24 h, recording" $bin demo --headless --from T-12h --to T+12h --record "$out/24h.jsonl"
for i in 1 2 3; do
  measure "replay --headless 24 h (run $i)" $bin replay --headless "$out/24h.jsonl"
done
lines=$(wc -l < "$out/24h.jsonl")
size=$(du -h "$out/24h.jsonl" | cut -f1)
echo
echo "24-hour recording: $lines lines, $size"

echo
echo "| check of a generated layout                  |  seconds |  peak MB |"
echo "|----------------------------------------------|----------|----------|"
for n in 5000 10000 20000 40000; do
  python3 - "$n" "$out/series-$n.toml" <<'PY'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
head = """[event]
name = "Generated"
start = "2026-04-01T10:00:00Z"
end = "2026-04-01T14:00:00Z"
"""
series = "".join(
    f'\n[[series]]\nid = "gen.s{i}"\nlabel = "S{i}"\nregion = "us-east-1"\n'
    f'namespace = "AWS/ApplicationELB"\nmetric = "RequestCount"\n'
    f'dimensions = {{ LoadBalancer = "app/alb/{i:016x}" }}\nstat = "Sum"\n'
    for i in range(n)
)
open(path, "w").write(head + series)
PY
  measure "check, $n series" $bin check "$out/series-$n.toml"
done
