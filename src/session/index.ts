export { VisitSession } from './visit-session.js';
export { sessionContext } from './session-context.js';
export type * from './session-types.js';
