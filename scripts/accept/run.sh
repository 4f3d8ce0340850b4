#!/usr/bin/env bash
# `pnpm accept`: the acceptance checks behind the issues' targets: long runs and PyTorch comparisons
# that do not belong in CI's unit tests. Needs Debian's python3-torch for the PyTorch comparisons.
set -uo pipefail
cd "$(dirname "$0")/../.."
export UNROLLED_DATA_DIR="${UNROLLED_DATA_DIR:-$(cd .. && pwd)/shared/data}"
status=0
run() { printf '\n=== %s\n' "$*"; "$@" || status=1; }
# the long versions of the generated-input tests (CI runs a few hundred cases of each)
run env UNROLLED_LONG_TESTS=1 pnpm --filter @unrolled/datasets --filter @unrolled/rnn-core --filter @unrolled/linalg test
run node scripts/accept/backprop-vs-pytorch.mjs "${ACCEPT_MODELS:-40}"
run node scripts/accept/presets.mjs
run node scripts/accept/lstm-vs-rnn.mjs
run node scripts/accept/published.mjs
run node scripts/fuzz/run.mjs --cases "${ACCEPT_FUZZ:-10000}"
run node scripts/accept/safetensors-to-pytorch.mjs "${ACCEPT_MODELS_ST:-12}"
run node scripts/accept/tarballs.mjs
run node --conditions=@unrolled/source --import tsx bench/compare/run.mjs


exit "$status"
