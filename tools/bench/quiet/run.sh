#!/usr/bin/env bash
# Runs on the quiet machine (see prepare.sh), from the carried checkout: bash bench-data/quiet/N/run.sh [STEPS]
# Every call first stages its part into /tmp/quiet and unpacks each piece of the stream that is complete (the
# machine keeps /tmp between calls while it is warm): the project starts the models' generation in the
# background (it outlives the call), Chromium is tried once (a page that prints its core count).
# A later call that carries no part can run `bash /tmp/quiet/run.sh STEPS` while the machine is warm.
# STEPS (comma-separated, default none): load (bench:load parts=asr requests: 5G cold and warm, slow 4G probed and warm),
# moonshine, whisper (bench:latency models=… verbose). Each waits for the models it needs.
# Logs and the benches' JSON go to $OUT (or /tmp/quiet/out).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
w=/tmp/quiet
out=${OUT:-$w/out}
steps=${1:-}
mkdir -p "$w/parts" "$out"
export PYTHONUNBUFFERED=1
# xz or gzip, by the name; Python's lzma or gzip where the command is missing.
unx() {
  case "$1" in
    *.gz) gzip -dc "$1" 2>/dev/null || python3 -c 'import gzip,sys,shutil; shutil.copyfileobj(gzip.open(sys.argv[1]), sys.stdout.buffer)' "$1" ;;
    *) xz -dc "$1" 2>/dev/null || python3 -c 'import lzma,sys,shutil; shutil.copyfileobj(lzma.open(sys.argv[1]), sys.stdout.buffer)' "$1" ;;
  esac
}
log() { echo "[$(date -u +%T) +${SECONDS}s] $*"; }

