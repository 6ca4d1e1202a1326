#!/usr/bin/env bash
# Runs on the NVIDIA GPU machine (see prepare.sh): bash bench-data/gpu/run.sh [STEPS]
# STEPS (comma-separated, default all): llm05, eng05, torch05, asr, llm05q4, eng05q4, llm15, eng15, torch15, llm05cpu.
# eng05 / eng05q4 / eng15: our engine's path (bench-engine.mjs) right after Transformers.js called directly on the same
# model (llm05 / llm05q4 / llm15, run here too when not listed), for the ratio of the two.
# Writes $OUT/bench-gpu.log and $OUT/gpu-results.json (every RESULT line, plus the comparisons and goals).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${OUT:-$here/out}
mkdir -p "$out"
steps=${1:-llm05,eng05,torch05,asr,llm05q4,eng05q4,llm15,eng15,torch15,llm05cpu}
# A step starts only while the run is under its time budget (the device tool stops a command at 600 s).
budget=${GPUBENCH_BUDGET_S:-480}
listed() { [[ ",$steps," == *",$1,"* ]]; }
want() { [[ ",$steps," == *",$1,"* ]] && { [ "$SECONDS" -lt "$budget" ] || { echo "SKIPPED $1 (over ${budget} s)"; return 1; }; }; }
# GPUBENCH_SMOKE=1 (anywhere, no GPU): the same steps on a tiny shape on CPU, to check the scripts (PYTHON= one with numpy+onnx).
smoke=${GPUBENCH_SMOKE:-}
py=${PYTHON:-python3}
if [ -n "$smoke" ]; then s05=test s15=test gpu=cpu w=/tmp/gpubench-smoke; else s05=0.5b s15=1.5b gpu=webgpu w=/tmp/gpubench; fi

main() {
  if [ -z "$smoke" ]; then
    for f in "$here"/gl/*.deb; do dpkg -x "$f" /; done
    ldconfig
  fi
  export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json VK_ICD_FILENAMES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
  export PYTHONUNBUFFERED=1
  unx() { xz -dc "$1" 2>/dev/null || python3 -c 'import lzma,sys,shutil; shutil.copyfileobj(lzma.open(sys.argv[1]), sys.stdout.buffer)' "$1"; }
  mkdir -p $w/models && cd $w
  [ -x node ] || { unx "$here/node.xz" > node && chmod +x node; }
  [ -d node_modules ] || unx "$here/modules.tar.xz" | tar xf -
  rm -rf pkg && cp -r "$here/scripts" pkg
  local m=$w/models tjs="timeout 400 $w/node $w/pkg/bench-tjs.mjs" eng="timeout 400 $w/node $w/pkg/bench-engine.mjs"
  echo "RESULT $($py -c 'import json,platform,torch,transformers,onnx,onnxruntime,numpy; print(json.dumps({"bench":"env","python":platform.python_version(),"torch":torch.__version__,"cuda":torch.version.cuda,"transformers":transformers.__version__,"onnx":onnx.__version__,"onnxruntime":onnxruntime.__version__,"numpy":numpy.__version__,"gpu":torch.cuda.get_device_name(0),"node":"'"$(./node --version)"'","cpus":__import__("os").cpu_count()}))')"
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm,clocks.max.mem --format=csv,noheader
  cd pkg
  if want llm05 || want llm05q4 || want torch05 || want llm05cpu || want eng05 || want eng05q4; then
    [ -f $m/qwen2.5-0.5b-shape-random/onnx/model_q4.onnx ] || timeout 300 $py make_llm.py $m/qwen2.5-0.5b-shape-random $s05 q4f16,q4
  fi
  want llm05 && $tjs llm $m qwen2.5-0.5b-shape-random $gpu q4f16 512 256 3
  if want eng05; then
    listed llm05 || $tjs llm $m qwen2.5-0.5b-shape-random $gpu q4f16 512 256 3
    $eng $m qwen2.5-0.5b-shape-random $gpu q4f16 512 256 3
  fi
  want torch05 && timeout 400 $py torch_ref.py $s05 float16 512 256 3
  if want asr; then
    [ -f $m/whisper-base-size-random/onnx/decoder_model_merged_fp16.onnx ] || timeout 400 $py make_whisper.py $m
    for d in webgpu:fp32 webgpu:fp16 cpu:fp32 cpu:q8; do
      $tjs asr $m whisper-base-size-random "${d%%:*}" "${d##*:}" jfk.wav 30 3
    done
  fi
  want llm05q4 && $tjs llm $m qwen2.5-0.5b-shape-random $gpu q4 512 256 3
  if want eng05q4; then
    listed llm05q4 || $tjs llm $m qwen2.5-0.5b-shape-random $gpu q4 512 256 3
    $eng $m qwen2.5-0.5b-shape-random $gpu q4 512 256 3
  fi
  if want llm15 || want torch15 || want eng15; then
    [ -f $m/qwen2.5-1.5b-shape-random/onnx/model_q4f16.onnx ] || timeout 300 $py make_llm.py $m/qwen2.5-1.5b-shape-random $s15 q4f16
  fi
  want llm15 && $tjs llm $m qwen2.5-1.5b-shape-random $gpu q4f16 512 256 3
  if want eng15; then
    listed llm15 || $tjs llm $m qwen2.5-1.5b-shape-random $gpu q4f16 512 256 3
    $eng $m qwen2.5-1.5b-shape-random $gpu q4f16 512 256 3
  fi
  want torch15 && timeout 400 $py torch_ref.py $s15 float16 512 256 3
  want llm05cpu && $tjs llm $m qwen2.5-0.5b-shape-random cpu q4f16 512 256 1
  return 0
}

main 2>&1 | tee "$out/bench-gpu.log"
$w/node $w/pkg/summarize.mjs "$out/bench-gpu.log" "$out/gpu-results.json"
