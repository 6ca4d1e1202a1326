import { SlmError } from '../errors/slm-error.js';

/**
 * Browser audio processing suited to dictation. Echo cancellation is off: nothing plays
 * while a clinician dictates, and cancellers clip the starts of words. Noise suppression is
 * on: clinic rooms hum (ventilation, monitors) and the voice detector works better without
 * it. Auto gain is on: people move towards and away from a laptop's microphone.
 */
export const DICTATION_CONSTRAINTS = { echoCancellation: false, noiseSuppression: true, autoGainControl: true } as const;

export interface MicrophoneOptions {
  deviceId?: string;
  constraints?: Partial<Pick<MediaTrackConstraintSet, 'echoCancellation' | 'noiseSuppression' | 'autoGainControl'>>;
}

export interface MicrophoneEvents {
  level: (level: number) => void;
  /** The microphone went away mid-session (unplugged, revoked). */
  ended: (error: SlmError) => void;
  devices: (devices: MediaDeviceInfo[]) => void;
  /** Audio stopped flowing: the browser suspended the recording's audio (a hidden tab, the system took it). */
  suspended: () => void;
  /** Audio flows again after a suspension; the recording lost `gap.seconds` at `gap.at`. */
  gap: (gap: CaptureGap) => void;
}

/** Audio the recording lost while the browser kept its audio suspended. */
export interface CaptureGap {
  /** Where on the recording's timeline (seconds of audio sent before it) the gap lies. */
  at: number;
  /** How long, in wall-clock seconds, nothing was captured. */
  seconds: number;
  /** Seconds of silence put in at `at`, so the words on either side are not joined. */
  silence: number;
}

/** What a recording's capture amounted to, in 16 kHz samples. */
export interface CaptureCount {
  /** Sent to the speech worker through the port. */
  sent: number;
  /**
   * What the microphone delivered while recording (pauses excluded), by the browser's own
   * count for the track from its first frame (`MediaStreamTrack.stats`, Chromium); undefined
   * where the browser does not count. Compared with `sent`, it shows audio lost before the
   * worklet saw it.
   */
  captured?: number;
  /**
   * Of `captured`, what the track delivered before the browser handed it to the page (its
   * getUserMedia promise resolved): nothing can listen sooner, so it is lost. Tens of
   * milliseconds in Chromium, more while the page's main thread is busy.
   */
  missedAtStart?: number;
}

/** Chromium counts what an audio track delivered; the DOM types do not have it yet. */
type CountedTrack = MediaStreamTrack & { stats?: { totalFramesDuration: number } };

/** One track of the recording, in milliseconds of what it delivered. */
interface TrackTally {
  track: CountedTrack;
  /** Delivered before the page had the track: lost for the first, the previous one's time for later ones. */
  handoverMs: number;
  pausedMs: number;
  pausedAt: number | null;
}

/** A user's action lets a page resume audio the browser would not resume by itself. */
const GESTURES = ['pointerdown', 'keydown'] as const;

/** How long a recording's end waits for the worklet before it stops waiting for buffered audio. */
const FINISH_WAIT_MS = 2_000;

/**
 * The microphone, from permission to 16 kHz frames in a MessagePort. Switching devices
 * swaps only the source: the worklet, its resampler and the recording's clock carry on.
 */
export class MicrophoneCapture {
  private context: AudioContext | null = null;
  private node: AudioWorkletNode | null = null;
  /** Every source of the recording: a stopped one still plays out what Web Audio buffered. */
  private sources: MediaStreamAudioSourceNode[] = [];
  private stream: MediaStream | null = null;
  private tallies: TrackTally[] = [];
  private finished: ((produced: number) => void) | null = null;
  private readonly listeners: Partial<MicrophoneEvents> = {};
  private readonly onDeviceChange = () => void this.devices().then((list) => this.listeners.devices?.(list));
  /** When the browser suspended the recording's audio; null while it runs. */
  private suspendedAt: number | null = null;
  deviceId: string | undefined;

  on<K extends keyof MicrophoneEvents>(type: K, listener: MicrophoneEvents[K]): void {
    this.listeners[type] = listener;
  }

