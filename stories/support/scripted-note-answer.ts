import type { ChatMessage } from '../../src/engine/types.js';
import { classifySentence, splitSentences } from '../../src/note/draft-structurer.js';
import { SOAP_TEMPLATE } from '../../src/note/templates.js';

/**
 * What a small instruction model answers to the note prompt, for stories: each sentence of
 * the new transcript (one entry per sentence), tightened, in its section, citing its id. `tamper` lets a story show
 * a model that invents something (the grounding guard then flags it).
 */
export function scriptedNoteAnswer(tamper: (text: string) => string = (text) => text) {
  return (messages: ChatMessage[]): string => {
    const user = messages.find((m) => m.role === 'user')?.content ?? '';
    const block = user.slice(user.indexOf('<<<TRANSCRIPT') + '<<<TRANSCRIPT'.length, user.lastIndexOf('TRANSCRIPT>>>'));
    const segments = JSON.parse(block) as Array<{ id: string; text: string }>;
    const answer: Record<string, Array<{ text: string; sources: string[] }>> = Object.fromEntries(SOAP_TEMPLATE.sections.map((s) => [s.id, []]));
    for (const segment of segments) {
      for (const sentence of splitSentences(segment.text)) {
        const text = tamper(sentence.replace(/^(we will|we'll|she says|he says|the patient (says|reports))\s+/i, '').replace(/^\w/, (c) => c.toUpperCase()));
        answer[classifySentence(sentence, SOAP_TEMPLATE)].push({ text, sources: [segment.id] });
      }
    }
    return JSON.stringify(answer);
  };
}
