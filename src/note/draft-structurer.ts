import type { TranscriptSegment } from '../audio/transcript-store.js';
import type { ClinicalNote, NoteItem, NoteTemplate } from './note-types.js';

interface CompiledSection {
  id: string;
  header: RegExp;
  cues: Array<{ pattern: RegExp; weight: number }>;
}

const compiled = new WeakMap<NoteTemplate, CompiledSection[]>();
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const words = (phrase: string) => new RegExp(`(?:^|[^\\p{L}\\p{N}])${escape(phrase.toLowerCase())}(?=$|[^\\p{L}\\p{N}])`, 'u');

function compile(template: NoteTemplate): CompiledSection[] {
  let sections = compiled.get(template);
  if (!sections) {
    sections = template.sections.map((s) => ({
      id: s.id,
      // "Plan: …", "For the plan, …", "Assessment is …": a dictated heading decides outright.
      header: new RegExp(`^(?:(?:for|in|on|under|and|so|now)\\s+(?:the\\s+)?)?(?:${escape(s.title.toLowerCase())}|${escape(s.id.toLowerCase().replace(/[-_]/g, ' '))})\\b`, 'u'),
      // Multi-word cues are more specific than single words, so they weigh more.
      cues: (s.cues ?? []).map((cue) => ({ pattern: words(cue), weight: cue.includes(' ') ? 2 : 1 })),
    }));
    compiled.set(template, sections);
  }
  return sections;
}

/** Sentences of a transcript segment, by the browser's own sentence segmentation. */
let sentenceSegmenter: Intl.Segmenter | undefined;
// ICU ends a sentence after any of these; in dictation they are titles and shorthand.
const ABBREVIATION = /(?:^|\s)(?:mr|mrs|ms|dr|prof|st|vs|approx|no|e\.g|i\.e|etc|pt|hx|dx|rx|tx)\.$/i;

export function splitSentences(text: string): string[] {
  const segmenter = (sentenceSegmenter ??= new Intl.Segmenter('en', { granularity: 'sentence' }));
  const sentences: string[] = [];
  for (const { segment } of segmenter.segment(text)) {
    const sentence = segment.trim();
    if (sentences.length && ABBREVIATION.test(sentences[sentences.length - 1])) sentences[sentences.length - 1] += ` ${sentence}`;
    else sentences.push(sentence);
  }
  return sentences.filter((s) => /[\p{L}\p{N}]/u.test(s));
}

/**
 * Which section a dictated sentence belongs to: a spoken heading wins, then the section whose
 * cues match most; with no cue at all the sentence stays where the dictation already was,
 * since clinicians dictate section by section.
 */
export function classifySentence(sentence: string, template: NoteTemplate, previous?: string): string {
  const sections = compile(template);
  const text = sentence.toLowerCase().replace(/\s+/g, ' ').trim();
  const heading = sections.find((s) => s.header.test(text));
  if (heading) return heading.id;
  const scores = sections.map((section) => {
    let score = 0;
    for (const cue of section.cues) {
      const match = cue.pattern.exec(text);
      // A cue that opens the sentence ("Recheck …", "Denies …") says more than one inside it.
      if (match) score += cue.weight + (match.index === 0 ? 1 : 0);
    }
    return score;
  });
  const top = Math.max(...scores);
  if (top === 0) return previous ?? sections[0].id;
  const tied = sections.filter((_, i) => scores[i] === top).map((s) => s.id);
  if (previous && tied.includes(previous)) return previous;
  // Dictation moves forward through the template, so a tie goes to the next section on.
  const from = Math.max(0, sections.findIndex((s) => s.id === previous));
  return tied.find((id) => sections.findIndex((s) => s.id === id) >= from) ?? tied[0];
}

/** An empty note with the template's sections. */
export function emptyNote(template: NoteTemplate): ClinicalNote {
  return { template: template.id, title: template.title, sections: template.sections.map((s) => ({ id: s.id, title: s.title, items: [] })) };
}

/**
 * The instant draft: files each sentence of a final segment into a section, with no model, so
 * the note appears the moment the clinician pauses. Returns the new items with their section.
 */
export function draftItems(segment: TranscriptSegment, template: NoteTemplate, previousSection?: string): Array<{ sectionId: string; item: NoteItem }> {
  let previous = previousSection;
  return splitSentences(segment.text).map((sentence, index) => {
    const sectionId = classifySentence(sentence, template, previous);
    previous = sectionId;
    return { sectionId, item: { id: `draft:${segment.id}:${index}`, text: sentence, sources: [segment.id], origin: 'draft', locked: false } };
  });
}
