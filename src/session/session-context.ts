import { createContext } from '@lit/context';
import type { VisitSession } from './visit-session.js';

/**
 * The context key under which `<slm-provider>` (or `<slm-session>`) offers the visit session,
 * beside the engine's key: the engine is shared by the whole page, a session by one patient's
 * part of it. A plain string, so elements written without Lit can ask for it too.
 */
export const sessionContext = createContext<VisitSession>('slm-session');
