#!/bin/bash
# The one command to run on a GPU machine (made by pack.sh; no Node.js or network needed there):
#   bash scripts/gpu-bench/run.sh
# Unpacks the Vulkan loader when the machine has none, finds the NVIDIA Vulkan driver, unpacks
# Node and the Dawn addon into a temporary folder, runs driver.mjs (TF.js on WebGPU through Dawn)
# and then the PyTorch peer (scripts/gpu-bench/torch_gpu.py) on the same shapes, within about
# six minutes in all. JSON lines go to $OUT/gpu-bench.jsonl, everything (the JSON lines too) to $OUT/log.txt.
# Environment: OUT (default /tmp/gpubench-out), GPUBENCH_PACK (default <repo>/.gpubench),
# GPUBENCH_ARGS (extra driver options, e.g. --quick), DRIVER_S / PEER_S (time caps, seconds),
# GPUBENCH_PEER_ARGS (extra options for the peer), PEER_PYTHON (default python3, which holds
# torch on the GPU machines), GPUBENCH_NO_PEER=1 (skip the peer).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
pack="$(cd "${GPUBENCH_PACK:-$repo/.gpubench}" && pwd)" || { echo "no pack: run scripts/gpu-bench/pack.sh first" >&2; exit 2; }
OUT="${OUT:-/tmp/gpubench-out}"
mkdir -p "$OUT"
jsonl="$OUT/gpu-bench.jsonl"
log="$OUT/log.txt"
: > "$jsonl"
exec > >(tee -a "$log") 2>&1
# JSON lines to the .jsonl; every line (Dawn prints its validation errors on stdout) to the log.
keep_json() { while IFS= read -r l; do printf '%s\n' "$l"; [[ $l == '{'* ]] && printf '%s\n' "$l" >> "$jsonl"; done; }
say() { echo "[run.sh $(date -u +%T)] $*" >&2; }

# The Vulkan loader and GL dispatch libraries (NVIDIA's Vulkan driver is libGLX_nvidia, which
# needs libGLdispatch), unpacked into / as the device README's recipe does, only when missing.
if ! ldconfig -p | grep -q 'libvulkan\.so\.1' || ! ldconfig -p | grep -q 'libGLdispatch\.so\.0'; then
  say "no Vulkan loader or GL dispatch library: unpacking $(ls "$pack"/debs/*.deb | wc -l) packages into /"
  for f in "$pack"/debs/*.deb; do dpkg -x "$f" /; done
  ldconfig
fi
# The NVIDIA driver's files may sit under /usr/local/nvidia, where the loader does not look.
for d in /usr/local/nvidia/lib64 /usr/local/nvidia/lib; do
  [ -d "$d" ] && export LD_LIBRARY_PATH="$d${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
done
nv_icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if [ -z "${VK_ICD_FILENAMES:-}${VK_DRIVER_FILES:-}" ] && [ -f "$nv_icd" ] &&
  ! grep -ls nvidia /usr/share/vulkan/icd.d/*.json /etc/vulkan/icd.d/*.json >/dev/null 2>&1; then
  export VK_DRIVER_FILES="$nv_icd"
fi
say "VK_ICD_FILENAMES=${VK_ICD_FILENAMES:-} VK_DRIVER_FILES=${VK_DRIVER_FILES:-} LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-}"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv >&2

work="$(mktemp -d /tmp/gpubench.XXXXXX)"
unxz_to() { # xz may be missing there; Python's lzma is not
  if command -v xz >/dev/null; then xz -dc "$1" > "$2"
  else python3 -c 'import lzma,shutil,sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2],"wb"))' "$1" "$2"; fi
}
unxz_to "$pack/node.xz" "$work/node" && chmod +x "$work/node"
mkdir -p "$work/node_modules"
unxz_to "$pack/webgpu.tar.xz" "$work/webgpu.tar" && tar -C "$work/node_modules" -xf "$work/webgpu.tar" && rm "$work/webgpu.tar"
# GPUBENCH_SCRIPT=profile.mjs runs the step profile (scripts/gpu-bench/profile.ts) instead of the driver.
script="${GPUBENCH_SCRIPT:-driver.mjs}"
cp "$pack/$script" "$work/driver.mjs"
say "node $("$work/node" --version 2>&1)"

say "driver (cap ${DRIVER_S:-270} s)"
# shellcheck disable=SC2086
(cd "$work" && timeout -k 10 "${DRIVER_S:-270}" ./node driver.mjs --shapes "$pack/shapes" --budget-s $(( ${DRIVER_S:-270} - 60 )) ${GPUBENCH_ARGS:-}) | keep_json
say "driver exit ${PIPESTATUS[0]}"
if ! grep -q '"bench":"gpu-adapter","vendor"' "$jsonl"; then
  say "no adapter: the Vulkan loader's account of it"
  (cd "$work" && VK_LOADER_DEBUG=error,warn,driver timeout 60 ./node driver.mjs --probe-only 2>&1 | tail -80)
  ls -la /usr/local/nvidia/share/vulkan/icd.d /usr/share/vulkan/icd.d /etc/vulkan/icd.d 2>&1
  cat "${VK_DRIVER_FILES:-/dev/null}" 2>&1
fi

if [ -z "${GPUBENCH_NO_PEER:-}" ]; then
  say "PyTorch peer (cap ${PEER_S:-100} s)"
  # shellcheck disable=SC2086
  HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 PYTHONUNBUFFERED=1 timeout -k 10 "${PEER_S:-100}" "${PEER_PYTHON:-python3}" "$here/torch_gpu.py" "$pack/shapes" --budget-s $(( ${PEER_S:-100} - 30 )) ${GPUBENCH_PEER_ARGS:-} | keep_json
  say "peer exit ${PIPESTATUS[0]}"
fi
rm -rf "$work"
say "$(grep -c . "$jsonl") JSON lines in $jsonl"
