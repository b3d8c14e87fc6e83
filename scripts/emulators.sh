#!/usr/bin/env bash
# The independent AWS emulators of the integration tests (docs/testing.md): ministack (CloudWatch
# over the SDK's CBOR protocol) and moto_server (ELBv2, WAFv2, Logs, SNS), installed from PyPI
# at the versions pinned in tests/emulators/requirements.txt into a virtualenv, and bound to
# 127.0.0.1 only.
#
#   scripts/emulators.sh install           create the virtualenv and install the pinned packages
#                                          (skipped when it already holds exactly those pins)
#   scripts/emulators.sh run [CMD ...]     install, start both emulators on free ports, export
#                                          WARROOM_TEST_MINISTACK_URL / WARROOM_TEST_MOTO_URL,
#                                          run CMD (default: cargo test --locked with the
#                                          emulator tests, which are #[ignore]d otherwise),
#                                          stop both on exit
#   scripts/emulators.sh serve NAME [PID]  one emulator (ministack or moto) on a free port; prints
#                                          "url=http://127.0.0.1:PORT" once it answers, and stops
#                                          it when process PID ends (how the test harness starts
#                                          what it needs when the URLs are not given)
#
# Environment: WARROOM_EMU_VENV (default target/emu-venv), WARROOM_EMU_LOGS (default
# target/emu-logs), WARROOM_EMU_READY_TIMEOUT (seconds, default 90), PYTHON (default python3).
# Exit codes: 0 ok, 1 failure, 3 `serve` found no up-to-date virtualenv (run `install`).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
venv=${WARROOM_EMU_VENV:-$root/target/emu-venv}
logs=${WARROOM_EMU_LOGS:-$root/target/emu-logs}
req=$root/tests/emulators/requirements.txt
python=${PYTHON:-python3}
ready_timeout=${WARROOM_EMU_READY_TIMEOUT:-90}

say() { echo "emulators: $*" >&2; }
die() {
  say "$*"
  exit 1
}

up_to_date() {
  [ -x "$venv/bin/python" ] && [ -f "$venv/.requirements" ] && cmp -s "$req" "$venv/.requirements"
}

install() {
  if up_to_date; then
    say "virtualenv $venv is up to date"
    return 0
  fi
  command -v "$python" >/dev/null || die "$python not found: the emulators need CPython 3 with venv and pip"
  mkdir -p "$logs" "$(dirname "$venv")"
  local t0=$SECONDS
  rm -rf "$venv"
  "$python" -m venv "$venv" || die "could not create a virtualenv at $venv ($python -m venv)"
  say "installing $(grep -c '==' "$req") pinned packages into $venv (log: $logs/pip.log)"
  # --no-compile: byte-compiling all of botocore, sympy and cfn-lint up front took most of the
  # install time; Python compiles the few modules the emulators import when they first start.
  if ! "$venv/bin/pip" install --disable-pip-version-check --no-input --no-compile --timeout 30 \
    --retries 3 -r "$req" >"$logs/pip.log" 2>&1; then
    tail -n 30 "$logs/pip.log" >&2
    die "pip install failed (full log: $logs/pip.log)"
  fi
  cp "$req" "$venv/.requirements"
  say "installed in $((SECONDS - t0)) s"
}

free_port() {
  "$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

health_path() {
  case $1 in
    ministack) echo /_ministack/health ;;
    moto) echo /moto-api/config ;;
  esac
}

# start NAME PORT: starts one emulator in the background on 127.0.0.1:PORT; sets $started_pid.
start() {
  local name=$1 port=$2 log=$logs/$1.log
  mkdir -p "$logs"
  case $name in
    ministack)
      # GATEWAY_PORT and BIND_HOST: its port and interface; LOG_LEVEL keeps the log small.
      BIND_HOST=127.0.0.1 GATEWAY_PORT=$port MINISTACK_HOST=127.0.0.1 LOG_LEVEL=WARNING \
        "$venv/bin/ministack" >"$log" 2>&1 &
      ;;
    moto)
      "$venv/bin/moto_server" -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
      ;;
    *) die "unknown emulator \"$name\" (ministack or moto)" ;;
  esac
  started_pid=$!
}

# wait_ready NAME URL PID: until the emulator answers its health URL, it dies, or the timeout.
wait_ready() {
  local name=$1 url=$2 pid=$3 deadline=$((SECONDS + ready_timeout))
  while ((SECONDS < deadline)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$logs/$name.log" >&2 || true
      die "$name exited before answering (log: $logs/$name.log)"
    fi
    if "$venv/bin/python" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' \
      "$url$(health_path "$name")" 2>/dev/null; then
      return 0
    fi
    sleep 0.3
  done
  tail -n 30 "$logs/$name.log" >&2 || true
  die "$name did not answer at $url within $ready_timeout s (log: $logs/$name.log)"
}

stop_pid() {
  local pid=$1
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 50); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}

# Emulators started by this script, stopped on exit (global: traps run after functions return),
# and the command `run` runs, stopped when this script is.
pids=()
child=
stop_all() {
  local p
  for p in "${pids[@]}"; do stop_pid "$p"; done
}
on_signal() {
  if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null || true; fi
  exit "$1"
}

run() {
  install
  local t0=$SECONDS
  trap stop_all EXIT
  trap 'on_signal 130' INT
  trap 'on_signal 143' TERM
  export WARROOM_EMU_VENV=$venv WARROOM_EMU_LOGS=$logs
  local name port url var
  for name in ministack moto; do
    port=$(free_port)
    start "$name" "$port"
    pids+=("$started_pid")
    url=http://127.0.0.1:$port
    wait_ready "$name" "$url" "$started_pid"
    var=WARROOM_TEST_$(echo "$name" | tr '[:lower:]' '[:upper:]')_URL
    export "$var=$url"
    say "$name answers at $url (pid $started_pid, log $logs/$name.log)"
  done
  say "emulators ready in $((SECONDS - t0)) s"
  if (($# == 0)); then
    set -- cargo test --locked -- --include-ignored
  fi
  # In the background so that a signal to this script is handled at once (bash runs traps only
  # between commands, and `wait` is one it interrupts).
  local status=0
  "$@" &
  child=$!
  wait "$child" || status=$?
  exit "$status"
}

serve() {
  local name=${1:?serve NAME [PID]} watch=${2:-}
  if ! up_to_date; then
    say "no up-to-date virtualenv at $venv: run scripts/emulators.sh install"
    exit 3
  fi
  local port
  port=$(free_port)
  trap stop_all EXIT
  trap 'exit 143' INT TERM
  start "$name" "$port"
  pids+=("$started_pid")
  wait_ready "$name" "http://127.0.0.1:$port" "$started_pid"
  echo "url=http://127.0.0.1:$port"
  # Keep the emulator while the process that asked for it lives (a test binary exits without
  # running destructors of its statics, so it cannot stop the emulator itself).
  while kill -0 "$started_pid" 2>/dev/null; do
    if [ -n "$watch" ] && ! kill -0 "$watch" 2>/dev/null; then
      break
    fi
    sleep 0.5
  done
}

case ${1:-} in
  install) install ;;
  run)
    shift
    run "$@"
    ;;
  serve)
    shift
    serve "$@"
    ;;
  *)
    sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 1
    ;;
esac
