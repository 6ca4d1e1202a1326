/** Visits kept across reloads, encrypted at rest; for apps that keep visits without the elements. */
export { VisitStore } from './visit-store.js';
export { SCHEMA_VERSION } from './visit-schema.js';
export type { ModelMemory, ModelMemorySave } from './model-memory.js';
export type { ChatRecord, NoteVersion, Visit, VisitExport, VisitStoreOptions, VisitSummary } from './visit-types.js';
