/** The note's building blocks, for apps that build or export notes without the element. */
export { NoteBuilder, type NoteBuilderOptions, type NoteStatus } from './note-builder.js';
export { classifySentence, draftItems, emptyNote, splitSentences } from './draft-structurer.js';
export { sentenceId, segmentOfSentence, transcriptSentences, type TranscriptSentence } from './sentences.js';
export { readClinicalFacts, readTranscriptFacts, statesFact, type ClinicalFact, type FactReading, type VitalKind, type VitalSetting } from './clinical-facts.js';
export { checkGrounding, groundingTerms } from './grounding.js';
export { parseModelUpdate } from './model-output.js';
export { mergeModelUpdate, type ModelMerge, type ModelMergeOptions } from './note-edits.js';
export { noteToFhirBundle, noteToHtml, noteToMarkdown, noteToPlainText, type FhirExportOptions, type NoteExportOptions } from './note-export.js';
export { isDictatedInstruction } from './dictated-instructions.js';
export { findDiagnoses } from './diagnosis-vocabulary.js';
export { DEFAULT_BUDGET, nextWindow, noteMessages, noteSchema, type PromptBudget } from './note-prompt.js';
export { BUILT_IN_TEMPLATES, HISTORY_AND_PHYSICAL_TEMPLATE, PROGRESS_NOTE_TEMPLATE, SOAP_TEMPLATE, resolveTemplate } from './templates.js';
export type * from './note-types.js';
