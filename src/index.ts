export { SlmProvider } from './elements/slm-provider/slm-provider.js';
export { SlmTranscriber } from './elements/slm-transcriber/slm-transcriber.js';
export { TranscriptStore } from './audio/transcript-store.js';
export type { TranscriptSegment, TranscriptChange } from './audio/transcript-store.js';
export type { SegmenterOptions } from './audio/segmenter.js';
export { engineContext } from './context.js';
export * from './engine/index.js';
export type * from './events.js';
