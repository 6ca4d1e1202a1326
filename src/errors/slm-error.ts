/**
 * Every failure the elements report carries one of these codes, so an app can react to
 * the kind of failure (offer a smaller model, ask for the microphone again) without
 * parsing messages.
 */
export type SlmErrorCode =
  | 'unknown-model'
  | 'model-host-unreachable'
  | 'llm-endpoint-unreachable'
  | 'llm-endpoint-failed'
  | 'model-file-missing'
  | 'model-integrity'
  | 'model-load-failed'
  | 'webgpu-unavailable'
  | 'wasm-unavailable'
  | 'out-of-memory'
  | 'device-lost'
  | 'worker-crashed'
  | 'not-loaded'
  | 'load-not-allowed'
  | 'generation-failed'
  | 'aborted'
  | 'superseded'
  | 'invalid-argument'
  | 'chat-busy'
  | 'mic-denied'
  | 'mic-unavailable'
  | 'mic-disconnected'
  | 'audio-unsupported'
  | 'audio-too-long'
  | 'vad-fallback'
  | 'invalid-template'
  | 'storage-wrong-passphrase' | 'storage-newer-version' | 'storage-corrupt' | 'storage-quota' | 'storage-failed'
  | 'note-invalid-output'
  | 'speech-failed'
  | 'visit-read-only'
  | 'recording-in-progress'
  | 'session-disposed';

export interface SlmErrorInit {
  cause?: unknown;
  /** The model the failure concerns, when there is one. */
  modelId?: string;
}

/** The one error type of the library: a stable `code` plus a message a person can read. */
export class SlmError extends Error {
  override readonly name = 'SlmError';
  readonly code: SlmErrorCode;
  readonly modelId?: string;

  constructor(code: SlmErrorCode, message: string, init: SlmErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = code;
    this.modelId = init.modelId;
  }

  /** A structured-clone-safe form, for crossing a worker boundary. */
  toJSON(): SerializedSlmError {
    return { code: this.code, message: this.message, modelId: this.modelId };
  }

  /**
   * The error as an `SlmError`: one already is passes through; anything else (a DOMException,
   * a library's Error, a string) is wrapped with `fallbackCode` and its text as the message.
   */
  static from(error: unknown, fallbackCode: SlmErrorCode, init: SlmErrorInit = {}): SlmError {
    if (error instanceof SlmError) return error;
    const text = error instanceof Error ? error.message : String(error);
    return new SlmError(fallbackCode, text, { cause: error, ...init });
  }

  static fromJSON(value: SerializedSlmError): SlmError {
    return new SlmError(value.code, value.message, { modelId: value.modelId });
  }
}

export interface SerializedSlmError {
  code: SlmErrorCode;
  message: string;
  modelId?: string;
}

/**
 * Whether a call failed because its model was lost under it (its worker died, its GPU device was
 * lost), not because of the request: the engine loads the model afresh at its next use, so the
 * interrupted request is worth asking again (a note update, a speech reading).
 */
export function isModelLoss(error: unknown): boolean {
  return error instanceof SlmError && (error.code === 'device-lost' || error.code === 'worker-crashed');
}

export function isAbort(error: unknown): boolean {
  return (
    (error instanceof SlmError && (error.code === 'aborted' || error.code === 'superseded')) ||
    (error instanceof DOMException && error.name === 'AbortError')
  );
}
