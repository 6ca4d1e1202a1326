import '../src/elements/slm-scribe/slm-scribe.js';
import type { SlmScribe } from '../src/elements/slm-scribe/slm-scribe.js';

const scribe = document.querySelector<SlmScribe>('#scribe')!;
const params = new URLSearchParams(location.search);

// `?models=test`: the tiny offline test models from this server (meaningless text), for trying
// the app without a download and for the end-to-end test. `?host=` names a clinic mirror.
if (params.get('models') === 'test') {
  scribe.modelHost = new URL('/models', location.href).href;
  scribe.llm = 'test-llm';
  scribe.asr = 'test-asr';
} else if (params.get('host')) {
  scribe.modelHost = params.get('host')!;
}
// `?llm-endpoint=https://…/v1&llm=name`: the language model on a clinic's OpenAI-compatible server
// (the dev server's CSP must allow it: SLM_LLM_ENDPOINT).
if (params.get('llm-endpoint')) {
  scribe.llmEndpoint = params.get('llm-endpoint');
  scribe.llm = params.get('llm');
}
if (params.get('theme') === 'high-contrast') scribe.theme = 'high-contrast';
if (params.get('db')) scribe.dbName = params.get('db')!;
