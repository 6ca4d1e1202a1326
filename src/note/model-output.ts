import { jsonrepair } from 'jsonrepair';
import type { TranscriptSegment } from '../audio/transcript-store.js';
import { SlmError } from '../errors/slm-error.js';
import type { NoteItem, NoteTemplate } from './note-types.js';
import { segmentOfSentence, transcriptSentences, type TranscriptSentence } from './sentences.js';

export interface ParsedUpdate {
  items: Map<string, NoteItem[]>;
  warnings: string[];
  /**
   * The answer was cut off. What it would have said about the rest is unknown (a model files a
   * sentence's parts in several sections), so it may add statements but must replace nothing.
   */
  cut?: true;
}

type RawItem = string | { text?: unknown; sources?: unknown; statement?: unknown };

/**
 * Reads the model's answer into note items. Small models stray from the schema, so this is
 * forgiving where meaning is clear (a section named by its title, an item given as a bare
 * string, a missing closing brace) and strict where it is not (an unknown section is left out
 * and named in `warnings`; text that is not JSON at all is an error).
 */
export function parseModelUpdate(
  output: string,
  template: NoteTemplate,
  window: TranscriptSegment[],
  { truncated = false, idPrefix = 'model', streaming = false }: { truncated?: boolean; idPrefix?: string; streaming?: boolean } = {},
): ParsedUpdate {
  const warnings: string[] = [];
  if (!output.trim()) throw new SlmError('note-invalid-output', 'The model returned an empty answer. The draft and every edit are kept.');
  let value: unknown;
  let cut = false;
  // Models without a grammar often wrap the object in prose or a ```json fence.
  const start = output.indexOf('{');
  const end = output.lastIndexOf('}');
  const candidate = start === -1 ? output : output.slice(start, end > start ? end + 1 : undefined);
  try {
    value = JSON.parse(candidate);
  } catch {
    try {
      value = JSON.parse(jsonrepair(start === -1 ? output : output.slice(start)));
      // An answer that does not end its object was cut off, whatever the engine reported.
      cut = !streaming && (truncated || !/\}\s*(?:```)?\s*$/.test(output.trim()));
      warnings.push(cut ? 'The model stopped mid-answer; its complete statements were added and nothing was replaced.' : 'The model returned malformed JSON; it was repaired.');
    } catch (error) {
      throw new SlmError('note-invalid-output', 'The model did not return a usable note (not JSON). The draft and every edit are kept.', { cause: error });
    }
  }
  const sections = sectionsOf(value);
  if (!sections) throw new SlmError('note-invalid-output', 'The model returned JSON that is not a note (no sections). The draft and every edit are kept.');

  const items = new Map<string, NoteItem[]>();
  const sentences = transcriptSentences(window);
  let count = 0;
  let foreign = 0;
  for (const [key, rawItems] of sections) {
    const section = sectionFor(key, template);
    if (!section) {
      warnings.push(`The model wrote to a section this template does not have (“${key}”); it was left out.`);
      continue;
    }
    const list = items.get(section) ?? [];
    for (const raw of Array.isArray(rawItems) ? (rawItems as RawItem[]) : [rawItems as RawItem]) {
      const text = (typeof raw === 'string' ? raw : typeof raw?.text === 'string' ? raw.text : typeof raw?.statement === 'string' ? raw.statement : '').trim();
      if (!text) continue;
      const claimed = typeof raw === 'object' && Array.isArray(raw?.sources) ? raw.sources.filter((s): s is string => typeof s === 'string') : [];
      const cited = sentencesFor(text, claimed, sentences);
      if (!cited) {
        foreign++;
        continue;
      }
      list.push({ id: `${idPrefix}:${count++}`, text, sources: [...new Set(cited.map(segmentOfSentence))], sentences: cited, origin: 'model', locked: false });
    }
    items.set(section, list);
  }
  // A statement that cites only sentences it was not given would rewrite what another update
  // read (or nothing that was said): it is left out, so it can change nothing there.
  if (foreign) warnings.push(`The model cited sentences it was not given in ${foreign === 1 ? 'one statement' : `${foreign} statements`}; ${foreign === 1 ? 'it was' : 'they were'} left out.`);
  if (!cut) return { items, warnings };
  // The last statement written may itself be cut off.
  const last = sectionFor(sections.at(-1)?.[0] ?? '', template);
  if (last) items.get(last)?.pop();
  return { items, warnings, cut: true };
}

/** A best-effort reading of an answer still streaming in, for a live preview; null until readable. */
export function parsePartialUpdate(output: string, template: NoteTemplate, window: TranscriptSegment[]): Map<string, NoteItem[]> | null {
  if (!output.trim().startsWith('{')) return null;
  try {
    return parseModelUpdate(output, template, window, { idPrefix: 'preview', streaming: true }).items;
  } catch {
    return null;
  }
}

function sectionsOf(value: unknown): Array<[string, unknown]> | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const record = value as Record<string, unknown>;
  // Some models wrap the answer: {"sections": {...}} or {"sections": [{"id", "items"}]}.
  if ('sections' in record && Object.keys(record).length === 1) {
    const inner = record.sections;
    if (Array.isArray(inner)) {
      return inner.filter((s): s is Record<string, unknown> => !!s && typeof s === 'object').map((s) => [String(s.id ?? s.title ?? ''), s.items ?? []]);
    }
    return sectionsOf(inner);
  }
  return Object.entries(record);
}

function sectionFor(key: string, template: NoteTemplate): string | undefined {
  const wanted = key.toLowerCase().replace(/[^a-z0-9]+/g, '');
  return template.sections.find((s) => [s.id, s.title].some((name) => name.toLowerCase().replace(/[^a-z0-9]+/g, '') === wanted))?.id;
}

/**
 * The sentences of this window a statement comes from. A claimed segment id of the window
 * stands for its sentence sharing most words with the statement; with nothing claimed, the
 * sentence of the window sharing most words is taken, so every item still points back to what
 * was said. `null` when it claims ids and none is of this window.
 */
function sentencesFor(text: string, claimed: string[], window: TranscriptSentence[]): string[] | null {
  if (!window.length) return [];
  const ids = new Set(window.map((s) => s.id));
  const valid = new Set(claimed.filter((id) => ids.has(id)));
  for (const id of claimed) {
    const ofSegment = window.filter((s) => s.segmentId === id);
    if (ofSegment.length) valid.add(closest(text, ofSegment).id);
  }
  if (valid.size) return window.filter((s) => valid.has(s.id)).map((s) => s.id);
  return claimed.length ? null : [closest(text, window).id];
}

function closest(text: string, sentences: TranscriptSentence[]): TranscriptSentence {
  const words = new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
  let best = sentences[0];
  let bestScore = -1;
  for (const sentence of sentences) {
    const score = (sentence.text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => words.has(w)).length;
    if (score > bestScore) [best, bestScore] = [sentence, score];
  }
  return best;
}
