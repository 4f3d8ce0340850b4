#!/usr/bin/env bash
# Sets up a fresh Debian machine that has only Node 20: pnpm 12, Debian's Chromium (for the web demo's
# browser tests), the workspace's dependencies, and a build of every package. Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."

export npm_config_nodedir=/usr          # pnpm's bundled node-gyp ignores ~/.npmrc nodedir (toolchain.md P7)
export ONNXRUNTIME_NODE_INSTALL=skip    # onnxruntime-node's postinstall downloads from api.nuget.org
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1 TURBO_NO_UPDATE_NOTIFIER=1
export DEBIAN_FRONTEND=noninteractive
PNPM_VERSION=12.21.0                    # keep in sync with "packageManager" in package.json

if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  echo "setup: installing pnpm $PNPM_VERSION"
  corepack disable pnpm >/dev/null 2>&1 || true   # corepack's shim would make npm fail with EEXIST
  npm install -g "pnpm@$PNPM_VERSION" --allow-scripts=pnpm --no-audit --no-fund --loglevel=error
  hash -r
fi

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo"; else SUDO="none"; fi
  if [ "$SUDO" != "none" ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Debian's chromium (for the browser tests)"
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq chromium >/dev/null
  else
    echo "setup: chromium is missing and cannot be installed here (need root and apt-get); browser tests will fail" >&2
  fi
fi

pnpm --loglevel info install --frozen-lockfile
pnpm exec turbo run build --output-logs=errors-only
