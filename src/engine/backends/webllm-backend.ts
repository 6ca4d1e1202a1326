import type { AppConfig, ChatCompletionChunk, InitProgressReport, MLCEngineInterface, ModelRecord } from '@mlc-ai/web-llm';
import { SlmError } from '../../errors/slm-error.js';
import type { ChatMessage, GenerateOptions, GenerationResult, ModelHostConfig } from '../types.js';
import { HUGGING_FACE_HUB } from '../model-host.js';
import type { LlmBackend, LoadOptions } from './backend.js';
import { classifyRuntimeError } from './runtime-errors.js';
import { phaseFromWebLlmReport } from './webllm-progress.js';

export type MlcEngineFactory = (
  modelId: string,
  config: { appConfig: AppConfig; initProgressCallback: (report: InitProgressReport) => void },
) => Promise<MLCEngineInterface>;

export interface WebLlmBackendOptions {
  /** Makes the engine; default: `CreateWebWorkerMLCEngine` on our WebLLM worker. Tests pass a fake. */
  createEngine?: MlcEngineFactory;
  /** WebLLM's model records; default: the installed package's `prebuiltAppConfig.model_list`. */
  modelList?: ModelRecord[];
}

const LIBS_PREFIX = '/binary-mlc-llm-libs/main/';

/**
 * WebLLM records point at the Hugging Face hub for weights and at GitHub for compiled model
 * libraries. With a self-hosted mirror, both move to it under the Hugging Face layout:
 * `{host}/mlc-ai/{model_id}/resolve/main/…` and `{host}/mlc-ai/binary-mlc-llm-libs/resolve/main/…`.
 */
export function recordForHost(record: ModelRecord, host: ModelHostConfig['host']): ModelRecord {
  const base = host.replace(/\/+$/, '');
  if (base === HUGGING_FACE_HUB) return record;
  const lib = record.model_lib.indexOf(LIBS_PREFIX);
  return {
    ...record,
    model: `${base}/mlc-ai/${record.model_id}`,
    model_lib: lib >= 0 ? `${base}/mlc-ai/binary-mlc-llm-libs/resolve/main/${record.model_lib.slice(lib + LIBS_PREFIX.length)}` : record.model_lib,
  };
}

const defaultFactory: MlcEngineFactory = async (modelId, config) => {
  const webllm = await import('@mlc-ai/web-llm');
  const worker = new Worker(new URL('../workers/webllm.worker.js', import.meta.url), { type: 'module', name: 'slm-webllm' });
  try {
    const engine = await webllm.CreateWebWorkerMLCEngine(worker, modelId, config);
    return Object.assign(engine, { terminateWorker: () => worker.terminate() });
  } catch (error) {
    worker.terminate();
    throw error;
  }
};

/** A WebLLM model, running in WebLLM's worker, behind the same interface as every LLM backend. */
export class WebLlmBackend implements LlmBackend {
  private engine: (MLCEngineInterface & { terminateWorker?: () => void }) | null = null;
  private modelId = '';

  constructor(private readonly options: WebLlmBackendOptions = {}) {}

  async load({ placement, host, onProgress, signal }: LoadOptions): Promise<void> {
    this.modelId = placement.modelId;
    const modelList = this.options.modelList ?? ((await import('@mlc-ai/web-llm')).prebuiltAppConfig.model_list as ModelRecord[]);
    const record = modelList.find((r) => r.model_id === placement.modelId);
    if (!record) {
      throw new SlmError('unknown-model', `WebLLM has no model "${placement.modelId}" in its model list.`, { modelId: placement.modelId });
    }
    const appConfig: AppConfig = { model_list: [recordForHost(record, host.host)], cacheBackend: 'cache' };
    const create = this.options.createEngine ?? defaultFactory;
    const loading = create(placement.modelId, { appConfig, initProgressCallback: (report) => onProgress(phaseFromWebLlmReport(report)) });
    const aborted = new Promise<never>((_, reject) => {
      signal?.addEventListener('abort', () => reject(new SlmError('aborted', 'Loading was cancelled.', { modelId: placement.modelId })), { once: true });
    });
    try {
      this.engine = await Promise.race([loading, aborted]);
    } catch (error) {
      // A load abandoned half-way still holds GPU memory once it finishes: release it.
      void loading.then((engine) => this.dispose(engine), () => undefined);
      throw classifyRuntimeError(error, 'load', placement.modelId);
    }
  }

  async generate(messages: ChatMessage[], options: GenerateOptions = {}): Promise<GenerationResult> {
    const engine = this.engine;
    if (!engine) throw new SlmError('not-loaded', 'The WebLLM model is not loaded yet; call load() first.');
    const { signal, onToken } = options;
    if (signal?.aborted) throw new SlmError('aborted', 'Generation was cancelled before it started.');
    const onAbort = () => engine.interruptGenerate();
    signal?.addEventListener('abort', onAbort, { once: true });
    const started = performance.now();
    let firstTokenAt = 0;
    let text = '';
    let finishReason: ChatCompletionChunk.Choice['finish_reason'] = null;
    let usage: ChatCompletionChunk['usage'] | undefined;
    try {
      const stream = await engine.chat.completions.create({
        messages,
        stream: true,
        stream_options: { include_usage: true },
        max_tokens: options.maxTokens,
        temperature: options.temperature ?? 0,
        ...(options.jsonSchema ? { response_format: { type: 'json_object', schema: JSON.stringify(options.jsonSchema) } } : {}),
      });
      for await (const chunk of stream) {
        const choice = chunk.choices[0];
        const delta = choice?.delta?.content ?? '';
        if (delta) {
          if (!firstTokenAt) firstTokenAt = performance.now();
          text += delta;
          onToken?.(delta);
        }
        if (choice?.finish_reason) finishReason = choice.finish_reason;
        if (chunk.usage) usage = chunk.usage;
      }
    } catch (error) {
      throw classifyRuntimeError(error, 'generate', this.modelId);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    if (signal?.aborted || finishReason === 'abort') throw new SlmError('aborted', 'Generation was stopped.', { modelId: this.modelId });
    const ended = performance.now();
    const completionTokens = usage?.completion_tokens ?? 0;
    return {
      text,
      finishReason: finishReason === 'length' ? 'length' : 'stop',
      stats: {
        promptTokens: usage?.prompt_tokens ?? 0,
        completionTokens,
        timeToFirstTokenMs: usage?.extra?.time_to_first_token_s !== undefined ? usage.extra.time_to_first_token_s * 1000 : (firstTokenAt || ended) - started,
        prefillTokensPerSecond: usage?.extra?.prefill_tokens_per_s ?? 0,
        decodeTokensPerSecond:
          usage?.extra?.decode_tokens_per_s ?? (completionTokens > 1 && ended > firstTokenAt ? ((completionTokens - 1) * 1000) / (ended - firstTokenAt) : 0),
      },
    };
  }

  async unload(): Promise<void> {
    const engine = this.engine;
    this.engine = null;
    if (engine) await this.dispose(engine);
  }

  private async dispose(engine: MLCEngineInterface & { terminateWorker?: () => void }): Promise<void> {
    await engine.unload().catch(() => undefined);
    engine.terminateWorker?.();
  }
}
