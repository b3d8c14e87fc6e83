#!/usr/bin/env bash
# Every test, the AWS emulator tests included: installs the pinned emulators into a virtualenv
# (once), starts them on 127.0.0.1 and runs `cargo test --locked` with `--include-ignored` (plain
# `cargo test` runs the rest and reports the emulator tests ignored). Extra arguments go to
# cargo test before `--`, e.g. `scripts/test.sh -p warroom-core`. See docs/testing.md.
set -euo pipefail
cd "$(dirname "$0")/.."
exec scripts/emulators.sh run cargo test --locked "$@" -- --include-ignored
