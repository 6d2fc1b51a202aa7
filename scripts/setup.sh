#!/usr/bin/env bash
# Installs everything the app and its tests need on a fresh Debian machine:
# npm packages, and Debian's Chromium (headless browser, SwiftShader WebGPU) plus the Vulkan
# loader that Dawn needs for WebGPU in Node, and Redis (the job queue's server, which the queue
# tests start on a free port; nothing starts it at boot). Safe to run again: it skips what is present.
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
command -v redis-server >/dev/null || [ -x /usr/bin/redis-server ] || need+=(redis-server)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${need[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  # policy-rc.d refusing every start keeps Debian's redis-server package from starting a server
  # at install; the tests start their own. Removed afterwards unless one was already there.
  policy=/usr/sbin/policy-rc.d
  made_policy=0
  if [[ " ${need[*]} " == *" redis-server "* && ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo_cmd[@]}" tee "$policy" >/dev/null && "${sudo_cmd[@]}" chmod +x "$policy" && made_policy=1
  fi
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${need[@]}" >/dev/null
  if [ "$made_policy" -eq 1 ]; then "${sudo_cmd[@]}" rm -f "$policy"; fi
  # Not at boot either: only the tests run it.
  if [[ " ${need[*]} " == *" redis-server "* ]] && command -v systemctl >/dev/null; then "${sudo_cmd[@]}" systemctl disable redis-server >/dev/null 2>&1 || true; fi
fi
