import type { ClinicalNote, NoteItem, NoteOmission, NoteSection } from './note-types.js';
import { guardOmissions } from './omission-guard.js';
import { segmentOfSentence } from './sentences.js';

/**
 * Pure operations on a note. Each returns a new note (the old one is never mutated), so a
 * view can compare versions and a change event can carry the note as it was.
 */

const mapSections = (note: ClinicalNote, fn: (section: NoteSection) => NoteSection): ClinicalNote => ({ ...note, sections: note.sections.map(fn) });
const mapItem = (note: ClinicalNote, itemId: string, fn: (item: NoteItem) => NoteItem): ClinicalNote =>
  mapSections(note, (section) => (section.items.some((i) => i.id === itemId) ? { ...section, items: section.items.map((i) => (i.id === itemId ? fn(i) : i)) } : section));

export function findItem(note: ClinicalNote, itemId: string): { section: NoteSection; item: NoteItem } | undefined {
  for (const section of note.sections) {
    const item = section.items.find((i) => i.id === itemId);
    if (item) return { section, item };
  }
  return undefined;
}

/** A clinician's words replace the item's and make it authoritative. */
export const editItem = (note: ClinicalNote, itemId: string, text: string): ClinicalNote => mapItem(note, itemId, (item) => ({ ...item, text, origin: 'clinician', locked: true }));

export const lockItem = (note: ClinicalNote, itemId: string, locked: boolean): ClinicalNote => mapItem(note, itemId, (item) => ({ ...item, locked }));

/** Removal leaves a locked, hidden tombstone: the model must not bring the statement back. */
export const removeItem = (note: ClinicalNote, itemId: string): ClinicalNote => mapItem(note, itemId, (item) => ({ ...item, deleted: true, locked: true }));

export function addItem(note: ClinicalNote, sectionId: string, item: NoteItem): ClinicalNote {
  return mapSections(note, (section) => (section.id === sectionId ? { ...section, items: [...section.items, item] } : section));
}

/** Whether two items come from the same dictation: the same sentence where both know theirs, else the same segment. */
const sameOrigin = (a: NoteItem, b: NoteItem) =>
  a.sentences?.length && b.sentences?.length ? a.sentences.some((s) => b.sentences!.includes(s)) : a.sources.some((s) => b.sources.includes(s));

const sameText = (a: string, b: string) => a.toLowerCase().replace(/\W+/g, ' ').trim() === b.toLowerCase().replace(/\W+/g, ' ').trim();

export interface ModelMergeOptions {
  /**
   * The window's transcript segments: every fact said in them must survive the update, each
   * checked against the statements citing the sentence it was said in.
   */
  segments?: ReadonlyArray<{ id: string; text: string }>;
  /** `false` for an answer cut off mid-way: its complete statements are added and nothing is replaced. Default `true`. */
  replace?: boolean;
}

export interface ModelMerge {
  note: ClinicalNote;
  /** Ids of the items added or replaced. */
  changed: string[];
  /** Facts the update dropped or changed; the items that carried them were kept. */
  omissions: NoteOmission[];
  /** Why the update was not applied, or not in full. */
  warnings: string[];
}

/**
 * Merges a model update around what must stay. The update covers one window of the
 * transcript (`window`: its segment ids, or sentence ids): it replaces the draft and model
 * items derived only from the sentences of that window, and nothing else. Locked and clinician items stay exactly as they are, and a model item that
 * restates a locked item's sources in the same section is dropped, so an edit is never
 * doubled by the model's own version of it. A dictated "clear the note" can therefore reach
 * no further than the window it was said in, and an answer with no statements at all changes
 * nothing. Within the window, the omission guard keeps every item that carries a fact the
 * update would drop or change (omission-guard.ts).
 */
export function mergeModelUpdate(note: ClinicalNote, window: ReadonlySet<string>, update: Map<string, NoteItem[]>, options: ModelMergeOptions = {}): ModelMerge {
  // An update rewrites only what it was given, sentence by sentence: a sentence is in the window
  // when its id or its segment's is (an item saved before sentence ids, when its segments are).
  const given = (id: string) => window.has(id) || window.has(segmentOfSentence(id));
  const inWindow = (item: NoteItem) => (item.sentences?.length ? item.sentences.every(given) : item.sources.length > 0 && item.sources.every(given));
  // A dictated instruction stays as it was drafted, with its mark: the model never saw it, so it cannot restate it.
  const replaceable = (item: NoteItem) => options.replace !== false && !item.locked && !item.instruction && item.origin !== 'clinician' && item.sources.length > 0 && inWindow(item);
  const placed = note.sections.flatMap((section) => section.items.map((item) => ({ item, sectionId: section.id })));
  const replaced = placed.filter((p) => replaceable(p.item));
  const others = placed.filter((p) => !replaceable(p.item));
  if (replaced.length && ![...update.values()].some((items) => items.length)) {
    return { note, changed: [], omissions: [], warnings: ['The model’s update had no statements for the new dictation; the draft is kept.'] };
  }

  const incoming = note.sections.flatMap((section) => {
    const kept = section.items.filter((item) => !replaceable(item));
    const authoritative = kept.filter((item) => item.locked || item.origin === 'clinician');
    return (update.get(section.id) ?? [])
      .filter((item) => !authoritative.some((locked) => sameText(locked.text, item.text) || sameOrigin(locked, item)) && !kept.some((k) => sameText(k.text, item.text)))
      .map((item) => ({ item, sectionId: section.id }));
  });
  const { keep, omissions } = guardOmissions({ replaced, incoming, others, segments: options.segments });

  const changed: string[] = [];
  const sections = note.sections.map((section) => {
    const removed = (item: NoteItem) => replaceable(item) && !keep.has(item.id);
    const survivors = section.items.filter((item) => !removed(item));
    const added = incoming.filter((p) => p.sectionId === section.id).map((p) => p.item).filter((item) => !survivors.some((s) => sameText(s.text, item.text)));
    changed.push(...added.map((i) => i.id), ...section.items.filter(removed).map((i) => i.id));
    // New items take the place of the ones they replace, so the note keeps the dictation's order.
    const firstReplaced = section.items.findIndex(replaceable);
    const at = firstReplaced === -1 ? survivors.length : section.items.slice(0, firstReplaced).filter((i) => !removed(i)).length + (keep.has(section.items[firstReplaced].id) ? 1 : 0);
    return { ...section, items: [...survivors.slice(0, at), ...added, ...survivors.slice(at)] };
  });
  return { note: { ...note, sections }, changed: [...new Set(changed)], omissions, warnings: [] };
}
