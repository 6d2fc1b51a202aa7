#!/usr/bin/env bash
# The main job: set-up, then build the app and serve it at http://127.0.0.1:5173
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npx vite build --logLevel warn
exec npx vite preview --port "${PORT:-5173}" --strictPort
