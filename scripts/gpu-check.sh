#!/usr/bin/env bash
# The device checks of issue 6, as one call on the device tool's GPU machine:
#   bash scripts/gpu-kit.sh                      (here, once: packs .gpu-kit/)
#   run(command: "bash scripts/gpu-check.sh", carry: [".gpu-kit"], timeout_s: 540)
# It unpacks the kit (Node, node_modules, the GL/Vulkan loaders, dist/), finds
# the NVIDIA Vulkan driver, and writes to $OUT:
#   machine.txt   nvidia-smi, the Vulkan setup, the adapter wasmtensor sees
#   tests.log     test/webgpu on that adapter (the browser test needs Chromium: left out)
#   bench.log, webgpu.json, webgpu.svg
#                 `node bench/webgpu.mjs` (GEMM 256..4096 and the seed's Dense
#                 shapes, ours vs tfjs-backend-webgpu; its vsTfjs is the target)
# Each step has its own time limit, so that a hang in one still returns the
# others. Off the device (to try it) set OUT, and VK_ICD_FILENAMES for SwiftShader.
set -uo pipefail
cd "$(dirname "$0")/.."
out="${OUT:-/tmp/gpu-check}"
mkdir -p "$out"
kit=/tmp/gpu-kit
started=$SECONDS
step() { echo "--- $* ($((SECONDS - started)) s)"; }

step "unpacking .gpu-kit/kit.tar.xz"
[ -f .gpu-kit/kit.tar.xz ] || { echo "gpu-check: .gpu-kit/kit.tar.xz is missing: run bash scripts/gpu-kit.sh and carry .gpu-kit" | tee "$out/machine.txt"; exit 1; }
rm -rf "$kit" && mkdir -p "$kit" && tar xJf .gpu-kit/kit.tar.xz -C "$kit" || exit 1
[ -e node_modules ] || ln -s "$kit/node_modules" node_modules
[ -f dist/index.mjs ] || { rm -rf dist && ln -s "$kit/dist" dist; }
export PATH="$kit/node/bin:$PATH"

# Vulkan: the kit's loaders first (the image may have none), then NVIDIA's driver libraries and its manifest.
libs="$kit/gl/usr/lib/x86_64-linux-gnu"
[ -d /usr/local/nvidia/lib64 ] && libs="$libs:/usr/local/nvidia/lib64"
export LD_LIBRARY_PATH="$libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
nvidia_icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if [ -z "${VK_ICD_FILENAMES:-}${VK_DRIVER_FILES:-}" ] && [ -f "$nvidia_icd" ]; then export VK_DRIVER_FILES="$nvidia_icd"; fi

step "machine"
{
  echo "node $(node -v), $(nproc) cores, $(uname -r)"
  nvidia-smi 2>&1 | head -20
  echo "ldconfig libvulkan: $(ldconfig -p 2>/dev/null | grep -c libvulkan.so.1) entries; LD_LIBRARY_PATH=$LD_LIBRARY_PATH"
  echo "VK_DRIVER_FILES=${VK_DRIVER_FILES:-} VK_ICD_FILENAMES=${VK_ICD_FILENAMES:-}"
  [ -f "$nvidia_icd" ] && cat "$nvidia_icd"
  timeout 90 node --input-type=module -e "
    const wt = await import('./dist/index.mjs');
    await wt.ready();
    const info = await wt.webgpu.adapterInfo();
    console.log('adapter:', JSON.stringify(info), info ? '' : wt.webgpu.unavailableReason());
  " 2>&1
} > "$out/machine.txt" 2>&1
cat "$out/machine.txt"

step "test/webgpu"
WASMTENSOR_REQUIRE_WEBGPU=1 timeout 200 node node_modules/vitest/vitest.mjs run test/webgpu \
  --exclude test/webgpu/browser.test.ts > "$out/tests.log" 2>&1
echo "rc $?"; grep -E "Test Files|Tests |FAIL|✗|×" "$out/tests.log" | head -20

step "bench/webgpu.mjs"
timeout 240 node bench/webgpu.mjs --out="$out/webgpu.json" > "$out/bench.log" 2>&1
echo "rc $?"; cat "$out/bench.log"
step "done"
