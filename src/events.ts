import type { ErrorDetail, LoadProgress, ReadyDetail } from './engine/types.js';
import type { DebugDetail } from './engine/slm-engine.js';

/** Makes the library's events typed for `addEventListener` on any element. */
declare global {
  interface HTMLElementEventMap {
    'slm-load-progress': CustomEvent<LoadProgress>;
    'slm-ready': CustomEvent<ReadyDetail>;
    'slm-error': CustomEvent<ErrorDetail>;
    'slm-debug': CustomEvent<DebugDetail>;
  }
}

export type { DebugDetail, ErrorDetail, LoadProgress, ReadyDetail };
