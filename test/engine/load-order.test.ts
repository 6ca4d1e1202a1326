import { expect, fixture, html } from '@open-wc/testing';
import '../../src/elements/slm-provider/slm-provider.js';
import type { SlmProvider } from '../../src/elements/slm-provider/slm-provider.js';
import type { AsrBackend, LlmBackend, LoadOptions } from '../../src/engine/backends/backend.js';
import { SlmEngine } from '../../src/engine/slm-engine.js';
import type { TranscriptionResult } from '../../src/engine/types.js';
import { CountingBackends } from '../fakes/counting-backends.js';

/** A speech backend whose download the test finishes by hand, to see what waits for it. */
class HeldSpeechBackend implements AsrBackend {
  progress: LoadOptions['onProgress'] | null = null;
  private finish: (() => void) | null = null;
  private onStart: () => void = () => undefined;
  readonly started = new Promise<void>((resolve) => (this.onStart = resolve));

  load({ onProgress }: LoadOptions): Promise<void> {
    this.progress = onProgress;
    onProgress({ type: 'file', file: 'onnx/encoder_model_quantized.onnx', loadedBytes: 0, totalBytes: 100, done: false });
    this.onStart();
    return new Promise((resolve) => (this.finish = resolve));
  }
  /** All files in: the runtime now builds its session (the "compile" phase). */
  downloaded(): void {
    this.progress?.({ type: 'file', file: 'onnx/encoder_model_quantized.onnx', loadedBytes: 100, totalBytes: 100, done: true });
  }
  ready(): void {
    this.finish?.();
  }
  async transcribe(audio: Float32Array): Promise<TranscriptionResult> {
    return { text: 'ok', durationSeconds: audio.length / 16_000, elapsedMs: 1 };
  }
  async unload(): Promise<void> {}
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('SlmEngine load order', () => {
  it('loads the speech model first and the language model once the speech model is ready', async () => {
    const speech = new HeldSpeechBackend();
    const counting = new CountingBackends();
    let llmLoads = 0;
    const llm = (): LlmBackend => {
      llmLoads++;
      return counting.llm();
    };
    const engine = new SlmEngine({ llm: 'test-llm', asr: 'test-asr', backendFactory: { llm, asr: () => speech } });
    try {
      const loading = engine.load();
      await speech.started;
      await tick();
      // Both rows show a load in progress, but only the speech model is loading.
      expect(engine.state('asr').status).to.equal('loading');
      expect(engine.state('llm').status).to.equal('loading');
      expect(llmLoads).to.equal(0);

      // Its files in, the speech model builds its session: still alone.
      speech.downloaded();
      await tick();
      expect(engine.state('asr').progress?.phase).to.equal('compile');
      expect(llmLoads).to.equal(0);

      speech.ready();
      await loading;
      expect(llmLoads).to.equal(1);
      expect(engine.state('asr').status).to.equal('ready');
      expect(engine.state('llm').status).to.equal('ready');
    } finally {
      speech.ready();
      await engine.dispose();
    }
  });

  it('still loads the language model when the speech model fails', async () => {
    const counting = new CountingBackends();
    const failing: AsrBackend = {
      load: async () => {
        throw new Error('no speech model here');
      },
      transcribe: async () => ({ text: '', durationSeconds: 0, elapsedMs: 0 }),
      unload: async () => undefined,
    };
    const engine = new SlmEngine({ llm: 'test-llm', asr: 'test-asr', backendFactory: { llm: counting.llm, asr: () => failing } });
    try {
      const error = await engine.load().catch((e: unknown) => e);
      expect(error).to.be.instanceOf(Error);
      await engine.ensureLoaded('llm');
      expect(engine.state('asr').status).to.equal('error');
      expect(engine.state('llm').status).to.equal('ready');
    } finally {
      await engine.dispose();
    }
  });

  it("shows both rows in the provider's panel, the language model's saying it starts after the speech model", async () => {
    const speech = new HeldSpeechBackend();
    const counting = new CountingBackends();
    const provider = await fixture<SlmProvider>(html`<slm-provider llm="test-llm" asr="test-asr"></slm-provider>`);
    provider.engine.useBackends({ llm: counting.llm, asr: () => speech });
    try {
      const loading = provider.load();
      await speech.started;
      speech.downloaded();
      await tick();
      await provider.updateComplete;
      const row = (role: string) => provider.shadowRoot!.querySelector(`[part~="model"][data-kind="${role}"]`)!;
      expect(row('asr').getAttribute('data-status')).to.equal('loading');
      expect(row('asr').textContent).to.contain('Preparing');
      expect(row('llm').getAttribute('data-status')).to.equal('loading');
      expect(row('llm').querySelector('progress')).to.exist;
      expect(row('llm').textContent).to.contain('Starts once the speech model is ready');

      speech.ready();
      await loading;
      await provider.updateComplete;
      expect(row('llm').getAttribute('data-status')).to.equal('ready');
      expect(row('llm').textContent).not.to.contain('Starts once');
    } finally {
      speech.ready();
      await provider.engine.dispose();
    }
  });
});
