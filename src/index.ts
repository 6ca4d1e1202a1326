export { SlmProvider } from './elements/slm-provider/slm-provider.js';
export { engineContext } from './context.js';
export * from './engine/index.js';
export type * from './events.js';
