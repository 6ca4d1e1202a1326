import { expect } from '@open-wc/testing';
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { buildModelRegistry, loadModelRegistry, type WebLlmModelRecord } from '../../src/engine/models/model-registry.js';
import { SlmError } from '../../src/errors/slm-error.js';

const records = prebuiltAppConfig.model_list as WebLlmModelRecord[];
const registry = buildModelRegistry(records);

describe('ModelRegistry', () => {
  it('offers every LLM preset the product names, from WebLLM’s own records', () => {
    const ids = registry.presets('llm').map((p) => p.id);
    expect(ids).to.include.members(['phi-4-mini', 'phi-3.5-mini', 'gemma-2-2b', 'qwen2.5-0.5b', 'qwen2.5-1.5b', 'smollm2-360m', 'llama-3.2-1b']);
    const phi = registry.get('phi-3.5-mini')!;
    const record = records.find((r) => r.model_id === 'Phi-3.5-mini-instruct-q4f16_1-MLC')!;
    expect(phi.memoryBytes).to.equal(Math.round(record.vram_required_MB! * 1e6));
    expect(phi.modelIdF32).to.equal('Phi-3.5-mini-instruct-q4f32_1-MLC');
    expect(registry.get('smollm2-360m')!.requiredFeatures).to.deep.equal(records.find((r) => r.model_id === 'SmolLM2-360M-Instruct-q4f16_1-MLC')!.required_features);
  });

  it('offers Whisper and Moonshine speech presets with size, memory and licence', () => {
    const ids = registry.presets('asr').map((p) => p.id);
    expect(ids).to.include.members(['whisper-tiny', 'whisper-base', 'whisper-small', 'distil-whisper-small.en', 'moonshine-tiny', 'moonshine-base']);
    for (const preset of registry.presets()) {
      expect(preset.downloadBytes, preset.id).to.be.greaterThan(0);
      expect(preset.memoryBytes, preset.id).to.be.greaterThan(0);
      expect(preset.license, preset.id).to.not.equal('');
      expect(preset.goodFor, preset.id).to.not.equal('');
    }
  });

  it('leaves out a preset whose records are missing', () => {
    const partial = buildModelRegistry(records.filter((r) => !r.model_id.startsWith('gemma-2-2b')));
    expect(partial.get('gemma-2-2b')).to.equal(undefined);
    expect(partial.get('phi-3.5-mini')).to.not.equal(undefined);
  });

  it('resolves a preset id, a preset’s model id, any WebLLM id and any Hugging Face repo', () => {
    expect(registry.resolve('llm', 'qwen2.5-0.5b').id).to.equal('qwen2.5-0.5b');
    expect(registry.resolve('llm', 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC').id).to.equal('qwen2.5-0.5b');
    const adHoc = registry.resolve('llm', 'Llama-3.1-8B-Instruct-q4f32_1-MLC');
    expect(adHoc.runtime).to.equal('webllm');
    expect(adHoc.memoryBytes).to.be.greaterThan(1e9);
    const hf = registry.resolve('asr', 'onnx-community/whisper-large-v3-turbo');
    expect([hf.runtime, hf.kind, hf.modelId]).to.deep.equal(['transformers', 'asr', 'onnx-community/whisper-large-v3-turbo']);
  });

  it('rejects an unknown id with a clear error that names it', () => {
    for (const bad of ['gpt-5', 'whisper base', '../etc/passwd']) {
      let caught: unknown;
      try {
        registry.resolve('llm', bad);
      } catch (e) {
        caught = e;
      }
      expect(caught, bad).to.be.instanceOf(SlmError);
      expect((caught as SlmError).code).to.equal('unknown-model');
      expect((caught as SlmError).message).to.contain(bad);
    }
  });

  it('does not offer a speech model where a language model is asked for', () => {
    expect(() => registry.resolve('llm', 'whisper-base')).to.throw(SlmError);
  });

  it('is built lazily from the installed WebLLM, once', async () => {
    const [a, b] = await Promise.all([loadModelRegistry(), loadModelRegistry()]);
    expect(a).to.equal(b);
    expect(a.get('phi-4-mini')!.modelId).to.equal('Phi-4-mini-instruct-q4f16_1-MLC');
  });
});