stage() {
  # `bash /tmp/quiet/run.sh STEPS` (a later call that carries nothing) runs on what is unpacked.
  [ -f "$here/part" ] || return 0
  [ "$here" = "$w" ] || cp "$0" "$w/run.sh"
  local n
  n=$(basename "$here")
  cp "$here/part" "$w/parts/$n"
  log "part $n of $(cat "$here/count") staged"
  # GNU tar extracts every member that is whole and stops at the cut one.
  mkdir -p "$w/stream"
  local skip=() d
  for d in "$w"/done.*; do [ -f "$d" ] && skip+=("--exclude=${d##*/done.}"); done
  # shellcheck disable=SC2046
  cat $(ls "$w"/parts/* | sort -V) | tar xf - -C "$w/stream" "${skip[@]}" 2>/dev/null
  [ -f "$w/stream/manifest" ] || { log "no manifest yet"; return; }
  local name
  while read -r _ name; do
    [ -f "$w/done.$name" ] && continue
    (cd "$w/stream" && grep " $name\$" manifest | sha256sum -c --quiet >/dev/null 2>&1) || { log "$name: not complete yet"; continue; }
    case "$name" in
      project.tar.gz) rm -rf "$w/repo" && mkdir -p "$w/repo" && unx "$w/stream/$name" | tar xf - -C "$w/repo" ;;
      chromium.tar.xz) unx "$w/stream/$name" | tar xf - -C "$w" ;;
      node.xz) mkdir -p "$w/bin" && unx "$w/stream/$name" > "$w/bin/node" && chmod +x "$w/bin/node" ;;
      modules.tar.gz) [ -f "$w/done.project.tar.gz" ] || { log "$name waits for the project"; continue; }; unx "$w/stream/$name" | tar xf - -C "$w/repo" ;;
    esac
    touch "$w/done.$name"
    rm -f "$w/stream/$name"
    log "$name unpacked"
  done < "$w/stream/manifest"
}

models() {
  [ -f "$w/done.project.tar.gz" ] || return 0
  [ -f "$w/models.started" ] && return 0
  touch "$w/models.started"
  local m=$w/repo/bench-data/models/slm-test kind
  mkdir -p "$m"
  declare -A folder=([whisper-base]=whisper-base-size-random [moonshine-tiny]=moonshine-tiny-size-random [whisper-tiny]=whisper-tiny-size-random)
  # QUIET_MODELS_FROM=DIR (to try this script on the machine that packed it): link DIR's models instead.
  if [ -n "${QUIET_MODELS_FROM:-}" ]; then
    for kind in "${!folder[@]}"; do
      ln -sfn "$QUIET_MODELS_FROM/${folder[$kind]}" "$m/${folder[$kind]}"
      echo "linked from $QUIET_MODELS_FROM" > "$w/models-$kind.log"
      [ -e "$m/${folder[$kind]}/onnx" ]; echo $? > "$w/models-$kind.rc"
    done
    return 0
  fi
  log "generating the models in the background (python3: $(command -v python3)); log: $w/models-*.log"
  for kind in "${!folder[@]}"; do
    # setsid: a process in its own session outlives the device call that started it.
    setsid bash -c "cd '$w/repo' && python3 tools/bench/quiet/make_models.py '$m' $kind > '$w/models-$kind.log' 2>&1; echo \$? > '$w/models-$kind.rc'" < /dev/null > /dev/null 2>&1 &
  done
}

try_chromium() {
  [ -f "$w/done.chromium.tar.xz" ] || return 0
  [ -f "$w/chromium.tried" ] && return 0
  touch "$w/chromium.tried"
  log "Chromium: $("$w/chromium/chromium.sh" --version 2>&1 | head -3)"
  local page='data:text/html,<body><script>document.body.textContent = `cores ${navigator.hardwareConcurrency} SharedArrayBuffer ${typeof SharedArrayBuffer}`</script>'
  timeout 60 "$w/chromium/chromium.sh" --headless --no-sandbox --disable-gpu --no-first-run --dump-dom "$page" > "$w/chromium-try.out" 2> "$w/chromium-try.err"
  log "Chromium tried (exit $?): $(grep -o 'cores[^<]*' "$w/chromium-try.out")"
  grep -v -i 'dbus\|fontconfig' "$w/chromium-try.err" | head -20
}

wait_models() {
  local kind
  for kind in "$@"; do
    [ -f "$w/models.started" ] || { log "no models: the project is not unpacked"; return 1; }
    while [ ! -f "$w/models-$kind.rc" ]; do sleep 2; done
    log "model $kind: exit $(cat "$w/models-$kind.rc"); $(tail -1 "$w/models-$kind.log")"
  done
}

bench() {
  local name=$1 limit=$2
  shift 2
  (cd "$w/repo" && LOAD_APP="${LOAD_APP:-}" PATH="$w/bin:$PATH" CHROMIUM_PATH="$w/chromium/chromium.sh" BENCH_RESULTS="$out" \
    timeout "$limit" "$w/bin/node" tools/bench/run-bench.mjs "$@") > "$out/$name.log" 2>&1
  log "$name: exit $? ($*), load $(cut -d' ' -f1-3 /proc/loadavg); the log's end:"
  tail -25 "$out/$name.log"
}

main() {
  log "$(nproc) cores, $(free -g | awk '/Mem/ { print $2 }') GiB, load $(cut -d' ' -f1-3 /proc/loadavg)"
  stage
  models
  try_chromium
  # Every generation is over before any bench starts: the figures are to come from a quiet machine.
  [ -n "$steps" ] && wait_models whisper-base moonshine-tiny whisper-tiny
  # The app was built where the stream was packed (no Rollup or Vite here).
  [[ ",$steps," == *,load,* ]] && LOAD_APP=prebuilt bench load 300 load parts=asr requests
  [[ ",$steps," == *,moonshine,* ]] && bench latency-moonshine 300 latency models=moonshine verbose
  [[ ",$steps," == *,whisper,* ]] && bench latency-whisper 300 latency models=whisper verbose
  for f in "$w"/models-*.log; do [ -f "$f" ] && { echo "== $f"; tail -3 "$f"; }; done
  return 0
}

main 2>&1 | tee -a "$out/quiet.log"
