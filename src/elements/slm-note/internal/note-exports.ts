import { noteToFhirBundle, noteToHtml, noteToMarkdown, noteToPlainText, type FhirExportOptions } from '../../../note/note-export.js';
import type { ClinicalNote, GroundingFlag, NoteExportFormat, NoteOmission, NoteTemplate } from '../../../note/note-types.js';

export const MIME: Record<NoteExportFormat, string> = { markdown: 'text/markdown', text: 'text/plain', fhir: 'application/fhir+json', html: 'text/html' };
export const EXTENSION: Record<NoteExportFormat, string> = { markdown: 'md', text: 'txt', fhir: 'fhir.json', html: 'html' };

/** The form value is the note alone: its review list (`note.review`) is for the clinician and the exports. */
export const NOTE_ALONE = { flags: [], omissions: [] };

/** What the clinician is shown as unsupported or dropped: it leaves with the note, for the receiving system to see. */
export interface NoteReview {
  flags: GroundingFlag[];
  omissions: NoteOmission[];
}

/** The note in an export format, its review list included. */
export function serialiseNote(note: ClinicalNote, format: NoteExportFormat, review: NoteReview, template: NoteTemplate, options: FhirExportOptions = {}): string {
  switch (format) {
    case 'markdown':
      return noteToMarkdown(note, review);
    case 'text':
      return noteToPlainText(note, review);
    case 'html':
      return noteToHtml(note, review);
    case 'fhir':
      return JSON.stringify(noteToFhirBundle(note, { template, ...review, ...options }), null, 2);
  }
}
