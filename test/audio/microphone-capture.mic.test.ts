import { expect, waitUntil } from '@open-wc/testing';
import { MicrophoneCapture, type CaptureGap } from '../../src/audio/microphone-capture.js';
import type { SlmError } from '../../src/errors/slm-error.js';
import { sleep } from '../support/live.js';

/** The capture alone, without a speech model: its 16 kHz blocks counted at the other end of a port. */
async function startCapture() {
  const mic = new MicrophoneCapture();
  const channel = new MessageChannel();
  const received = { samples: 0 };
  channel.port1.onmessage = (event: MessageEvent<{ samples: Float32Array }>) => (received.samples += event.data.samples.length);
  const gaps: CaptureGap[] = [];
  const ended: SlmError[] = [];
  mic.on('gap', (gap) => gaps.push(gap));
  mic.on('ended', (error) => ended.push(error));
  await mic.start(channel.port2);
  return { mic, received, gaps, ended, close: () => channel.port1.close() };
}

describe('microphone capture faults', () => {
  const cleanups: Array<() => unknown> = [];
  // A failed test leaves no open microphone or patched prototype behind.
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('resumes after the browser suspends its audio, and reports the gap with its length and place', async () => {
    const capture = await startCapture();
    cleanups.push(() => capture.mic.stop(), capture.close);
    await waitUntil(() => capture.received.samples > 8_000, 'no audio arrived', { timeout: 30_000 });
    const { resume } = AudioContext.prototype;
    let hold: Promise<void> | null = null;
    let release = () => {};
    hold = new Promise<void>((resolve) => (release = resolve));
    // From now on the browser will not give the audio back until released (a hidden tab).
    AudioContext.prototype.resume = async function (this: AudioContext) {
      if (hold) await hold;
      return resume.call(this);
    };
    cleanups.push(() => (AudioContext.prototype.resume = resume), () => release());
    const context = (capture.mic as unknown as { context: AudioContext }).context;
    await context.suspend();
    await waitUntil(() => capture.mic.suspended, 'the suspension went unnoticed');
    await sleep(1_500);
    hold = null;
    release();
    window.dispatchEvent(new PointerEvent('pointerdown'));
    await waitUntil(() => capture.gaps.length === 1, 'no gap was reported', { timeout: 30_000 });
    const [gap] = capture.gaps;
    expect(gap.seconds).to.be.at.least(1.4);
    expect(gap.silence).to.equal(1);
    expect(gap.at).to.be.greaterThan(0);
    expect(capture.mic.suspended).to.equal(false);
    // Audio flows again after the gap and its silence.
    const after = capture.received.samples;
    await waitUntil(() => capture.received.samples > after + 8_000, 'no audio after the gap', { timeout: 30_000 });
    const { sent } = await capture.mic.finish();
    expect(sent).to.be.at.least(Math.round((gap.at + gap.silence) * 16_000));
  });

  it('reports mic-disconnected with what to do when the track ends', async () => {
    const capture = await startCapture();
    cleanups.push(() => capture.mic.stop(), capture.close);
    const stream = (capture.mic as unknown as { stream: MediaStream }).stream;
    stream.getAudioTracks()[0].dispatchEvent(new Event('ended'));
    expect(capture.ended.map((e) => e.code)).to.deep.equal(['mic-disconnected']);
    expect(capture.ended[0].message).to.match(/press Record/);
  });
});
