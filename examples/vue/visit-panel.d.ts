import type { ChatEntry } from '../../src/chat/chat-types.js';

export interface VisitPanelProps {
  /** The provider's language model (`llm` preset id); without one the note stays a rule-based draft. */
  llm?: string | null;
  /** A conversation saved earlier, restored into `<slm-chat>` through its `messages` property. */
  savedChat?: ChatEntry[];
}

/** The Vue component (options object with `setup` and a template). */
export declare const VisitPanel: object;

/** Renders the panel into `container` with Vue 3's `createApp`. */
export declare function mountVisitPanel(container: Element, props?: VisitPanelProps): { unmount(): void };
