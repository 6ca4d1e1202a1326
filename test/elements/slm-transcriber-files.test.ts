import { expect } from '@open-wc/testing';
import type { SlmProvider } from '../../src/elements/slm-provider/slm-provider.js';
import type { SlmTranscriber } from '../../src/elements/slm-transcriber/slm-transcriber.js';
import type { ErrorDetail } from '../../src/engine/types.js';
import { nextEvent, recordEvents } from '../support/events.js';
import { browserRequests, TEST_ASR } from '../support/model-host.js';
import { useTranscriber } from '../support/transcriber.js';
import { recordFault } from '../support/faults.js';

const file = async (name: string, type: string) => new File([await (await fetch(`/test/fixtures/audio/${name}`)).arrayBuffer()], name, { type });

describe('<slm-transcriber> with recordings and without a microphone', () => {
  const mounted = useTranscriber(TEST_ASR);
  let provider: SlmProvider;
  let transcriber: SlmTranscriber;
  beforeEach(() => ({ provider, transcriber } = mounted));

  for (const [name, type] of [
    ['jfk.wav', 'audio/wav'],
    ['jfk.mp3', 'audio/mpeg'],
    ['jfk.ogg', 'audio/ogg'],
  ]) {
    it(`transcribes ${name} into segments covering the whole 11 s`, async () => {
      const progress: string[] = [];
      const recorder = recordEvents(transcriber, 'slm-recording-change', 'slm-error');
      await transcriber.transcribeFile(await file(name, type));
      recorder.stop();
      progress.push(...recorder.events.map((e) => e.type));
      expect(recorder.events.filter((e) => e.type === 'slm-error').map((e) => e.detail.message)).to.deep.equal([]);
      const finals = transcriber.segments.filter((s) => s.final);
      expect(finals.length).to.be.at.least(1);
      expect(finals[0].start).to.be.lessThan(0.8);
      expect(finals.at(-1)!.end).to.be.greaterThan(10.2);
      // Speech without long pauses is covered end to end: gaps between segments are short.
      for (let i = 1; i < finals.length; i++) expect(finals[i].start - finals[i - 1].end).to.be.lessThan(1.5);
      expect(finals.every((s) => s.text.length > 0)).to.equal(true);
      expect(transcriber.state).to.equal('idle');
    });
  }

  it('shows a window’s words while the model reads it, as a partial the final then replaces', async () => {
    const changes: Array<{ id: string; text: string; final: boolean }> = [];
    const listener = (event: Event) => {
      const { segment } = (event as CustomEvent<{ segment: { id: string; text: string; final: boolean } }>).detail;
      changes.push({ id: segment.id, text: segment.text, final: segment.final });
    };
    provider.session.transcript.addEventListener('slm-transcript', listener);
    try {
      await transcriber.transcribeFile(await file('jfk.wav', 'audio/wav'));
    } finally {
      provider.session.transcript.removeEventListener('slm-transcript', listener);
    }
    const first = changes.find((c) => c.final)!;
    const before = changes.slice(0, changes.indexOf(first)).filter((c) => c.id === first.id);
    // A file has no live previews: any text before the final is the final reading's own, streamed.
    expect(before.length).to.be.greaterThan(0);
    expect(before.every((c) => !c.final && c.text.length > 0)).to.equal(true);
    expect(first.text.startsWith(before.at(-1)!.text)).to.equal(true);
    expect(transcriber.segments.every((s) => s.final)).to.equal(true);
  });

  it('keeps the speech worker warm between files: no new worker, Silero not fetched again, same segments', async () => {
    const jfk = await file('jfk.wav', 'audio/wav');
    await transcriber.transcribeFile(jfk);
    const first = transcriber.segments.filter((s) => s.final);
    provider.session.transcript.clear();

    const created: string[] = [];
    const NativeWorker = window.Worker;
    window.Worker = class extends NativeWorker {
      constructor(url: string | URL, options?: WorkerOptions) {
        super(url, options);
        created.push(String(url));
      }
    };
    await browserRequests(true);
    try {
      await transcriber.transcribeFile(jfk);
    } finally {
      window.Worker = NativeWorker;
    }
    const second = transcriber.segments.filter((s) => s.final);
    expect(created).to.deep.equal([]);
    expect((await browserRequests()).filter((url) => /silero|ort-wasm/.test(url))).to.deep.equal([]);
    // A reused worker starts over: a fresh segmenter and voice-detector state give the same
    // utterances at the same times, under new ids.
    expect(second.map((s) => [s.start, s.end])).to.deep.equal(first.map((s) => [s.start, s.end]));
    expect(second.map((s) => s.id).some((id) => first.some((f) => f.id === id))).to.equal(false);
  });

  it('reports an unreadable file and keeps the transcript', async () => {
    provider.session.transcript.upsert({ id: 'kept', text: 'earlier words', start: 0, end: 1, final: true });
    const error = nextEvent<CustomEvent<ErrorDetail>>(transcriber, 'slm-error');
    await transcriber.transcribeFile(await file('corrupt.mp3', 'audio/mpeg'));
    const { detail } = await error;
    expect(detail.code).to.equal('audio-unsupported');
    expect(detail.message).to.contain('corrupt.mp3');
    expect(provider.session.transcript.get('kept')!.text).to.equal('earlier words');
    await recordFault('a corrupt audio file is uploaded', 'audio-unsupported', { code: detail.code, lost: provider.session.transcript.get('kept')?.text === 'earlier words' ? 0 : 1 });
    expect(transcriber.state).to.equal('idle');
  });

  it('finds no segments, and no error, in a silent room', async () => {
    const recorder = recordEvents(transcriber, 'slm-error');
    await transcriber.transcribeFile(await file('silence.wav', 'audio/wav'));
    recorder.stop();
    expect(recorder.events).to.deep.equal([]);
    expect(transcriber.segments).to.deep.equal([]);
  });

  it('reports a refused microphone and stays ready to record', async () => {
    // This browser has no fake microphone and no permission: getUserMedia is refused.
    const error = nextEvent<CustomEvent<ErrorDetail>>(transcriber, 'slm-error');
    await transcriber.start();
    expect(['mic-denied', 'mic-unavailable']).to.include((await error).detail.code);
    expect(transcriber.state).to.equal('idle');
  });

  it('lets a correction stand when the same segment is recognised again', async () => {
    provider.session.transcript.upsert({ id: 'x', text: 'metro pole', start: 0, end: 1, final: true });
    await transcriber.updateComplete;
    const span = transcriber.shadowRoot!.querySelector<HTMLElement>('[part~="segment"][data-id="x"]')!;
    span.focus();
    span.textContent = 'metoprolol';
    span.blur();
    provider.session.transcript.upsert({ id: 'x', text: 'metro pole', start: 0, end: 1, final: true });
    await transcriber.updateComplete;
    expect(provider.session.transcript.get('x')!.text).to.equal('metoprolol');
    expect(transcriber.shadowRoot!.querySelector('[data-id="x"]')!.hasAttribute('data-edited')).to.equal(true);
  });

  it('shows partial text dimmed after the words that have settled', async () => {
    provider.session.transcript.upsert({ id: 'p', text: 'patient reports a dri', start: 0, end: 1, final: false, stableText: 'patient reports a' });
    await transcriber.updateComplete;
    const span = transcriber.shadowRoot!.querySelector('[data-id="p"]')!;
    expect(span.getAttribute('data-final')).to.equal('false');
    expect(span.querySelector('.unstable')!.textContent).to.equal(' dri');
  });
});
