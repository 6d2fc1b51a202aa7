#!/bin/bash
# Builds .gpubench/: everything scripts/gpu-bench/run.sh needs on a GPU machine that has no
# Node.js, no node_modules and no network (it travels as an ignored, carried folder):
#   node.xz          this machine's Node binary, stripped and xz-compressed
#   webgpu.tar.xz    node_modules/webgpu: its JS and the Linux x64 Dawn addon (dawn.node)
#   driver.mjs       scripts/gpu-bench/driver.ts and everything it imports (TF.js included), one file
#   shapes/NAME/config.json   the encoder shapes the driver and the PyTorch peer build
#   debs/*.deb       the Vulkan loader and GL vendor-neutral dispatch libraries (Debian amd64),
#                    unpacked there only when the machine has no Vulkan loader
# Usage: bash scripts/gpu-bench/pack.sh   (from anywhere; reuses node.xz and the debs if present)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"
pack=.gpubench
mkdir -p .git/info "$pack/debs"
grep -qxF '/.gpubench/' .git/info/exclude 2>/dev/null || echo '/.gpubench/' >> .git/info/exclude

node_bin="$(readlink -f "$(command -v node)")"
stamp="$(node --version) $(stat -c '%s %Y' "$node_bin")"
if [ ! -s "$pack/node.xz" ] || [ "$(cat "$pack/node.stamp" 2>/dev/null)" != "$stamp" ]; then
  echo "pack: compressing $node_bin ($(node --version)); takes a minute or two" >&2
  tmp="$(mktemp)"
  strip -o "$tmp" "$node_bin" 2>/dev/null || cp "$node_bin" "$tmp"
  xz -T2 -6 -c "$tmp" > "$pack/node.xz"
  rm -f "$tmp"
  echo "$stamp" > "$pack/node.stamp"
fi

# The webgpu package loads dist/<platform>-<arch>/dawn.node relative to its own index.js, so it
# travels as a package beside the bundle instead of inside it.
tar -C node_modules -cJf "$pack/webgpu.tar.xz" webgpu/package.json webgpu/index.js webgpu/LICENSE.md webgpu/dist/linux-x64

# One ESM file; only the webgpu package stays outside it.
node_modules/.bin/esbuild scripts/gpu-bench/driver.ts --bundle --platform=node --format=esm --target=node20 \
  --external:webgpu --log-level=warning --legal-comments=none \
  --banner:js="import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" \
  --outfile="$pack/driver.mjs"
node_modules/.bin/esbuild scripts/gpu-bench/profile.ts --bundle --platform=node --format=esm --target=node20 \
  --external:webgpu --log-level=warning --legal-comments=none \
  --banner:js="import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" \
  --outfile="$pack/profile.mjs"

for s in minilm-l6-h384 bert-base; do
  mkdir -p "$pack/shapes/$s"
  cp "../shared/models/shapes/$s/config.json" "$pack/shapes/$s/config.json"
done

# The device README's recipe for the loaders: amd64 package lists kept apart from the system's.
if ! ls "$pack"/debs/libvulkan1_*.deb >/dev/null 2>&1; then
  lists=/tmp/gpubench-apt-amd64
  mkdir -p "$lists/partial"
  o=(-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists="$lists")
  apt-get "${o[@]}" update -qq >&2
  (cd "$pack/debs" && apt-get "${o[@]}" download libvulkan1 libglvnd0 libegl1 libgl1 libglx0 libopengl0 libgles2 >&2)
fi

du -sh "$pack" >&2
ls -la "$pack" "$pack/debs" >&2
total=$(du -sb "$pack" | cut -f1)
[ "$total" -lt $((60 << 20)) ] || { echo "pack: $pack is $total bytes, over 60 MiB" >&2; exit 1; }
