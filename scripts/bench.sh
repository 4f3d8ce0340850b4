#!/usr/bin/env bash
# pnpm bench [options]: builds the packages, then runs the benchmark harness (bench/src/main.ts) on the
# built code, as users would get it. Options: --workload W1,W3 --peers unrolled,tfjs-wasm --seconds 1
# --repeats 5 --threads 1 --no-pytorch. See docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1 TURBO_NO_UPDATE_NOTIFIER=1
pnpm exec turbo run build --filter=@unrolled/bench^... --output-logs=errors-only >&2
cd bench && exec node --expose-gc --import tsx src/main.ts "$@"
