import { expect, fixture, html } from '@open-wc/testing';
import '../../src/elements/slm-provider/slm-provider.js';
import '../../src/elements/slm-transcriber/slm-transcriber.js';
import type { SlmProvider } from '../../src/elements/slm-provider/slm-provider.js';
import type { SlmTranscriber } from '../../src/elements/slm-transcriber/slm-transcriber.js';
import type { ErrorDetail } from '../../src/engine/types.js';
import { nextEvent } from '../support/events.js';
import { modelHostUrl, TEST_ASR } from '../support/model-host.js';
import { sleep } from '../support/live.js';


async function transcriberInProvider(): Promise<{ provider: SlmProvider; transcriber: SlmTranscriber }> {
  const provider = await fixture<SlmProvider>(html`
    <slm-provider asr=${TEST_ASR} model-host=${await modelHostUrl()}><slm-transcriber vad="energy"></slm-transcriber></slm-provider>
  `);
  await provider.load();
  return { provider, transcriber: provider.querySelector('slm-transcriber') as SlmTranscriber };
}

/** Keeps the streams getUserMedia hands out, so a test can end a track as an unplugged device would. */
function watchStreams(): MediaStream[] {
  const streams: MediaStream[] = [];
  const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    const stream = await original(constraints);
    streams.push(stream);
    return stream;
  };
  return streams;
}

describe('<slm-transcriber> recording sessions', () => {
  it('makes what was being said final when recording stops mid-utterance', async () => {
    const { provider, transcriber } = await transcriberInProvider();
    await transcriber.start();
    // The dictation's first utterance runs from 1.0 s to 3.75 s.
    await sleep(2_600);
    await transcriber.stop();
    const finals = transcriber.segments.filter((s) => s.final);
    expect(finals.length).to.be.at.least(1);
    const last = finals.at(-1)!;
    expect(last.end).to.be.closeTo(transcriber.lastAudit!.produced / 16_000, 0.3);
    expect(transcriber.state).to.equal('idle');
    await provider.engine.dispose();
  });

  it('keeps the transcript and reports it when the microphone is unplugged', async () => {
    const streams = watchStreams();
    const { provider, transcriber } = await transcriberInProvider();
    provider.session.transcript.upsert({ id: 'earlier', text: 'said before', start: 0, end: 1, final: true });
    await transcriber.start();
    await sleep(1_500);
    const error = nextEvent<CustomEvent<ErrorDetail>>(transcriber, 'slm-error');
    streams.at(-1)!.getAudioTracks()[0].dispatchEvent(new Event('ended'));
    expect((await error).detail.code).to.equal('mic-disconnected');
    await nextEvent(transcriber, 'slm-recording-change').then(() => sleep(500));
    expect(transcriber.state).to.equal('idle');
    expect(provider.session.transcript.get('earlier')!.text).to.equal('said before');
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
