import { LitElement } from 'lit';
import type { ModelKind } from '../../engine/types.js';
import { SlmError, type SlmErrorCode } from '../../errors/slm-error.js';
import '../../events.js';

export interface ReportErrorOptions {
  /** The code a failure gets when it is not an `SlmError` already. */
  code: SlmErrorCode;
  /** Which model the failure concerns, for `ErrorDetail.kind`. */
  kind?: ModelKind;
}

/**
 * What every element of the library shares: events that cross shadow roots with a typed
 * detail, and one way to turn any failure into an `slm-error` with a code.
 */
export class SlmElement extends LitElement {
  /** Dispatches a bubbling, composed event; returns false when a listener cancelled it. */
  protected emit<T>(type: string, detail: T, init: { cancelable?: boolean } = {}): boolean {
    return this.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true, cancelable: init.cancelable ?? false }));
  }

  /** Reports a failure as `slm-error` and returns it as an `SlmError`. */
  protected reportError(error: unknown, options: ReportErrorOptions): SlmError {
    const slm = SlmError.from(error, options.code);
    this.emit('slm-error', { error: slm, code: slm.code, message: slm.message, ...(options.kind ? { kind: options.kind } : {}) });
    return slm;
  }
}
