import type { ErrorDetail, LoadProgress, ReadyDetail } from './engine/types.js';

/** Makes the library's events typed for `addEventListener` on any element. */
declare global {
  interface HTMLElementEventMap {
    'slm-load-progress': CustomEvent<LoadProgress>;
    'slm-ready': CustomEvent<ReadyDetail>;
    'slm-error': CustomEvent<ErrorDetail>;
  }
}

export type { ErrorDetail, LoadProgress, ReadyDetail };
