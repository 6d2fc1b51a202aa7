#!/usr/bin/env bash
# The test command (README; CI runs it through .ci/run): set-up, then types, lint, unit tests
# and the end-to-end tests in headless Chromium with WebGPU on SwiftShader.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm run typecheck
npm run lint
npm run format:check
npm run cycles
npx vitest run
npx vitest run -c vitest.e2e.config.ts
