/**
 * A custom note template, handed to `<slm-note>` as an object through its `template`
 * property (the attribute would need it as a JSON string). The rule-based draft files each
 * dictated sentence by the section's `cues`.
 * @type {import('../../src/note/note-types.js').NoteTemplate}
 */
export const COUGH_CLINIC = {
  id: 'cough-clinic',
  title: 'Cough clinic',
  sections: [
    { id: 'history', title: 'History', description: 'What the patient reports about the cough.', cues: ['cough', 'weeks', 'days', 'fever', 'sputum'] },
    { id: 'plan', title: 'Plan', description: 'Tests, treatment and follow-up.', cues: ['plan', 'rest', 'follow up', 'x-ray'] },
  ],
};

/** What a finished note has in it: the items not removed. */
export function countItems(note) {
  return note.sections.reduce((count, section) => count + section.items.filter((item) => !item.deleted).length, 0);
}
