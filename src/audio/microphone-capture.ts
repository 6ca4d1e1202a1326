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
}

/**
 * The microphone, from permission to 16 kHz frames in a MessagePort. Switching devices
 * swaps only the source: the worklet, its resampler and the recording's clock carry on.
 */
export class MicrophoneCapture {
  private context: AudioContext | null = null;
  private node: AudioWorkletNode | null = null;
  private source: MediaStreamAudioSourceNode | null = null;
  private stream: MediaStream | null = null;
  private readonly listeners: Partial<MicrophoneEvents> = {};
  private readonly onDeviceChange = () => void this.devices().then((list) => this.listeners.devices?.(list));
  deviceId: string | undefined;

  on<K extends keyof MicrophoneEvents>(type: K, listener: MicrophoneEvents[K]): void {
    this.listeners[type] = listener;
  }

  /** Opens the microphone and sends its audio, as 16 kHz blocks, to `port`. */
  async start(port: MessagePort, options: MicrophoneOptions = {}): Promise<void> {
    const stream = await open(options);
    const context = new AudioContext({ latencyHint: 'interactive' });
    try {
      await context.audioWorklet.addModule(new URL('./capture.worklet.js', import.meta.url));
    } catch (error) {
      stream.getTracks().forEach((t) => t.stop());
      await context.close();
      throw new SlmError('audio-unsupported', `This browser could not start audio capture: ${String(error)}`, { cause: error });
    }
    const node = new AudioWorkletNode(context, 'slm-capture', { numberOfInputs: 1, numberOfOutputs: 0, channelCount: 1, channelCountMode: 'explicit' });
    node.port.postMessage({ type: 'port', port }, [port]);
    node.port.onmessage = (event: MessageEvent<{ type: string; level?: number }>) => {
      if (event.data.type === 'level') this.listeners.level?.(event.data.level ?? 0);
    };
    this.context = context;
    this.node = node;
    this.attach(stream);
    navigator.mediaDevices.addEventListener('devicechange', this.onDeviceChange);
    if (context.state === 'suspended') await context.resume();
  }

  /** Moves to another microphone without a gap in the recording's timeline. */
  async switchDevice(deviceId: string, options: MicrophoneOptions = {}): Promise<void> {
    if (!this.context || !this.node) throw new SlmError('not-loaded', 'Recording has not started.');
    const stream = await open({ ...options, deviceId });
    this.detach();
    this.attach(stream);
  }

  pause(paused: boolean): void {
    this.node?.port.postMessage({ type: 'pause', paused });
  }

  /** Sends what the worklet still holds; resolves with the 16 kHz samples it produced in all. */
  flush(): Promise<number> {
    const node = this.node;
    if (!node) return Promise.resolve(0);
    return new Promise((resolve) => {
      const previous = node.port.onmessage;
      node.port.onmessage = (event: MessageEvent<{ type: string; produced?: number; level?: number }>) => {
        if (event.data.type === 'flushed') {
          node.port.onmessage = previous;
          resolve(event.data.produced ?? 0);
        } else previous?.call(node.port, event);
      };
      node.port.postMessage({ type: 'flush' });
    });
  }

  async stop(): Promise<void> {
    navigator.mediaDevices.removeEventListener('devicechange', this.onDeviceChange);
    this.detach();
    this.node?.disconnect();
    this.node = null;
    await this.context?.close().catch(() => undefined);
    this.context = null;
  }

  async devices(): Promise<MediaDeviceInfo[]> {
    const all = await navigator.mediaDevices.enumerateDevices();
    return all.filter((d) => d.kind === 'audioinput');
  }

  private attach(stream: MediaStream): void {
    const track = stream.getAudioTracks()[0];
    this.deviceId = track?.getSettings().deviceId;
    track?.addEventListener('ended', () => {
      if (this.stream !== stream) return;
      this.listeners.ended?.(new SlmError('mic-disconnected', 'The microphone stopped (unplugged or taken by another app). What was said so far is kept.'));
    });
    this.stream = stream;
    this.source = this.context!.createMediaStreamSource(stream);
    this.source.connect(this.node!);
  }

  private detach(): void {
    this.source?.disconnect();
    this.source = null;
    this.stream?.getTracks().forEach((t) => t.stop());
    this.stream = null;
  }
}

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
