#!/bin/bash
# Manual check that adapters saved by AG News Lab load in Python's PEFT with the same outputs.
# Needs ../shared/bench/torch-env.sh's Python plus peft (installed beside it, not into it:
# PEFT_PKGS, default a temporary folder, from the machine's package mirror). Not a CI test.
# Usage: bash scripts/peft-check/run.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=$(../shared/bench/torch-env.sh)
PKGS="${PEFT_PKGS:-${TMPDIR:-/tmp}/agnews-peft-pkgs}"
PYTHONPATH="$PKGS" "$PY" -c 'import peft' 2>/dev/null || "$PY" -m pip install -q --target "$PKGS" --no-deps peft accelerate >&2
OUT="${1:-$(mktemp -d)}"
npx tsx scripts/peft-check/export-adapters.ts "$OUT"
PYTHONPATH="$PKGS" "$PY" scripts/peft-check/check_peft.py "$OUT"
