/// <reference lib="webworker" />
/**
 * Voice activity detection and segmentation, off the main thread. Audio arrives as 16 kHz
 * frames (from the capture worklet through a MessagePort, or from a decoded file); windows
 * to recognise leave for the engine, which runs the speech model.
 */
import { SlmError } from '../../errors/slm-error.js';
import { EnergyVad } from '../energy-vad.js';
import { StreamingSegmenter } from '../segmenter.js';
import { SILERO_FRAME, SileroVad } from '../silero-vad.js';
import type { SpeechWorkerMessage, SpeechWorkerRequest, VadKind } from './speech-protocol.js';

declare const self: DedicatedWorkerGlobalScope;

let segmenter: StreamingSegmenter | null = null;
let vad: { probability(frame: Float32Array): number | Promise<number> } = new EnergyVad();
/** Samples not yet making up a whole VAD frame. */
let carry = new Float32Array(0);
/** Frames are processed strictly in order, one at a time, even when the VAD is async. */
let queue: Promise<void> = Promise.resolve();
let ready: Promise<void> = Promise.resolve();
/** Capture ports of the current recording, and the samples that came through them. */
const ports: MessagePort[] = [];
let portSamples = 0;
const portWaiters: Array<() => void> = [];
/** How long `flush` waits for capture audio still on its way before it ends without it. */
const PORT_GRACE_MS = 2_000;
/** Silero, loaded once per worker and model: a reused worker only resets its state. */
let silero: { url: string; vad: SileroVad } | null = null;

const post = (message: SpeechWorkerMessage, transfer: Transferable[] = []) => self.postMessage(message, transfer);

self.addEventListener('message', (event: MessageEvent<SpeechWorkerRequest>) => {
  const request = event.data;
  switch (request.type) {
    case 'start':
      // A worker kept from an earlier recording starts over; audio still on its way from
      // that recording's capture is not this one's.
      for (const port of ports.splice(0)) port.close();
      portSamples = 0;
      ready = queue.then(() => start(request));
      queue = ready.catch(() => undefined);
      break;
    case 'audio':
      enqueue(request.samples, true);
      break;
    case 'port':
      ports.push(request.port);
      request.port.onmessage = (message: MessageEvent<{ samples: Float32Array }>) => {
        portSamples += message.data.samples.length;
        enqueue(message.data.samples);
        for (const wake of portWaiters.splice(0)) wake();
      };
      break;
    case 'flush':
      // Queued once the capture's last block is, so that it comes after it.
      void portSamplesArrived(request.portSamples ?? 0).then(() => flush(request.id));
      break;
  }
});

function flush(id: number): void {
  queue = queue.then(() => {
    if (!segmenter) return;
    for (const window of segmenter.flush()) post({ type: 'window', window }, [window.audio.buffer]);
    post({ type: 'flushed', id, samplesSeen: segmenter.samplesSeen + carry.length });
  });
}

/** Resolves once `count` samples have come through the capture ports, or after a grace period. */
function portSamplesArrived(count: number): Promise<void> {
  return new Promise((resolve) => {
    const deadline = setTimeout(resolve, PORT_GRACE_MS);
    const check = () => {
      if (portSamples >= count) {
        clearTimeout(deadline);
        resolve();
      } else portWaiters.push(check);
    };
    check();
  });
}

async function start(request: Extract<SpeechWorkerRequest, { type: 'start' }>): Promise<void> {
  segmenter = new StreamingSegmenter(request.segmenter, request.idPrefix);
  carry = new Float32Array(0);
  let kind: VadKind = 'energy';
  let fallbackReason: string | undefined;
  vad = new EnergyVad();
  if (request.vad === 'silero') {
    try {
      if (silero?.url !== request.vadModelUrl) {
        // onnxruntime's plain WASM build, not the WebGPU one Transformers.js loads: Silero runs
        // on the CPU anyway, and the WebGPU build's asyncify-instrumented WASM took 3.1 s of CPU
        // per 2 minutes of audio (warm) against 2.4 s, and 17–19 s against 6–7 s while cold.
        const ort = await import('onnxruntime-web/wasm');
        ort.env.wasm.wasmPaths = request.wasmPaths;
        ort.env.wasm.numThreads = 1;
        silero = { url: request.vadModelUrl, vad: await SileroVad.load(ort, request.vadModelUrl) };
      }
      silero.vad.reset();
      vad = silero.vad;
      kind = 'silero';
    } catch (error) {
      // Dictation still works on energy alone; the app is told why it is coarser.
      fallbackReason = error instanceof Error ? error.message : String(error);
    }
  }
  post({ type: 'ready', vad: kind, ...(fallbackReason ? { fallbackReason } : {}) });
}

/** `acknowledge`: say when the samples are done, so a file is read no faster than it is segmented. */
function enqueue(samples: Float32Array, acknowledge = false): void {
  queue = queue
    .then(() => ready)
    .then(() => process(samples))
    .catch((error: unknown) => {
      post({ type: 'error', error: new SlmError('generation-failed', `Speech detection failed: ${String(error)}`).toJSON() });
    })
    .then(() => {
      if (acknowledge) post({ type: 'consumed', samples: samples.length });
    });
}

async function process(samples: Float32Array): Promise<void> {
  if (!segmenter) return;
  const joined = new Float32Array(carry.length + samples.length);
  joined.set(carry);
  joined.set(samples, carry.length);
  let offset = 0;
  for (; offset + SILERO_FRAME <= joined.length; offset += SILERO_FRAME) {
    const frame = joined.subarray(offset, offset + SILERO_FRAME);
    const p = await vad.probability(frame);
    for (const window of segmenter.push(frame, p)) post({ type: 'window', window }, [window.audio.buffer]);
  }
  carry = joined.slice(offset);
}
