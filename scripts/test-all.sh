#!/usr/bin/env bash
# Runs every check and every test in the workspace, then prints "N passed, N failed" as its last line.
# Each step runs even when an earlier one failed, so one run shows everything that is wrong.
set -uo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1 TURBO_NO_UPDATE_NOTIFIER=1
export UNROLLED_DATA_DIR="${UNROLLED_DATA_DIR:-$(cd .. && pwd)/shared/data}"

rm -rf packages/*/reports apps/*/reports examples/reports   # stale reports must never count
failed_steps=()
step() {
  local name=$1; shift
  printf '\n=== %s\n' "$name"
  "$@" || failed_steps+=("$name")
}

step "lint (biome)" pnpm exec biome check .
step "layering" node scripts/check-layers.mjs
step "build, typecheck, unit tests, package checks" \
  pnpm exec turbo run build typecheck test check:pkg --continue --output-logs=new-only --log-order=grouped
step "API reference (TypeDoc, warnings are errors)" pnpm exec typedoc --logLevel Error
step "publish dry run (every public package)" pnpm --loglevel warn -r publish --dry-run --no-git-checks
if grep -q '"e2e"' apps/*/package.json 2>/dev/null; then
  step "browser tests (Playwright + Debian chromium)" pnpm exec turbo run e2e --output-logs=new-only --log-order=grouped
fi

printf '\n=== summary\n'
node scripts/test-summary.mjs "${failed_steps[@]+"${failed_steps[@]}"}"
