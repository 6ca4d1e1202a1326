import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/elements/slm-provider/slm-provider.js';
import '../../src/elements/slm-transcriber/slm-transcriber.js';
import type { SlmProvider } from '../../src/elements/slm-provider/slm-provider.js';
import type { SlmTranscriber } from '../../src/elements/slm-transcriber/slm-transcriber.js';
import type { ErrorDetail } from '../../src/engine/types.js';
import { nextEvent } from '../support/events.js';
import { modelHostUrl, TEST_ASR } from '../support/model-host.js';
import { sleep } from '../support/live.js';
import { recordFault } from '../support/faults.js';


async function transcriberInProvider(): Promise<{ provider: SlmProvider; transcriber: SlmTranscriber }> {
  const provider = await fixture<SlmProvider>(html`
    <slm-provider asr=${TEST_ASR} model-host=${await modelHostUrl()}><slm-transcriber vad="energy"></slm-transcriber></slm-provider>
  `);
  await provider.load();
  return { provider, transcriber: provider.querySelector('slm-transcriber') as SlmTranscriber };
}

const restores: Array<() => void> = [];

/** Keeps the streams getUserMedia hands out, so a test can end a track as an unplugged device would. */
function watchStreams(): MediaStream[] {
  const streams: MediaStream[] = [];
  const original = navigator.mediaDevices.getUserMedia;
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    const stream = await original.call(navigator.mediaDevices, constraints);
    streams.push(stream);
    return stream;
  };
  restores.push(() => (navigator.mediaDevices.getUserMedia = original));
  return streams;
}

/**
 * Keeps the audio contexts the page makes; while `hold` is on, `resume()` waits, as in a
 * browser that will not give a hidden tab its audio back.
 */
function watchAudioContexts() {
  const contexts: AudioContext[] = [];
  const Original = window.AudioContext;
  const { resume } = Original.prototype;
  let held: { promise: Promise<void>; release: () => void } | null = null;
  window.AudioContext = class extends Original {
    constructor(options?: AudioContextOptions) {
      super(options);
      contexts.push(this);
    }
  };
  Original.prototype.resume = async function (this: AudioContext) {
    while (held) await held.promise;
    return resume.call(this);
  };
  restores.push(() => {
    window.AudioContext = Original;
    Original.prototype.resume = resume;
    held?.release();
  });
  return {
    contexts,
    hold() {
      let release = () => {};
      const promise = new Promise<void>((resolve) => (release = resolve));
      held = { promise, release: () => ((held = null), release()) };
    },
    release: () => held?.release(),
  };
}

