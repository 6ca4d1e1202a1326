import { expect } from '@open-wc/testing';
import { SlmEngine } from '../../src/engine/slm-engine.js';
import type { LoadProgress } from '../../src/engine/types.js';
import { modelHostUrl, TEST_ASR, TEST_MOONSHINE } from '../support/model-host.js';

/** The phases one speech model's load went through, and a first reading after it. */
async function loadAndRead(asr: string): Promise<{ phases: string[]; text: string }> {
  const engine = new SlmEngine({ asr, device: 'wasm', modelHost: await modelHostUrl() });
  const phases: string[] = [];
  engine.addEventListener('slm-load-progress', (event) => {
    const { phase } = (event as CustomEvent<LoadProgress>).detail;
    if (phases.at(-1) !== phase) phases.push(phase);
  });
  try {
    await engine.ensureLoaded('asr');
    const audio = new Float32Array(16_000).map((_, i) => Math.sin(i / 9) * (i < 8_000 ? 0.4 : 0.02));
    const { text } = await engine.transcribe(audio);
    return { phases, text };
  } finally {
    await engine.dispose();
  }
}

describe('warming a speech model up', () => {
  it('skips the warm-up reading for Whisper on WASM (a full 30 s window that only delays readiness), and still reads', async () => {
    const { phases, text } = await loadAndRead(TEST_ASR);
    expect(phases).to.not.include('warmup');
    expect(phases.at(-1)).to.equal('ready');
    expect(text.trim()).to.not.equal('');
  });

  it('keeps it for Moonshine on WASM, whose warm-up reads 0.1 s', async () => {
    const { phases, text } = await loadAndRead(TEST_MOONSHINE);
    expect(phases).to.include('warmup');
    expect(text.trim()).to.not.equal('');
  });
});
