/** OpenAI's Chat Completions API over the local model, in the page and as a service-worker route. */
export { LocalOpenAI } from './local-openai.js';
export { serveOpenAIRoute, type OpenAIRoute, type OpenAIRouteOptions } from './openai-route.js';
export type * from './openai-types.js';
