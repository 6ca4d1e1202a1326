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

/** One sentence of the transcript: its id is `<segment id>#<n>`, n counted from 0 in the segment's text. */
export interface TranscriptSentence {
  id: string;
  segmentId: string;
  text: string;
}

/** The id of the `index`-th sentence of a segment, as the draft, the prompt and the guards name it. */
export const sentenceId = (segmentId: string, index: number): string => `${segmentId}#${index}`;

/** The segment a sentence id belongs to; a segment id (an item saved before sentence ids) is its own. */
export function segmentOfSentence(id: string): string {
  const at = id.lastIndexOf('#');
  return at > 0 && /^\d+$/.test(id.slice(at + 1)) ? id.slice(0, at) : id;
}

const sentenceCache = new Map<string, string[]>();

/**
 * The sentences of transcript segments, in order, each with its id. A file's segment holds up to
 * 28 s of speech, several sentences: a model update, the merge and the guards work on these so
 * that each statement answers for the sentences it came from, not for its whole segment.
 */
export function transcriptSentences(segments: ReadonlyArray<{ id: string; text: string }>): TranscriptSentence[] {
  return segments.flatMap((segment) => {
    let sentences = sentenceCache.get(segment.text);
    if (!sentences) {
      sentences = splitSentences(segment.text);
      // Every change of the note re-checks it against the transcript; most segments have not changed.
      if (sentenceCache.size > 20_000) sentenceCache.clear();
      sentenceCache.set(segment.text, sentences);
    }
    return sentences.map((text, index) => ({ id: sentenceId(segment.id, index), segmentId: segment.id, text }));
  });
}

/**
 * The sentences a statement answers for: those it cites, or, for an item that cites only whole
 * segments (saved before sentence ids), every sentence of them.
 */
export function sentencesOf(item: { sources: readonly string[]; sentences?: readonly string[] }, bySegment?: ReadonlyMap<string, readonly string[]>): string[] {
  if (item.sentences?.length) return [...item.sentences];
  return item.sources.flatMap((source) => bySegment?.get(source) ?? [source]);
}
