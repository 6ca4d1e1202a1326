/// <reference lib="webworker" />
/**
 * WebLLM's own worker protocol: `CreateWebWorkerMLCEngine` on the main thread talks to this
 * handler, which owns the WebGPU device and the model. Started only when WebLLM is chosen.
 */
import { WebWorkerMLCEngineHandler } from '@mlc-ai/web-llm';
import { isWebLlmFilesMessage, useModelFilesForWebLlm } from '../model-files/webllm-files.js';

declare const self: DedicatedWorkerGlobalScope;

const handler = new WebWorkerMLCEngineHandler();
self.onmessage = (message: MessageEvent) => {
  // Ours, sent before WebLLM's first: its downloads from the model host get retries and pins.
  if (isWebLlmFilesMessage(message.data)) return useModelFilesForWebLlm(self, message.data);
  handler.onmessage(message);
};
