import type { ClinicalNote, NoteTemplate } from '../../src/note/note-types.js';

export declare const COUGH_CLINIC: NoteTemplate;
export declare function countItems(note: ClinicalNote): number;
