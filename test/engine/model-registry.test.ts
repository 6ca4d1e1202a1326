import { expect } from '@open-wc/testing';
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { buildLlmPresets, buildModelRegistry, loadModelRegistry, type WebLlmModelRecord } from '../../src/engine/models/model-registry.js';
import { WEBLLM_MODEL_LIST } from '../../src/engine/models/webllm-model-list.js';
import { SlmError } from '../../src/errors/slm-error.js';

const records = prebuiltAppConfig.model_list as WebLlmModelRecord[];
const registry = buildModelRegistry(records);
const record = (modelId: string) => records.find((r) => r.model_id === modelId)!;
/** A record as the registry keeps it: the fields `WebLlmModelRecord` names. */
const pickRecord = (r: WebLlmModelRecord) => {
  const { model, model_id, model_lib, vram_required_MB, low_resource_required, required_features, overrides } = r;
  return Object.fromEntries(Object.entries({ model, model_id, model_lib, vram_required_MB, low_resource_required, required_features, overrides }).filter(([, v]) => v !== undefined));
};

function resolveError(kind: 'llm' | 'asr', id: string): SlmError {
  try {
    registry.resolve(kind, id);
  } catch (error) {
    expect(error, id).to.be.instanceOf(SlmError);
    return error as SlmError;
  }
  throw new Error(`expected "${id}" to be refused`);
}

