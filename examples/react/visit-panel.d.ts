import type { ChatEntry } from '../../src/chat/chat-types.js';

export interface VisitPanelProps {
  /** The provider's language model (`llm` preset id); without one the note stays a rule-based draft. */
  llm?: string | null;
  /** A conversation saved earlier, restored into `<slm-chat>` through its `messages` property. */
  savedChat?: ChatEntry[];
}

/** The React component. */
export declare function VisitPanel(props: VisitPanelProps): unknown;

/** Renders the panel into `container` with React 19's `createRoot`. */
export declare function mountVisitPanel(container: Element, props?: VisitPanelProps): { unmount(): void };
