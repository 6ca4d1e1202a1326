/// <reference lib="webworker" />
/**
 * WebLLM's own worker protocol: `CreateWebWorkerMLCEngine` on the main thread talks to this
 * handler, which owns the WebGPU device and the model. Started only when WebLLM is chosen.
 */
import { WebWorkerMLCEngineHandler } from '@mlc-ai/web-llm';

declare const self: DedicatedWorkerGlobalScope;

const handler = new WebWorkerMLCEngineHandler();
self.onmessage = (message: MessageEvent) => handler.onmessage(message);
