import type { ClinicalNote, NoteItem, NoteSection } from './note-types.js';

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

const sameText = (a: string, b: string) => a.toLowerCase().replace(/\W+/g, ' ').trim() === b.toLowerCase().replace(/\W+/g, ' ').trim();

/**
 * Merges a model update around what must stay. The update covers one window of the
 * transcript: it replaces the draft and model items derived only from that window, and
 * nothing else. Locked and clinician items stay exactly as they are, and a model item that
 * restates a locked item's sources in the same section is dropped, so an edit is never
 * doubled by the model's own version of it. A dictated "clear the note" can therefore reach
 * no further than the window it was said in.
 */
export function mergeModelUpdate(note: ClinicalNote, window: ReadonlySet<string>, update: Map<string, NoteItem[]>): { note: ClinicalNote; changed: string[] } {
  const changed: string[] = [];
  const sections = note.sections.map((section) => {
    const replaceable = (item: NoteItem) => !item.locked && item.origin !== 'clinician' && item.sources.length > 0 && item.sources.every((s) => window.has(s));
    const kept = section.items.filter((item) => !replaceable(item));
    const firstReplaced = section.items.findIndex(replaceable);
    const authoritative = kept.filter((item) => item.locked || item.origin === 'clinician');
    const incoming = (update.get(section.id) ?? []).filter(
      (item) => !authoritative.some((locked) => sameText(locked.text, item.text) || locked.sources.some((s) => item.sources.includes(s))) && !kept.some((k) => sameText(k.text, item.text)),
    );
    changed.push(...incoming.map((i) => i.id), ...section.items.filter(replaceable).map((i) => i.id));
    // New items take the place of the ones they replace, so the note keeps the dictation's order.
    const at = firstReplaced === -1 ? kept.length : section.items.slice(0, firstReplaced).filter((i) => !replaceable(i)).length;
    return { ...section, items: [...kept.slice(0, at), ...incoming, ...kept.slice(at)] };
  });
  return { note: { ...note, sections }, changed: [...new Set(changed)] };
}