  /**
   * Opens the microphone and sends its audio, as 16 kHz blocks, to `port`. The worklet is
   * ready before the microphone opens and is connected in the same task the stream arrives
   * in: a track starts delivering at once, and whatever it delivers before a listener is
   * attached is gone (loading the worklet afterwards cost recordings their first 0.1–1.2 s).
   */
  async start(port: MessagePort, options: MicrophoneOptions = {}): Promise<void> {
    let context: AudioContext | null = null;
    let node: AudioWorkletNode;
    try {
      context = new AudioContext({ latencyHint: 'interactive' });
      await context.audioWorklet.addModule(new URL('./capture.worklet.js', import.meta.url));
      node = new AudioWorkletNode(context, 'slm-capture', { numberOfInputs: 1, numberOfOutputs: 0, channelCount: 1, channelCountMode: 'explicit' });
    } catch (error) {
      await context?.close().catch(() => undefined);
      throw new SlmError('audio-unsupported', `This browser could not start audio capture: ${String(error)}`, { cause: error });
    }
    node.port.postMessage({ type: 'port', port }, [port]);
    node.port.onmessage = (event: MessageEvent<{ type: string; level?: number; produced?: number } & Partial<CaptureGap>>) => {
      const { data } = event;
      if (data.type === 'level') this.listeners.level?.(data.level ?? 0);
      else if (data.type === 'finished') this.finished?.(data.produced ?? 0);
      else if (data.type === 'gap') this.listeners.gap?.({ at: data.at ?? 0, seconds: data.seconds ?? 0, silence: data.silence ?? 0 });
    };
    let stream: MediaStream;
    try {
      stream = await open(options);
    } catch (error) {
      await context.close().catch(() => undefined);
      throw error;
    }
    this.context = context;
    this.node = node;
    this.attach(stream);
    navigator.mediaDevices.addEventListener('devicechange', this.onDeviceChange);
    // Started by a click or key press, the context is already running. Started by the page
    // itself, it is suspended until the granted microphone lets it resume, and Chromium drops
    // what the track delivers before Web Audio first asks for it (the audit shows how much).
    if (context.state === 'suspended') await context.resume();
    // From here on a suspension is an interruption (a hidden tab, another app took the audio
    // device): audio is asked back at every chance, and the gap is marked, not glossed over.
    context.addEventListener('statechange', this.onStateChange);
    document.addEventListener('visibilitychange', this.resumeAudio);
    for (const type of GESTURES) window.addEventListener(type, this.resumeAudio, { capture: true });
    if (context.state !== 'running') this.onStateChange();
  }

  /** Whether the browser holds the recording's audio suspended (nothing is captured meanwhile). */
  get suspended(): boolean {
    return this.suspendedAt !== null;
  }

  /** Moves to another microphone without a gap in the recording's timeline. */
  async switchDevice(deviceId: string, options: MicrophoneOptions = {}): Promise<void> {
    if (!this.context || !this.node) throw new SlmError('not-loaded', 'Recording has not started.');
    const stream = await open({ ...options, deviceId });
    const paused = this.tallies.at(-1)?.pausedAt != null;
    this.stopTracks();
    this.attach(stream, paused);
  }

  pause(paused: boolean): void {
    const tally = this.tallies.at(-1);
    const at = tally && deliveredMs(tally.track);
    if (tally && at !== undefined) {
      if (paused && tally.pausedAt === null) tally.pausedAt = at;
      else if (!paused && tally.pausedAt !== null) {
        tally.pausedMs += at - tally.pausedAt;
        tally.pausedAt = null;
      }
    }
    this.node?.port.postMessage({ type: 'pause', paused });
  }

  /**
   * Ends the recording. The worklet is told first, so that it keeps everything up to the
   * microphone's last frame but not the zeros played after it; then the microphone stops,
   * which makes its count final and leaves no frame unsent (stopping after a flush lost the
   * block captured between the two). The worklet sends what Web Audio still buffered and what
   * it holds, and says how much it sent in all. Then everything is let go.
   */
  async finish(): Promise<CaptureCount> {
    const node = this.node;
    if (!node) return { sent: 0 };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finished = new Promise<number>((resolve) => {
      this.finished = resolve;
      // A context that is not rendering would never play the buffered audio out.
      const now = this.context?.state !== 'running';
      node.port.postMessage({ type: 'finish', now });
      if (!now) timer = setTimeout(() => node.port.postMessage({ type: 'finish', now: true }), FINISH_WAIT_MS);
    });
    this.stopTracks();
    const sent = await finished;
    clearTimeout(timer);
    this.finished = null;
    // Stopped while suspended: what was lost since is the recording's last gap.
    if (this.suspendedAt !== null) this.listeners.gap?.({ at: sent / 16_000, seconds: (performance.now() - this.suspendedAt) / 1000, silence: 0 });
    const count = this.count();
    await this.stop();
    return { sent, ...count };
  }

