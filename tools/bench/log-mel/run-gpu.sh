#!/usr/bin/env bash
# Runs on the NVIDIA GPU machine from the carried project root (see prepare-gpu.sh).
set -e
here=bench-data/log-mel-gpu
for f in $here/gl/*.deb; do dpkg -x "$f" /; done; ldconfig
export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json VK_ICD_FILENAMES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
unx() { xz -dc "$1" 2>/dev/null || python3 -c 'import lzma,sys,shutil; shutil.copyfileobj(lzma.open(sys.argv[1]), sys.stdout.buffer)' "$1"; }
mkdir -p /tmp/lm
[ -x /tmp/lm/node ] || { unx $here/node.xz > /tmp/lm/node && chmod +x /tmp/lm/node; }
[ -f /tmp/lm/dawn.node ] || unx $here/dawn.node.xz > /tmp/lm/dawn.node
[ -d /tmp/lm/node_modules ] || tar xzf $here/ort.tar.gz -C /tmp/lm
cp $here/bench.mjs /tmp/lm/bench.mjs
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader || true
lscpu | grep -E 'Model name|^CPU\(s\)' || true
cd /tmp/lm && timeout 240 ./node bench.mjs /tmp/lm/dawn.node "${1:-20}"
