import type { AsrBackend, LlmBackend, LoadOptions } from '../../src/engine/backends/backend.js';
import type { ChatMessage, GenerateOptions, GenerationResult, TranscriptionResult } from '../../src/engine/types.js';
import { SlmError } from '../../src/errors/slm-error.js';

/** Backends that count what the engine asks of them, for lifecycle tests. */
export class CountingBackends {
  loads: string[] = [];
  unloads: string[] = [];
  failNextLoad: SlmError | null = null;
  loadDelayMs = 5;

  llm = (): LlmBackend => this.backend('llm') as LlmBackend;
  asr = (): AsrBackend => this.backend('asr') as AsrBackend;

  private backend(kind: string): LlmBackend & AsrBackend {
    let modelId = '';
    return {
      load: async ({ placement, signal }: LoadOptions) => {
        modelId = placement.modelId;
        this.loads.push(`${kind}:${modelId}`);
        await new Promise((resolve) => setTimeout(resolve, this.loadDelayMs));
        if (signal?.aborted) throw new SlmError('aborted', 'cancelled');
        const failure = this.failNextLoad;
        this.failNextLoad = null;
        if (failure) throw failure;
      },
      unload: async () => {
        this.unloads.push(`${kind}:${modelId}`);
      },
      generate: async (_messages: ChatMessage[], options: GenerateOptions = {}): Promise<GenerationResult> => {
        options.onToken?.('ok');
        return { text: 'ok', finishReason: 'stop', stats: { promptTokens: 1, completionTokens: 1, timeToFirstTokenMs: 1, prefillTokensPerSecond: 1, decodeTokensPerSecond: 1 } };
      },
      transcribe: async (audio: Float32Array): Promise<TranscriptionResult> => ({ text: 'ok', durationSeconds: audio.length / 16_000, elapsedMs: 1 }),
    };
  }
}
