import type { ChatEntry } from '../session/session-types.js';

export type { ChatEntry };

export type ChatCommand = 'new-visit' | 'clear' | 'export' | 'add-to-plan';

/** What the router decided a message is. */
export type Intent =
  | { kind: 'command'; command: ChatCommand; argument?: string }
  /** A quick question a small model answers well. */
  | { kind: 'simple' }
  /** Needs the big model: reasoning, comparison, advice, anything long. */
  | { kind: 'reasoning' };

/** Anything that sorts messages into intents: rules, an embedding model, a remote-free classifier of your own. */
export interface IntentClassifier {
  classify(message: string): Intent | Promise<Intent>;
}

/** Detail of `slm-chat-message`. */
export interface ChatMessageDetail {
  message: ChatEntry;
  messages: ChatEntry[];
}

/** Detail of `slm-chat-command`; cancel the event to handle the command yourself. */
export interface ChatCommandDetail {
  command: ChatCommand;
  argument?: string;
  message: string;
}
