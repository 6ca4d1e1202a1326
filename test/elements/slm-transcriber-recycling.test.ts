import { expect } from '@open-wc/testing';
import type { DebugDetail } from '../../src/engine/slm-engine.js';
import type { TranscriptSegment } from '../../src/audio/transcript-store.js';
import { loadAudio } from '../support/audio.js';
import { recordFault } from '../support/faults.js';
import { TEST_ASR } from '../support/model-host.js';
import { useTranscriber } from '../support/transcriber.js';
import { wavBlob } from '../support/wav.js';

/**
 * The fixture dictation's three sentences with 9 s of silence between them: the file path ends
 * a window at a pause of 8 s or more, so each sentence is a reading of its own.
 */
async function threeReadings(): Promise<File> {
  const audio = await loadAudio('/test/fixtures/audio/dictation.wav');
  const sentences = (await (await fetch('/test/fixtures/audio/dictation.json')).json()) as Array<{ start: number; end: number }>;
  const pause = new Float32Array(16_000 * 9);
  const parts = sentences.flatMap(({ start, end }, i) => [...(i ? [pause] : []), audio.slice(Math.round(16_000 * (start - 0.3)), Math.round(16_000 * (end + 0.3)))]);
  const joined = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (joined.set(p, at), at + p.length), 0);
  return new File([wavBlob({ sampleRate: 16_000, channels: 1, bits: 16 }, [joined])], 'three-sentences.wav', { type: 'audio/wav' });
}

const finals = (segments: readonly TranscriptSegment[]) => segments.filter((s) => s.final).map(({ text, start, end }) => ({ text, start, end }));

describe('<slm-transcriber> with the speech worker recycled between readings', () => {
  const mounted = useTranscriber(TEST_ASR);

  it('transcribes a dictation the same with a fresh worker after every reading: nothing lost, reordered or read twice', async function () {
    // Three fresh workers, each compiling onnxruntime's WebAssembly again: about 30 s each on this busy machine.
    this.timeout(400_000);
    const { provider, transcriber } = mounted;
    const file = await threeReadings();
    await transcriber.transcribeFile(file);
    const expected = finals(transcriber.segments);
    expect(expected).to.have.length(3);
    expect(provider.engine.slot('asr').workerMemory!.recycles).to.equal(0);

    provider.session.transcript.clear();
    provider.recycleLimits = { readings: 1 };
    await provider.updateComplete;
    const recycled: DebugDetail[] = [];
    const listener = (event: Event) => recycled.push((event as CustomEvent<DebugDetail>).detail);
    // Heard on the page: the provider passes the engine's debug events on, bubbling.
    document.addEventListener('slm-debug', listener);
    try {
      await transcriber.transcribeFile(file);
      await provider.engine.slot('asr').settled();
    } finally {
      document.removeEventListener('slm-debug', listener);
      provider.recycleLimits = null;
    }
    const got = finals(transcriber.segments);

    expect(got).to.deep.equal(expected);
    // One a reading: a window per sentence, and the file path may read a short tail too.
    expect(recycled.length).to.be.at.least(3);
    expect(recycled.every((d) => d.kind === 'worker-recycled' && d.role === 'asr' && d.reason === 'readings')).to.equal(true);
    const lost = expected.filter((segment, i) => JSON.stringify(segment) !== JSON.stringify(got[i])).length + Math.max(0, got.length - expected.length);
    await recordFault('the speech worker is replaced between readings (after each one)', 'worker-recycled', { code: recycled[0]?.kind ?? 'none', lost });
  });
});
