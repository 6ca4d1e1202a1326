// The page's script is a file, not inline, so the example runs under the strict policy the dev server sends
// (script-src 'self', no 'unsafe-inline'): see the README's Privacy section.
import { mountVisitPanel } from './visit-panel.js';

mountVisitPanel(document.querySelector('#app'), { llm: new URLSearchParams(location.search).get('llm') });