describe('ModelRegistry', () => {
  describe('WebLLM presets', () => {
    it('offers every LLM preset the product names', () => {
      expect(registry.presets('llm').map((p) => p.id)).to.include.members(['phi-4-mini', 'phi-3.5-mini', 'gemma-2-2b', 'qwen2.5-0.5b', 'qwen2.5-1.5b', 'smollm2-360m', 'llama-3.2-1b']);
    });

    it('takes memory, features and the low-resource flag from WebLLM’s own records', () => {
      for (const preset of buildLlmPresets(records)) {
        const f16 = record(preset.modelId);
        expect(preset.modelId, preset.id).to.match(/-q4f16_1-MLC$/);
        expect(preset.modelIdF32, preset.id).to.equal(preset.modelId.replace('q4f16_1', 'q4f32_1'));
        expect(record(preset.modelIdF32!), preset.id).to.not.equal(undefined);
        expect(preset.memoryBytes, preset.id).to.equal(Math.round(f16.vram_required_MB! * 1e6));
        expect(preset.requiredFeatures, preset.id).to.deep.equal(f16.required_features ?? []);
        expect(preset.lowResource, preset.id).to.equal(f16.low_resource_required ?? false);
        expect(preset.runtime).to.equal('webllm');
      }
      expect(registry.get('phi-3.5-mini')!.memoryBytes).to.equal(Math.round(record('Phi-3.5-mini-instruct-q4f16_1-MLC').vram_required_MB! * 1e6));
      expect(registry.get('gemma-2-2b')!.requiredFeatures).to.include('shader-f16');
    });

    it('follows the records when WebLLM changes them', () => {
      const edited = records.map((r) => (r.model_id === 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC' ? { ...r, vram_required_MB: 1234, required_features: ['shader-f16', 'subgroups'] } : r));
      const qwen = buildModelRegistry(edited).get('qwen2.5-0.5b')!;
      expect(qwen.memoryBytes).to.equal(1234e6);
      expect(qwen.requiredFeatures).to.deep.equal(['shader-f16', 'subgroups']);
    });

    it('leaves out a preset whose records are missing, and uses the q4f32 record when only it exists', () => {
      const partial = buildModelRegistry(records.filter((r) => !r.model_id.startsWith('gemma-2-2b') && r.model_id !== 'Phi-4-mini-instruct-q4f16_1-MLC'));
      expect(partial.get('gemma-2-2b')).to.equal(undefined);
      expect(partial.get('phi-3.5-mini')).to.not.equal(undefined);
      const phi4 = partial.get('phi-4-mini')!;
      expect([phi4.modelId, phi4.memoryBytes]).to.deep.equal(['Phi-4-mini-instruct-q4f32_1-MLC', Math.round(record('Phi-4-mini-instruct-q4f32_1-MLC').vram_required_MB! * 1e6)]);
      expect(buildModelRegistry([]).presets('llm').every((p) => p.runtime === 'transformers')).to.equal(true);
    });

    it('names an ONNX stand-in for WASM where one exists', () => {
      expect(registry.get('qwen2.5-0.5b')!.fallbackModelId).to.equal('onnx-community/Qwen2.5-0.5B-Instruct');
      expect(registry.get('smollm2-360m')!.fallbackModelId).to.equal('HuggingFaceTB/SmolLM2-360M-Instruct');
      expect(registry.get('phi-3.5-mini')!.fallbackModelId).to.equal('onnx-community/Phi-3.5-mini-instruct-onnx-web');
      expect(registry.get('phi-4-mini')!.fallbackModelId).to.equal(undefined);
    });
  });

  it('offers Whisper and Moonshine speech presets from onnx-community, with size, memory and licence', () => {
    const speech = registry.presets('asr');
    expect(speech.map((p) => p.id)).to.include.members(['whisper-tiny', 'whisper-tiny.en', 'whisper-base', 'whisper-base.en', 'whisper-small', 'distil-whisper-small.en', 'moonshine-tiny', 'moonshine-base']);
    for (const preset of speech.filter((p) => !p.id.startsWith('test-'))) {
      expect(preset.modelId, preset.id).to.match(/^onnx-community\//);
      expect(preset.license, preset.id).to.equal('MIT');
      expect(preset.runtime, preset.id).to.equal('transformers');
    }
    expect(registry.get('whisper-base')!.multilingual).to.equal(true);
    expect(registry.get('whisper-base.en')!.multilingual).to.equal(false);
  });

  it('gives every curated preset a size, memory need, licence and use', () => {
    for (const preset of registry.presets()) {
      expect(preset.downloadBytes, preset.id).to.be.greaterThan(0);
      expect(preset.memoryBytes, preset.id).to.be.greaterThan(0);
      expect(preset.license, preset.id).to.not.equal('');
      expect(preset.goodFor, preset.id).to.not.equal('');
      expect(preset.label, preset.id).to.not.equal('');
    }
  });

  it('labels the random-weight fixtures as such and pins them to fp32', () => {
    for (const [id, modelId] of [['test-llm', 'slm-test/llama-tiny-random'], ['test-asr', 'slm-test/whisper-tiny-random'], ['test-moonshine', 'slm-test/moonshine-tiny-random']]) {
      const preset = registry.get(id)!;
      expect(preset.modelId).to.equal(modelId);
      expect(preset.label).to.match(/random weights/);
      expect(preset.downloadBytes).to.be.below(5e6);
      expect(preset.dtypes).to.deep.equal({ webgpu: 'fp32', wasm: 'fp32', webnn: 'fp32' });
    }
  });

  describe('resolve', () => {
    it('takes a preset id', () => {
      expect(registry.resolve('llm', 'qwen2.5-0.5b').id).to.equal('qwen2.5-0.5b');
      expect(registry.resolve('asr', ' whisper-base ').id).to.equal('whisper-base');
    });

    it('takes a preset’s model id, q4f32 id or stand-in, preferring the preset that loads exactly that id', () => {
      expect(registry.resolve('llm', 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC').id).to.equal('qwen2.5-0.5b');
      expect(registry.resolve('llm', 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC').id).to.equal('qwen2.5-0.5b');
      expect(registry.resolve('llm', 'onnx-community/Phi-3.5-mini-instruct-onnx-web').id).to.equal('phi-3.5-mini');
      expect(registry.resolve('llm', 'onnx-community/Qwen2.5-0.5B-Instruct').id).to.equal('qwen2.5-0.5b-onnx');
      expect(registry.resolve('asr', 'onnx-community/moonshine-base-ONNX').id).to.equal('moonshine-base');
    });

    it('takes any WebLLM model id, with facts from its record and its q4f32 sibling', () => {
      const adHoc = registry.resolve('llm', 'Llama-3.1-8B-Instruct-q4f16_1-MLC');
      expect(adHoc.runtime).to.equal('webllm');
      expect(adHoc.modelId).to.equal('Llama-3.1-8B-Instruct-q4f16_1-MLC');
      expect(adHoc.modelIdF32).to.equal('Llama-3.1-8B-Instruct-q4f32_1-MLC');
      expect(adHoc.memoryBytes).to.equal(Math.round(record('Llama-3.1-8B-Instruct-q4f16_1-MLC').vram_required_MB! * 1e6));
      expect(registry.resolve('llm', 'Mistral-7B-Instruct-v0.2-q4f16_1-MLC').modelIdF32).to.equal(undefined);
    });

    it('takes a Hugging Face repo id as a Transformers.js model of the asked kind, sizes unknown', () => {
      const hf = registry.resolve('asr', 'onnx-community/whisper-large-v3-turbo');
      expect([hf.runtime, hf.kind, hf.modelId, hf.label, hf.downloadBytes, hf.memoryBytes]).to.deep.equal(['transformers', 'asr', 'onnx-community/whisper-large-v3-turbo', 'onnx-community/whisper-large-v3-turbo', 0, 0]);
      expect(registry.resolve('llm', 'my-org/my_model.v2').runtime).to.equal('transformers');
    });

    it('rejects an unknown id with code unknown-model, naming it and suggesting presets', () => {
      for (const bad of ['gpt-5', 'whisper base', '../etc/passwd', '../x', 'a/b/c', 'org/..', '/name', 'org/', '']) {
        const error = resolveError('llm', bad);
        expect(error.code, bad).to.equal('unknown-model');
        expect(error.message, bad).to.contain(`"${bad}"`);
        expect(error.message, bad).to.contain('phi-4-mini');
        expect(error.modelId, bad).to.equal(bad);
      }
      expect(resolveError('asr', 'whisper-huge').message).to.contain('whisper-tiny');
    });

    it('does not offer a model of the other kind, and says which kind it is', () => {
      const error = resolveError('llm', 'whisper-base');
      expect(error.code).to.equal('unknown-model');
      expect(error.message).to.contain('speech model');
      expect(resolveError('asr', 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC').code).to.equal('unknown-model');
    });
  });

  it('is built lazily from the installed WebLLM, once', async () => {
    const [a, b] = await Promise.all([loadModelRegistry(), loadModelRegistry()]);
    expect(a).to.equal(b);
    expect(await loadModelRegistry()).to.equal(a);
    expect(a.get('phi-4-mini')!.modelId).to.equal('Phi-4-mini-instruct-q4f16_1-MLC');
  });

  it('reads the installed WebLLM’s model list from the generated module, field for field (npm run webllm:models)', () => {
    expect(WEBLLM_MODEL_LIST, 'run `npm run webllm:models` after upgrading WebLLM').to.deep.equal(records.map(pickRecord));
  });

  it('places every WebLLM model, and refuses an unknown one, as a registry of WebLLM’s own list does', async () => {
    const loaded = await loadModelRegistry();
    expect(loaded.presets()).to.deep.equal(registry.presets());
    for (const { model_id } of records) {
      expect(loaded.resolve('llm', model_id), model_id).to.deep.equal(registry.resolve('llm', model_id));
      expect(loaded.webLlmRecord(model_id), model_id).to.deep.equal(pickRecord(record(model_id)));
    }
    for (const bad of ['No-Such-Model-q4f16_1-MLC', '../etc/passwd', 'whisper-base']) {
      const refusal = (r: typeof registry) => {
        try {
          r.resolve('llm', bad);
        } catch (error) {
          return { code: (error as SlmError).code, message: (error as SlmError).message };
        }
        return null;
      };
      expect(refusal(registry), bad).to.not.equal(null);
      expect(refusal(loaded), bad).to.deep.equal(refusal(registry));
    }
  });
});
