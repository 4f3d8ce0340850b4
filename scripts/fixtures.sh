#!/usr/bin/env bash
# Regenerates every PyTorch reference fixture with Debian's python3-torch. Tests never run Python;
# they read the committed JSON. Needs: apt-get install -y python3-torch libopenblas0-pthread
set -euo pipefail
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
"$PY" -c 'import torch' 2>/dev/null || { echo "fixtures: $PY cannot import torch (apt-get install -y python3-torch)" >&2; exit 1; }
for gen in $(git ls-files 'packages/*/src/__fixtures__/gen_*.py' 'packages/*/src/**/__fixtures__/gen_*.py' | sort -u); do
  echo "fixtures: $gen"
  "$PY" "$gen"
done
