#!/usr/bin/env bash
# Installs everything the app and its tests need on a fresh Debian machine:
# npm packages, and Debian's Chromium (headless browser, SwiftShader WebGPU) plus the Vulkan
# loader that Dawn needs for WebGPU in Node. Safe to run again: it skips what is present.
set -euo pipefail
cd "$(dirname "$0")/.."

node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<19)) { console.error(`Node >= 20.19 is required, found ${process.versions.node}`); process.exit(1); }'

# onnxruntime-node (pulled by @huggingface/transformers) downloads CUDA libraries after it
# installs unless told to skip. Its environment variable does that without the npm warning an
# `onnxruntime-node-install` line in .npmrc prints on every npm and npx command.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund
fi

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
ldconfig -p 2>/dev/null | grep -q 'libvulkan.so.1' || need+=(libvulkan1)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${need[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${need[@]}" >/dev/null
fi
