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