  /** Lets everything go at once, without sending what is still buffered. */
  async stop(): Promise<void> {
    navigator.mediaDevices.removeEventListener('devicechange', this.onDeviceChange);
    this.context?.removeEventListener('statechange', this.onStateChange);
    document.removeEventListener('visibilitychange', this.resumeAudio);
    for (const type of GESTURES) window.removeEventListener(type, this.resumeAudio, { capture: true });
    this.suspendedAt = null;
    this.stopTracks();
    for (const source of this.sources) source.disconnect();
    this.sources = [];
    this.node?.disconnect();
    this.node = null;
    await this.context?.close().catch(() => undefined);
    this.context = null;
  }

  async devices(): Promise<MediaDeviceInfo[]> {
    const all = await navigator.mediaDevices.enumerateDevices();
    return all.filter((d) => d.kind === 'audioinput');
  }

  private readonly onStateChange = () => {
    const context = this.context;
    if (!context || context.state === 'closed') return;
    if (context.state === 'running') {
      if (this.suspendedAt === null) return;
      const seconds = (performance.now() - this.suspendedAt) / 1000;
      this.suspendedAt = null;
      this.node?.port.postMessage({ type: 'gap', seconds });
      return;
    }
    // 'suspended', or Safari's 'interrupted'.
    if (this.suspendedAt !== null) return;
    this.suspendedAt = performance.now();
    this.listeners.suspended?.();
    this.resumeAudio();
  };

  /** Asks for the audio back; the browser may refuse until the tab is visible or the user acts. */
  private readonly resumeAudio = () => {
    if (this.suspendedAt === null) return;
    this.context?.resume().catch(() => undefined);
  };

  /** Connects a stream at once, in the task it arrived in. `paused`: it joins a paused recording. */
  private attach(stream: MediaStream, paused = false): void {
    const track = stream.getAudioTracks()[0] as CountedTrack | undefined;
    this.deviceId = track?.getSettings().deviceId;
    track?.addEventListener('ended', () => {
      if (this.stream !== stream) return;
      this.listeners.ended?.(new SlmError('mic-disconnected', 'The microphone stopped (unplugged, or taken by another app). What was said so far is kept. Plug it back in or choose another microphone, then press Record to go on.'));
    });
    this.stream = stream;
    const source = this.context!.createMediaStreamSource(stream);
    source.connect(this.node!);
    this.sources.push(source);
    const handoverMs = track ? deliveredMs(track) : undefined;
    if (track && handoverMs !== undefined) this.tallies.push({ track, handoverMs, pausedMs: 0, pausedAt: paused ? handoverMs : null });
  }

  /** Stops the microphone; its source stays connected to play out what Web Audio buffered. */
  private stopTracks(): void {
    const stream = this.stream;
    this.stream = null;
    stream?.getTracks().forEach((t) => t.stop());
  }

  /**
   * What the tracks delivered, pauses excluded, in 16 kHz samples: the first from its first
   * frame, a switched-to one from its hand-over (before it, the previous one was recording).
   */
  private count(): Pick<CaptureCount, 'captured' | 'missedAtStart'> {
    if (this.tallies.length === 0) return {};
    let ms = this.tallies[0].handoverMs;
    for (const { track, handoverMs, pausedMs, pausedAt } of this.tallies) {
      const delivered = deliveredMs(track) ?? handoverMs;
      ms += delivered - handoverMs - pausedMs - (pausedAt === null ? 0 : delivered - pausedAt);
    }
    return { captured: toSamples(ms), missedAtStart: toSamples(this.tallies[0].handoverMs) };
  }
}

const deliveredMs = (track: CountedTrack): number | undefined => track.stats?.totalFramesDuration;
const toSamples = (ms: number) => Math.round((ms * 16_000) / 1000);

async function open(options: MicrophoneOptions): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new SlmError('audio-unsupported', 'This browser cannot record audio here (a secure https:// page is needed).');
  }
  try {
    return await navigator.mediaDevices.getUserMedia({
      audio: { ...DICTATION_CONSTRAINTS, ...options.constraints, channelCount: 1, ...(options.deviceId ? { deviceId: { exact: options.deviceId } } : {}) },
    });
  } catch (error) {
    const name = error instanceof DOMException ? error.name : '';
    if (name === 'NotAllowedError' || name === 'SecurityError') {
      throw new SlmError('mic-denied', 'Microphone access was refused. Allow it in the browser’s site settings to dictate.', { cause: error });
    }
    if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'NotReadableError') {
      throw new SlmError('mic-unavailable', 'No usable microphone was found. Connect one, or check that no other app holds it.', { cause: error });
    }
    throw new SlmError('mic-unavailable', `The microphone could not be opened: ${String(error)}`, { cause: error });
  }
}
