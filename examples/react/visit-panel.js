// React 19 renders custom elements natively: a prop whose name is a property of the element
// (`template`, `messages`, `refine`) is set as that property, so objects and arrays arrive
// intact; any other prop (`hide-status`, `max-length`) becomes an attribute; a function
// prop named `on` + the exact event type (`onslm-note-change`) is added with addEventListener.
// The `in` check needs the elements defined first, hence the imports above the first render.
//
// No JSX, so no build step: `h` is `React.createElement`. In an app with a bundler, write
// JSX and import the elements from the package ('slm-elements/slm-note.js', …).
import { createElement as h, useState } from 'react';
import { createRoot } from 'react-dom/client';
import '../../src/elements/slm-provider/slm-provider.js';
import '../../src/elements/slm-transcriber/slm-transcriber.js';
import '../../src/elements/slm-note/slm-note.js';
import '../../src/elements/slm-chat/slm-chat.js';
import { COUGH_CLINIC, countItems } from '../shared/cough-clinic.js';

const TEMPLATES = { 'cough-clinic': COUGH_CLINIC, soap: 'soap', progress: 'progress' };
// One array for every render: a fresh `[]` each time would be a new `messages` value, and
// React would set it on the chat again, emptying the conversation at each re-render.
const NO_MESSAGES = [];

/**
 * A visit: dictation, a note from the custom template, and a chat, with the app's own
 * summary of what the elements report.
 * @param {import('./visit-panel.js').VisitPanelProps} props
 */
export function VisitPanel({ llm = null, savedChat = NO_MESSAGES }) {
  const [templateName, setTemplateName] = useState('cough-clinic');
  const [statusHidden, setStatusHidden] = useState(false);
  const [segments, setSegments] = useState(0);
  const [items, setItems] = useState(0);
  const [messages, setMessages] = useState(savedChat.length);
  const [lastAnswer, setLastAnswer] = useState('');
  const [error, setError] = useState('');

  return h(
    'div',
    { className: 'visit-panel' },
    h(
      'fieldset',
      null,
      h('legend', null, 'React app'),
      h(
        'label',
        null,
        'Note template ',
        h(
          'select',
          { value: templateName, onChange: (event) => setTemplateName(event.target.value) },
          h('option', { value: 'cough-clinic' }, 'Cough clinic (custom, an object)'),
          h('option', { value: 'soap' }, 'SOAP'),
          h('option', { value: 'progress' }, 'Progress note'),
        ),
      ),
      h('label', null, h('input', { type: 'checkbox', checked: statusHidden, onChange: (event) => setStatusHidden(event.target.checked) }), ' Hide model status'),
    ),
    h(
      'slm-provider',
      // Errors bubble out of every element, so one listener on the provider hears them all.
      { llm, 'hide-status': statusHidden, 'onslm-error': (event) => setError(`${event.detail.code}: ${event.detail.message}`) },
      h('slm-transcriber', { 'no-shortcut': true, 'onslm-transcript': (event) => setSegments(event.detail.segments.length) }),
      h('slm-note', { template: TEMPLATES[templateName], refine: llm ? 'auto' : 'off', 'onslm-note-change': (event) => setItems(countItems(event.detail.note)) }),
      h('slm-chat', {
        // Restores a saved conversation once: React sets the property again only when the
        // array itself changes, and the chat owns the conversation from then on.
        messages: savedChat,
        'max-length': 2000,
        'onslm-chat-message': (event) => {
          const { message, messages: all } = event.detail;
          setMessages(all.length);
          if (message.role === 'assistant' && message.status !== 'streaming') setLastAnswer(message.content);
        },
      }),
    ),
    h(
      'dl',
      { className: 'summary' },
      h('dt', null, 'Transcript segments'),
      h('dd', null, h('output', { name: 'segments' }, segments)),
      h('dt', null, 'Note items'),
      h('dd', null, h('output', { name: 'items' }, items)),
      h('dt', null, 'Chat messages'),
      h('dd', null, h('output', { name: 'messages' }, messages)),
      h('dt', null, 'Last answer'),
      h('dd', null, h('output', { name: 'last-answer' }, lastAnswer)),
      h('dt', null, 'Last error'),
      h('dd', null, h('output', { name: 'error' }, error)),
    ),
  );
}

/**
 * Renders the panel into `container`.
 * @param {Element} container
 * @param {import('./visit-panel.js').VisitPanelProps} [props]
 */
export function mountVisitPanel(container, props = {}) {
  const root = createRoot(container);
  root.render(h(VisitPanel, props));
  return { unmount: () => root.unmount() };
}
