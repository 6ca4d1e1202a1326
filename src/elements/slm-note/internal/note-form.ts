import { noteToPlainText } from '../../../note/note-export.js';
import type { ClinicalNote } from '../../../note/note-types.js';
import { NOTE_ALONE } from './note-exports.js';

/**
 * The note as a form field: its plain text is the value, the note itself the state a restored
 * page gets back; a required note that says nothing keeps the form from being submitted.
 */
export function reportFormState(internals: ElementInternals, note: ClinicalNote, required: boolean): void {
  internals.setFormValue(noteToPlainText(note, NOTE_ALONE), JSON.stringify(note));
  const empty = note.sections.every((s) => s.items.every((i) => i.deleted || !i.text.trim()));
  if (required && empty) internals.setValidity({ valueMissing: true }, 'The note is empty.');
  else internals.setValidity({});
}
