import { createContext } from '@lit/context';
import type { SlmEngine } from './engine/slm-engine.js';

/**
 * The context key under which `<slm-provider>` offers its engine. It is a plain string so
 * that elements written without Lit can ask for it with the community context protocol:
 * `el.dispatchEvent(new ContextRequestEvent('slm-engine', callback))`.
 */
export const engineContext = createContext<SlmEngine>('slm-engine');
