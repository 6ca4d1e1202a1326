import type { TranscriptSegment } from '../../../audio/transcript-store.js';

/** A visit's transcript as its row counts it: what was said, and the marks where audio was not transcribed. */
export interface SegmentCount {
  spoken: number;
  gaps: number;
}

/** Counts a transcript the way the store lists it: a gap mark is not a segment anybody said. */
export function countSegments(segments: readonly TranscriptSegment[]): SegmentCount {
  const gaps = segments.filter((segment) => segment.gap !== undefined).length;
  return { spoken: segments.length - gaps, gaps };
}

/** "12 segments", or "12 segments · 1 gap": a reviewer should see that part of a visit was not transcribed. */
export function segmentCountLabel({ spoken, gaps }: SegmentCount): string {
  const said = `${spoken} segment${spoken === 1 ? '' : 's'}`;
  return gaps ? `${said} · ${gaps} gap${gaps === 1 ? '' : 's'}` : said;
}