describe('<slm-transcriber> recording sessions', () => {
  // A test that fails midway must not leave the next one a patched browser.
  afterEach(() => restores.splice(0).forEach((restore) => restore()));

  it('makes what was being said final when recording stops mid-utterance', async () => {
    const { provider, transcriber } = await transcriberInProvider();
    await transcriber.start();
    // The dictation's first utterance runs from 1.0 s to 3.75 s.
    await sleep(2_600);
    await transcriber.stop();
    const finals = transcriber.segments.filter((s) => s.final);
    expect(finals.length).to.be.at.least(1);
    const last = finals.at(-1)!;
    // It reaches where the speech heard so far ends: the end of the recording when the stop came
    // mid-utterance, the utterance's end (3.75 s) when a loaded machine slept past it.
    const heard = transcriber.lastAudit!.produced / 16_000;
    expect(last.end).to.be.within(Math.min(heard, 3.75) - 0.3, heard + 0.05);
    expect(transcriber.state).to.equal('idle');
    await provider.engine.dispose();
  });

  it('files what was said, then reports mic-disconnected, when the microphone is unplugged; recording can start again', async () => {
    const streams = watchStreams();
    const { provider, transcriber } = await transcriberInProvider();
    provider.session.transcript.upsert({ id: 'earlier', text: 'said before', start: 0, end: 1, final: true });
    await transcriber.start();
    // Mid-way through the first utterance (1.0–3.75 s).
    await sleep(2_500);
    const error = nextEvent<CustomEvent<ErrorDetail>>(transcriber, 'slm-error');
    const track = streams.at(-1)!.getAudioTracks()[0];
    track.stop();
    track.dispatchEvent(new Event('ended'));
    const { detail } = await error;
    expect(detail.code).to.equal('mic-disconnected');
    expect(detail.message).to.match(/press Record/i);
    // By the time it is reported, the recording is over and what was said is final.
    expect(transcriber.state).to.equal('idle');
    const recorded = transcriber.segments.filter((s) => s.id !== 'earlier');
    expect(recorded.length, 'a segment for what was said before the microphone went').to.be.at.least(1);
    expect(recorded.every((s) => s.final)).to.equal(true);
    expect(provider.session.transcript.get('earlier')!.text).to.equal('said before');
    await recordFault('the microphone is unplugged mid-sentence', 'mic-disconnected', { code: detail.code, lost: recorded.length >= 1 && recorded.every((s) => s.final) ? 0 : 1 });

    // The app keeps working: another recording starts and stops.
    await transcriber.start();
    expect(transcriber.state).to.equal('recording');
    await transcriber.stop();
    expect(transcriber.state).to.equal('idle');
    await provider.engine.dispose();
  });

  it('gets the audio back after the browser suspends it, and marks the gap instead of joining the words around it', async () => {
    const audio = watchAudioContexts();
    const { provider, transcriber } = await transcriberInProvider();
    const startedAt = performance.now();
    await transcriber.start();
    const context = audio.contexts.at(-1)!;
    // Mid-way through the first utterance (1.0–3.75 s), the browser takes the audio and will not give it back yet.
    await sleep(2_000);
    audio.hold();
    await context.suspend();
    // The context reports its new state in a task of its own, after suspend() resolves.
    await waitUntil(() => transcriber.shadowRoot!.querySelector('[part~="suspended"]'), 'the page does not say that nothing is recorded', { timeout: 30_000 });
    await sleep(2_000);
    // The tab is visible again and the clinician clicks: the audio comes back.
    audio.release();
    document.dispatchEvent(new Event('visibilitychange'));
    window.dispatchEvent(new PointerEvent('pointerdown'));
    await waitUntil(() => transcriber.segments.some((s) => s.gap !== undefined), 'no gap was marked', { timeout: 30_000 });
    expect(context.state).to.equal('running');
    expect(transcriber.state).to.equal('recording');
    // Through the second utterance (5.3–9.1 s of the fake microphone's file).
    await sleep(Math.max(0, 10_000 - (performance.now() - startedAt)));
    await transcriber.stop();

    const gap = transcriber.segments.find((s) => s.gap !== undefined)!;
    expect(gap.gap!, 'at least the time the audio was held').to.be.at.least(1.5);
    expect(gap).to.deep.include({ text: '', final: true });
    const spoken = transcriber.segments.filter((s) => s.gap === undefined);
    expect(spoken.every((s) => s.final)).to.equal(true);
    for (const s of spoken) expect(s.start < gap.start && s.end > gap.end, `"${s.text}" (${s.start}–${s.end} s) runs across the gap`).to.equal(false);
    await transcriber.updateComplete;
    const mark = transcriber.shadowRoot!.querySelector<HTMLElement>('[part~="gap"]')!;
    expect(mark.textContent).to.match(/\d+\.\d s not recorded/);
    expect(transcriber.shadowRoot!.querySelector('[part~="suspended"]')).to.equal(null);
    await provider.engine.dispose();
  });

  it('switches microphone mid-session and keeps going on one timeline', async () => {
    const { provider, transcriber } = await transcriberInProvider();
    const startedAt = performance.now();
    await transcriber.start();
    await sleep(800);
    const devices = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'audioinput');
    expect(devices.length, 'fake devices').to.be.greaterThan(0);
    const other = devices.find((d) => d.deviceId !== 'default') ?? devices[0];
    await transcriber.switchMicrophone(other.deviceId);
    expect(transcriber.state).to.equal('recording');
    await sleep(1_200);
    await transcriber.stop();
    const wallSeconds = (performance.now() - startedAt) / 1000;
    const audit = transcriber.lastAudit!;
    expect(audit.received).to.equal(audit.produced);
    // At least the two seconds slept, on one clock across the switch, and no more than the
    // recording lasted by the wall clock (a loaded machine makes the sleeps longer, not the audio).
    expect(audit.produced / 16_000).to.be.within(1.6, wallSeconds + 0.3);
    await provider.engine.dispose();
  });
});
