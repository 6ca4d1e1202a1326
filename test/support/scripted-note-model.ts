import type { ChatCompletionRequest } from '@mlc-ai/web-llm';

export interface ScriptedSegment {
  id: string;
  text: string;
}

/** The transcript segments a note request carries, read back out of its data block. */
export function transcriptOf(request: ChatCompletionRequest): ScriptedSegment[] {
  const user = String(request.messages.find((m) => m.role === 'user')?.content ?? '');
  const block = user.slice(user.indexOf('<<<TRANSCRIPT') + '<<<TRANSCRIPT'.length, user.lastIndexOf('TRANSCRIPT>>>'));
  return JSON.parse(block) as ScriptedSegment[];
}

const SECTION_BY_CUE: Array<[RegExp, string]> = [
  [/\b(start|continue|increase|refer|follow|recheck|prescribe)\b/i, 'plan'],
  [/\b(likely|suspect|consistent|impression)\b/i, 'assessment'],
  [/\b(blood pressure|temperature|exam|saturation|pulse)\b/i, 'objective'],
];

/**
 * A stand-in for a small instruction model answering the note prompt: it rewrites each sentence
 * of the new transcript (one entry per sentence) as a terse clinical statement in the section a model would choose, cites the
 * sentence id, and streams the JSON a few characters per token, as WebLLM does. `rewrite` lets a
 * test make the model misbehave (invent a dose, obey an injected instruction).
 */
export function scriptedNoteModel(rewrite: (segment: ScriptedSegment) => Array<{ section: string; text: string }> | null = defaultRewrite) {
  return (request: ChatCompletionRequest): string[] => {
    const sections: Record<string, Array<{ text: string; sources: string[] }>> = { subjective: [], objective: [], assessment: [], plan: [] };
    for (const segment of transcriptOf(request)) {
      for (const { section, text } of rewrite(segment) ?? []) (sections[section] ??= []).push({ text, sources: [segment.id] });
    }
    return chunk(JSON.stringify(sections));
  };
}

export function defaultRewrite(segment: ScriptedSegment) {
  return segment.text
    .split(/(?<=[.!?])\s+(?=[A-Z])/)
    .filter((sentence) => sentence.trim())
    .map((sentence) => {
      const section = SECTION_BY_CUE.find(([cue]) => cue.test(sentence))?.[1] ?? 'subjective';
      const text = sentence.replace(/^(we will|we'll|she says|he says|the patient says)\s+/i, '').replace(/^\w/, (c) => c.toUpperCase());
      return { section, text: `${text.replace(/\.$/, '')} (AI).` };
    });
}

/** JSON in pieces of 2–6 characters, like a tokenizer's output. */
export function chunk(text: string): string[] {
  const pieces: string[] = [];
  for (let i = 0, n = 0; i < text.length; n++) {
    const size = 2 + (n % 5);
    pieces.push(text.slice(i, i + size));
    i += size;
  }
  return pieces;
}
