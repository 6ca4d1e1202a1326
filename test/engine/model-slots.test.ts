import { expect } from '@open-wc/testing';
import type { EmbedBackend, LoadOptions } from '../../src/engine/backends/backend.js';
import { SlmEngine } from '../../src/engine/slm-engine.js';
import type { ErrorDetail, ModelRole, StateChangeDetail } from '../../src/engine/types.js';
import type { SlmError } from '../../src/errors/slm-error.js';
import { CountingBackends } from '../fakes/counting-backends.js';
import { recordEvents } from '../support/events.js';

/** An embedder whose vector for a text is its length and its vowel count, normalised. */
class FakeEmbedder implements EmbedBackend {
  loads = 0;
  async load({ onProgress }: LoadOptions): Promise<void> {
    this.loads++;
    onProgress({ type: 'file', file: 'onnx/model.onnx', loadedBytes: 10, totalBytes: 10, done: true });
  }
  async embed(texts: string[]): Promise<Float32Array[]> {
    return texts.map((text) => {
      const v = [text.length, (text.match(/[aeiou]/g) ?? []).length];
      const norm = Math.hypot(...v) || 1;
      return Float32Array.from(v, (x) => x / norm);
    });
  }
  async unload(): Promise<void> {}
}

function engineWith(options: ConstructorParameters<typeof SlmEngine>[0] = {}) {
  const backends = new CountingBackends();
  const embedder = new FakeEmbedder();
  const engine = new SlmEngine({ llm: 'test-llm', asr: 'test-asr', ...options, backendFactory: { llm: backends.llm, asr: backends.asr, embed: () => embedder } });
  return { engine, backends, embedder };
}

const ask = [{ role: 'user' as const, content: 'a' }];

describe('SlmEngine model slots', () => {
  it('answers on the small model when one is configured, and on the main one when not', async () => {
    const { engine, backends } = engineWith();
    await engine.generate(ask, { model: 'small' });
    expect(backends.loads).to.deep.equal(['llm:slm-test/llama-tiny-random']);
    expect(engine.has('small')).to.equal(false);
    expect(engine.state('small').status).to.equal('idle');

    engine.configure({ smallLlm: 'slm-test/small-llm' });
    await engine.generate(ask, { model: 'small' });
    expect(engine.has('small')).to.equal(true);
    expect(backends.loads.at(-1)).to.equal('llm:slm-test/small-llm');
    expect(engine.state('small').status).to.equal('ready');
    // The main model stayed loaded: configuring the small one touched only its own slot.
    expect(engine.state('llm').status).to.equal('ready');
    expect(backends.unloads).to.deep.equal([]);
  });

  it('reads partials with the preview model when one is configured, and with the main one when not', async () => {
    const { engine, backends } = engineWith();
    await engine.transcribe(new Float32Array(160), { model: 'preview' });
    expect(backends.loads).to.deep.equal(['asr:slm-test/whisper-tiny-random']);
    engine.configure({ asrPreview: 'slm-test/moonshine-tiny-random' });
    await engine.transcribe(new Float32Array(160), { model: 'preview' });
    expect(backends.loads.at(-1)).to.equal('asr:slm-test/moonshine-tiny-random');
    expect(engine.state('preview').placement!.modelId).to.equal('slm-test/moonshine-tiny-random');
  });

  it('loads the preview model alongside the speech model, and keeps a preview failure to its own slot', async () => {
    const { engine, backends } = engineWith({ asrPreview: 'slm-test/moonshine-tiny-random' });
    const errors = recordEvents(engine, 'slm-error');
    await engine.load(['asr']);
    // The same load load() started, not a second one.
    await engine.ensureLoaded('preview');
    expect(backends.loads.sort()).to.deep.equal(['asr:slm-test/moonshine-tiny-random', 'asr:slm-test/whisper-tiny-random']);

    engine.configure({ asrPreview: 'no-such-preview' });
    const error = (await engine.transcribe(new Float32Array(160), { model: 'preview' }).catch((e: unknown) => e)) as SlmError;
    errors.stop();
    expect(error.code).to.equal('unknown-model');
    expect(engine.state('preview').status).to.equal('error');
    expect(engine.state('asr').status).to.equal('ready');
    expect(errors.events.map((e) => (e.detail as ErrorDetail).role)).to.deep.equal(['preview']);
  });

  it('resolves ensureLoaded to where the model runs, not to its backend', async () => {
    const { engine } = engineWith();
    const placement = await engine.ensureLoaded('llm');
    expect(placement.modelId).to.equal('slm-test/llama-tiny-random');
    expect(placement.backend).to.equal('wasm');
    expect(placement).to.not.have.property('generate');
    expect(engine.slot('llm').state.placement).to.equal(placement);
  });

  it('reports every change of every slot as one slm-state-change with its role', async () => {
    const { engine } = engineWith({ smallLlm: 'slm-test/small-llm', embed: 'slm-test/embedder-tiny-random' });
    const changes = recordEvents(engine, 'slm-state-change');
    await engine.generate(ask, { model: 'small' });
    await engine.embed(['hello']);
    changes.stop();
    const seen = (role: ModelRole) => changes.events.map((e) => e.detail as StateChangeDetail).filter((d) => d.role === role).map((d) => d.state.status);
    expect(seen('small').at(0)).to.equal('loading');
    expect(seen('small').at(-1)).to.equal('ready');
    expect(seen('embed').at(-1)).to.equal('ready');
    expect(seen('llm')).to.deep.equal([]);
    // Progress is part of the state: the last change carries the finished load.
    const last = changes.events.map((e) => e.detail as StateChangeDetail).filter((d) => d.role === 'embed').at(-1)!;
    expect(last.state.progress).to.include({ phase: 'ready', role: 'embed', kind: 'embed' });
  });

  it('embeds texts on the embed model, queued on the engine scheduler', async () => {
    const { engine, embedder } = engineWith({ embed: 'slm-test/embedder-tiny-random' });
    const [a, b] = await Promise.all([engine.embed(['aaa', 'bcd']), engine.embed(['x'])]);
    expect(a).to.have.length(2);
    expect(b).to.have.length(1);
    expect(Math.hypot(...a[0])).to.be.closeTo(1, 1e-6);
    expect(embedder.loads).to.equal(1);
    expect(engine.state('embed').placement).to.include({ kind: 'embed', backend: 'wasm', dtype: 'fp32', runtime: 'transformers' });
    expect(engine.scheduler.snapshot().embed).to.deep.equal({ running: null, queued: [] });
  });

  it('says clearly when texts are embedded without an embedding model', async () => {
    const { engine } = engineWith();
    const error = (await engine.embed(['a']).catch((e: unknown) => e)) as SlmError;
    expect(error.code).to.equal('not-loaded');
    expect(error.message).to.match(/No embedding model is configured/);
  });

  it('unloads every slot when the model host changes', async () => {
    const { engine, backends } = engineWith({ smallLlm: 'slm-test/small-llm' });
    await engine.generate(ask);
    await engine.generate(ask, { model: 'small' });
    engine.configure({ modelHost: 'https://models.example.org' });
    expect(engine.state('llm').status).to.equal('idle');
    expect(engine.state('small').status).to.equal('idle');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(backends.unloads.sort()).to.deep.equal(['llm:slm-test/llama-tiny-random', 'llm:slm-test/small-llm']);
  });
});
