import type { Intent, IntentClassifier } from './chat-types.js';

// Commands match whole messages only: "New patient: Jane, 54, chest pain" is dictation about a
// patient, not a request to clear the page.
const COMMANDS: Array<[RegExp, (match: RegExpMatchArray) => Intent]> = [
  [/^\s*(?:please\s+)?add\s+(?:this\s+)?to\s+(?:the\s+)?plan\s*[:,-]\s*(\S.*)$/is, (m) => ({ kind: 'command', command: 'add-to-plan', argument: m[1].trim() })],
  [/^\s*(?:please\s+)?(?:(?:start|open|begin)\s+)?(?:a\s+)?new\s+(?:visit|patient|encounter)(?:\s+please)?\s*[.!]?\s*$/i, () => ({ kind: 'command', command: 'new-visit' })],
  [/^\s*(?:please\s+)?(?:clear|reset|wipe)\s+(?:the\s+)?(?:chat|conversation|messages)(?:\s+please)?\s*[.!]?\s*$/i, () => ({ kind: 'command', command: 'clear' })],
  [/^\s*(?:please\s+)?(?:export|download|save)\s+(?:the\s+)?note(?:\s+as\s+(fhir|markdown|text|json))?(?:\s+please)?\s*[.!]?\s*$/i, (m) => ({ kind: 'command', command: 'export', argument: m[1]?.toLowerCase() })],
];

// Asking for judgement, comparison or explanation needs the big model; so does anything long.
// Stems, not words: "adjusting", "causing", "managed" ask the same.
const REASONING = /\b(why|explain\w*|compar\w*|differentials?|should (?:i|we)|would you|what if|interpret\w*|reason\w*|recommend\w*|risks?|benefits?|interact\w*|contraindicat\w*|adjust\w*|titrat\w*|pros and cons|trade-?offs?|caus\w*|diagnos\w*|manag\w*|approach\w*|guidelines?|evidence|summari[sz]e (?:the|this) (?:visit|consultation)|step by step)\b/i;
const SIMPLE = /^\s*(?:what(?:'s| is| was| were| did)|when|who|which|how (?:many|much|old|long)|did (?:i|she|he|they)|is (?:there|the)|spell|define|thanks|thank you|hi|hello|ok|okay)\b/i;

/**
 * Rules for the router: commands by their wording, reasoning by the words that ask for it,
 * the rest by length. It needs no model, so it is also the fallback when no classifier model
 * can run.
 */
export class RuleIntentClassifier implements IntentClassifier {
  constructor(private readonly longMessageWords = 28) {}

  classify(message: string): Intent {
    for (const [pattern, intent] of COMMANDS) {
      const match = message.match(pattern);
      if (match) return intent(match);
    }
    const words = message.trim().split(/\s+/).length;
    const questions = (message.match(/\?/g) ?? []).length;
    if (REASONING.test(message) || words > this.longMessageWords || questions > 1) return { kind: 'reasoning' };
    if (SIMPLE.test(message) || words <= 12) return { kind: 'simple' };
    return { kind: 'reasoning' };
  }
}
