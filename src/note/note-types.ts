/** One section a template asks for, e.g. "Subjective". */
export interface NoteSectionTemplate {
  /** Stable key, used in the model's JSON and in exports. Letters, digits, `-` and `_`. */
  id: string;
  title: string;
  /** What belongs here, in a sentence: the model reads it to file statements. */
  description: string;
  /**
   * Words and phrases that mark a dictated sentence as belonging here, for the instant
   * rule-based draft. Matched as whole words, case-insensitively.
   */
  cues?: string[];
}

/** The shape of a note: SOAP, History & Physical, progress note, or a custom one given as JSON. */
export interface NoteTemplate {
  id: string;
  title: string;
  sections: NoteSectionTemplate[];
  /** The LOINC document type a FHIR export carries, when one fits. */
  loinc?: { code: string; display: string };
}

/** Who wrote an item last: the instant draft, the language model, or the clinician. */
export type NoteItemOrigin = 'draft' | 'model' | 'clinician';

/** One statement of the note. */
export interface NoteItem {
  id: string;
  text: string;
  /** Ids of the transcript segments the statement comes from (what `<slm-transcriber>` highlights). */
  sources: string[];
  /**
   * Ids of the transcript sentences it comes from (`<segment id>#<n>`, n counted from 0 as
   * `splitSentences` splits the segment): a model update may rewrite only items whose sentences
   * it was given, and the guards check a statement against its own sentences. Absent on items
   * saved before sentence ids and on the clinician's own.
   */
  sentences?: string[];
  origin: NoteItemOrigin;
  /**
   * Authoritative: a clinician edited or locked it, so model updates merge around it and
   * never replace it.
   */
  locked: boolean;
  /** A clinician removed it; kept (hidden) so the model does not bring it back. */
  deleted?: boolean;
  /**
   * The sentence addresses the note-taker or the model ("ignore the above", "write that…"):
   * kept as dictated data with a visible "dictated instruction — not applied" mark, never obeyed.
   */
  instruction?: boolean;
}

export interface NoteSection {
  id: string;
  title: string;
  items: NoteItem[];
}

export interface ClinicalNote {
  /** Id of the template the sections come from. */
  template: string;
  title: string;
  sections: NoteSection[];
  /**
   * What the clinician must review before signing, as it stood when the note last changed:
   * absent when there is nothing. It travels with the note, so a saved visit brings its
   * omissions back (they cannot be worked out again: the model's answer is gone) and an export
   * made from a stored note carries them.
   */
  review?: NoteReview;
}

/** Grounding flags and omissions of a note (`NoteChangeDetail.flags` and `.omissions`). */
export interface NoteReview {
  flags: GroundingFlag[];
  omissions: NoteOmission[];
}

/**
 * A fact of the note that was never said: a number, a drug, a dose of that drug (`unit`: the
 * amount was said in another unit), a vital of that kind and setting, an allergy, a negation, a
 * duration or a date.
 */
export interface GroundingFlag {
  itemId: string;
  sectionId: string;
  /** The fact as the note states it, e.g. "atorvastatin 4 mg", "clinic temperature 38.9". */
  term: string;
  kind: 'number' | 'dose' | 'unit' | 'drug' | 'vital' | 'allergy' | 'negation' | 'duration' | 'date';
}

/**
 * A fact of the transcript (a drug, a dose bound to its drug, an allergy, a vital with its kind,
 * a negation) that a model update would have dropped or changed. The statement that carried it
 * stays in the note; the omission is reported beside the grounding flags.
 */
export interface NoteOmission {
  /** The fact as it was said, e.g. "atorvastatin 40 mg", "no fever", "temperature 38.4". */
  fact: string;
  kind: 'drug' | 'dose' | 'allergy' | 'vital' | 'negation' | 'duration' | 'date';
  /** The transcript segments it was said in. */
  sources: string[];
  /** The transcript sentences it was said in (`<segment id>#<n>`). */
  sentences?: string[];
  /** `dropped`: no statement of the update carries it; `changed`: one says something else instead. */
  change: 'dropped' | 'changed';
  /** The statement of the update that changed it. */
  replacement?: string;
  /** The item kept because of it. */
  itemId?: string;
}

export type NoteChangeCause = 'draft' | 'model' | 'edit' | 'lock' | 'add' | 'remove' | 'template' | 'reset' | 'restore';

/** Detail of `slm-note-change`. */
export interface NoteChangeDetail {
  note: ClinicalNote;
  cause: NoteChangeCause;
  /** Ids of the items this change added, replaced or edited. */
  changed: string[];
  /** Everything in the note that the transcript does not support. */
  flags: GroundingFlag[];
  /** What a model update had to leave out or repair (unknown sections, truncated output). */
  warnings: string[];
  /** Facts of the transcript the model's updates would have dropped or changed (their statements were kept). */
  omissions: NoteOmission[];
}

export type NoteExportFormat = 'markdown' | 'text' | 'fhir' | 'html';

/** Detail of `slm-note-export`. */
export interface NoteExportDetail {
  format: NoteExportFormat;
  /** How it left: returned to the caller, copied, or sent to the printer. */
  via: 'download' | 'clipboard' | 'print' | 'call';
  mimeType: string;
  content: string;
}
