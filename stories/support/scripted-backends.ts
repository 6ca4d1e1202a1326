import type { AsrBackend, BackendProgress, LlmBackend, LoadOptions } from '../../src/engine/backends/backend.js';
import type { ChatMessage, GenerateOptions, GenerationResult, TranscriptionResult } from '../../src/engine/types.js';
import { SlmError, type SlmErrorCode } from '../../src/errors/slm-error.js';

export interface ScriptedModel {
  /** Files the load "downloads", with sizes in bytes. */
  files?: Array<{ file: string; bytes: number }>;
  /** Seconds the whole download takes. */
  downloadSeconds?: number;
  /** Fail the load half-way with this code and message. */
  failWith?: { code: SlmErrorCode; message: string };
  /** The answer, token by token. */
  tokens?: string[];
  tokenDelayMs?: number;
  transcript?: string;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), reject(new SlmError('aborted', 'Cancelled.'))), { once: true });
  });

const defaultFiles = [
  { file: 'config.json', bytes: 1_800 },
  { file: 'tokenizer.json', bytes: 7_000_000 },
  { file: 'onnx/model_q4.onnx', bytes: 480_000_000 },
];

/**
 * A model that behaves like a real one on a timer, for stories: files download with
 * progress, then it warms up, then it streams a scripted answer. No library, no GPU.
 */
class ScriptedModelBackend {
  constructor(protected readonly script: ScriptedModel = {}) {}

  async load({ onProgress, signal }: LoadOptions): Promise<void> {
    const files = this.script.files ?? defaultFiles;
    const tickMs = 100;
    const ticks = Math.max(2, Math.round(((this.script.downloadSeconds ?? 4) * 1000) / tickMs));
    for (let tick = 1; tick <= ticks; tick++) {
      await sleep(tickMs, signal);
      for (const { file, bytes } of files) {
        const progress: BackendProgress = { type: 'file', file, loadedBytes: Math.round((bytes * tick) / ticks), totalBytes: bytes, done: tick === ticks };
        onProgress(progress);
      }
      if (this.script.failWith && tick === Math.ceil(ticks / 2)) throw new SlmError(this.script.failWith.code, this.script.failWith.message);
    }
    onProgress({ type: 'phase', phase: 'warmup' });
    await sleep(300, signal);
  }

  async unload(): Promise<void> {}
}

export class ScriptedLlmBackend extends ScriptedModelBackend implements LlmBackend {
  async generate(_messages: ChatMessage[], options: GenerateOptions = {}): Promise<GenerationResult> {
    const tokens = (this.script.tokens ?? 'The patient reports a dry cough for three days , without fever .'.split(' ').map((t) => `${t} `)).slice(0, options.maxTokens ?? Infinity);
    const started = performance.now();
    let text = '';
    for (const token of tokens) {
      await sleep(this.script.tokenDelayMs ?? 60, options.signal);
      text += token;
      options.onToken?.(token);
    }
    const elapsed = performance.now() - started;
    return {
      text,
      finishReason: 'stop',
      stats: { promptTokens: 24, completionTokens: tokens.length, timeToFirstTokenMs: this.script.tokenDelayMs ?? 60, prefillTokensPerSecond: 400, decodeTokensPerSecond: (tokens.length * 1000) / elapsed },
    };
  }
}

export class ScriptedAsrBackend extends ScriptedModelBackend implements AsrBackend {
  async transcribe(audio: Float32Array): Promise<TranscriptionResult> {
    await sleep(200);
    return { text: this.script.transcript ?? 'Patient reports a dry cough for three days.', durationSeconds: audio.length / 16_000, elapsedMs: 200 };
  }
}
