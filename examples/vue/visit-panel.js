// Vue 3 with its in-browser template compiler, so no build step. `isCustomElement` tells the
// compiler that `slm-*` tags are elements, not Vue components. Vue sets a bound value as a
// property when the element has one (`:messages`), and `.prop` insists on it (`:template.prop`),
// so objects arrive intact; other names become attributes. `@slm-note-change` listens with
// addEventListener. In an app with a bundler, import from 'vue' and the elements from the
// package ('slm-elements/slm-note.js', …), and set `isCustomElement` in the Vue plugin's
// `template.compilerOptions` instead.
import { computed, createApp, ref } from 'vue/dist/vue.esm-browser.prod.js';
import '../../src/elements/slm-provider/slm-provider.js';
import '../../src/elements/slm-transcriber/slm-transcriber.js';
import '../../src/elements/slm-note/slm-note.js';
import '../../src/elements/slm-chat/slm-chat.js';
import { COUGH_CLINIC, countItems } from '../shared/cough-clinic.js';

// Outside Vue's reactivity: inside a ref, the element would get a reactive proxy of the object.
const TEMPLATES = { 'cough-clinic': COUGH_CLINIC, soap: 'soap', progress: 'progress' };

const VisitPanel = {
  props: { llm: { type: String, default: null }, savedChat: { type: Array, default: () => [] } },
  setup(props) {
    const templateName = ref('cough-clinic');
    const statusHidden = ref(false);
    const segments = ref(0);
    const items = ref(0);
    const messages = ref(props.savedChat.length);
    const lastAnswer = ref('');
    const error = ref('');
    return {
      templateName,
      statusHidden,
      segments,
      items,
      messages,
      lastAnswer,
      error,
      noteTemplate: computed(() => TEMPLATES[templateName.value]),
      // Restored once: the chat owns the conversation from then on.
      savedChat: props.savedChat,
      onTranscript: (event) => (segments.value = event.detail.segments.length),
      onNoteChange: (event) => (items.value = countItems(event.detail.note)),
      onChatMessage: (event) => {
        const { message, messages: all } = event.detail;
        messages.value = all.length;
        if (message.role === 'assistant' && message.status !== 'streaming') lastAnswer.value = message.content;
      },
      onError: (event) => (error.value = `${event.detail.code}: ${event.detail.message}`),
    };
  },
  template: `
    <div class="visit-panel">
      <fieldset>
        <legend>Vue app</legend>
        <label>Note template
          <select v-model="templateName">
            <option value="cough-clinic">Cough clinic (custom, an object)</option>
            <option value="soap">SOAP</option>
            <option value="progress">Progress note</option>
          </select>
        </label>
        <label><input type="checkbox" v-model="statusHidden" /> Hide model status</label>
      </fieldset>
      <!-- Vue writes false as hide-status="false", which a boolean attribute reads as true: null removes it.
           Errors bubble out of every element, so one listener on the provider hears them all. -->
      <slm-provider :llm="llm" :hide-status="statusHidden || null" @slm-error="onError">
        <slm-transcriber no-shortcut @slm-transcript="onTranscript"></slm-transcriber>
        <slm-note :template.prop="noteTemplate" :refine="llm ? 'auto' : 'off'" @slm-note-change="onNoteChange"></slm-note>
        <slm-chat :messages="savedChat" max-length="2000" @slm-chat-message="onChatMessage"></slm-chat>
      </slm-provider>
      <dl class="summary">
        <dt>Transcript segments</dt><dd><output name="segments">{{ segments }}</output></dd>
        <dt>Note items</dt><dd><output name="items">{{ items }}</output></dd>
        <dt>Chat messages</dt><dd><output name="messages">{{ messages }}</output></dd>
        <dt>Last answer</dt><dd><output name="last-answer">{{ lastAnswer }}</output></dd>
        <dt>Last error</dt><dd><output name="error">{{ error }}</output></dd>
      </dl>
    </div>
  `,
};

/**
 * Mounts the panel into `container`.
 * @param {Element} container
 * @param {import('./visit-panel.js').VisitPanelProps} [props]
 */
export function mountVisitPanel(container, props = {}) {
  const app = createApp(VisitPanel, props);
  app.config.compilerOptions.isCustomElement = (tag) => tag.startsWith('slm-');
  app.mount(container);
  return { unmount: () => app.unmount() };
}

export { VisitPanel };
