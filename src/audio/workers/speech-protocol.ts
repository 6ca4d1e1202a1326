import type { OrtPaths } from '../../engine/ort-files.js';
import type { SerializedSlmError } from '../../errors/slm-error.js';
import type { RecognitionWindow, SegmenterOptions } from '../segmenter.js';

export type VadKind = 'silero' | 'energy';

/** Main thread → speech worker. */
export type SpeechWorkerRequest =
  | { type: 'start'; vad: VadKind; vadModelUrl: string; wasmPaths: OrtPaths; segmenter: SegmenterOptions; idPrefix: string }
  /** Frames from a file (a microphone's come straight from the worklet through `port`). */
  | { type: 'audio'; samples: Float32Array }
  | { type: 'port'; port: MessagePort }
  /**
   * End of input: the open utterance becomes final. `portSamples`: how many samples the capture
   * sent through its ports in all; the worker waits for them, since a port's last message and
   * this one travel separately and may arrive in either order.
   */
  | { type: 'flush'; id: number; portSamples?: number };

/** Speech worker → main thread. */
export type SpeechWorkerMessage =
  | { type: 'ready'; vad: VadKind; fallbackReason?: string }
  | { type: 'window'; window: RecognitionWindow }
  | { type: 'flushed'; id: number; samplesSeen: number }
  /** The samples of one 'audio' request are segmented (a file reader waits for this). */
  | { type: 'consumed'; samples: number }
  | { type: 'error'; error: SerializedSlmError };

/** Worklet → speech worker, through the port. */
export interface CaptureFrame {
  samples: Float32Array;
}
