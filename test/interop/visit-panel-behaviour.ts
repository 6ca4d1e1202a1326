import { expect, waitUntil } from '@open-wc/testing';
import type { ChatEntry } from '../../src/chat/chat-types.js';
import { COUGH_CLINIC } from '../../examples/shared/cough-clinic.js';

type Mount = (container: Element, props?: { savedChat?: ChatEntry[] }) => { unmount(): void };

const SAVED_CHAT: ChatEntry[] = [
  { id: 'm1', role: 'user', content: 'What did we decide last time?', createdAt: 1, status: 'done' },
  { id: 'm2', role: 'assistant', content: 'A chest **x-ray** if the cough lasts.', createdAt: 2, status: 'done', answeredBy: 'main' },
];

/**
 * What the example's visit panel must do in any framework: hand its state to the elements
 * (properties, attributes, on every render) and hear their events back into its own state.
 * The React and Vue tests run these against their framework's example.
 */
export function describeVisitPanel(framework: string, mount: Mount) {
  describe(`slm-elements in ${framework}`, () => {
    let container: HTMLElement;
    let mounted: { unmount(): void } | null;

    async function setUp(props: { savedChat?: ChatEntry[] } = { savedChat: SAVED_CHAT }) {
      container = document.createElement('div');
      document.body.append(container);
      mounted = mount(container, props);
      await waitUntil(() => container.querySelector('slm-chat'), `${framework} rendered no elements`);
      const provider = container.querySelector('slm-provider')!;
      const note = container.querySelector('slm-note')!;
      const chat = container.querySelector('slm-chat')!;
      await Promise.all([provider.updateComplete, note.updateComplete, chat.updateComplete]);
      /** The framework's own rendering of its state. */
      const shown = (name: string) => container.querySelector(`output[name="${name}"]`)!.textContent;
      const until = (name: string, expected: string) =>
        waitUntil(() => shown(name) === expected, `${framework} showed ${name} "${shown(name)}", not "${expected}"`, { timeout: 5000 });
      const sectionsShown = () => [...note.shadowRoot!.querySelectorAll<HTMLElement>('[part~="section"]')].map((s) => s.dataset.section);
      /** Picks a note template in the app's own select, as a user would. */
      const pickTemplate = (value: string) => {
        const select = container.querySelector('select')!;
        select.value = value;
        select.dispatchEvent(new Event('change', { bubbles: true }));
      };
      return { provider, note, chat, shown, until, sectionsShown, pickTemplate };
    }

    afterEach(() => {
      mounted?.unmount();
      mounted = null;
      container.remove();
    });

    it('sets the custom template object and the saved chat as properties, and the elements render them', async () => {
      const { provider, note, chat, sectionsShown, shown } = await setUp();
      // The very object, not "[object Object]" in an attribute.
      expect(note.template).to.equal(COUGH_CLINIC);
      expect(note.refine).to.equal('off');
      expect(note.shadowRoot!.querySelector('[part~="title"]')!.textContent).to.equal('Cough clinic');
      expect(sectionsShown()).to.deep.equal(['history', 'plan']);

      expect(chat.messages.map((m) => m.id)).to.deep.equal(['m1', 'm2']);
      expect(chat.shadowRoot!.querySelector('[part~="assistant"] strong')!.textContent).to.equal('x-ray');
      expect(shown('messages')).to.equal('2');

      // Names that are not properties travel as attributes, and the elements read them.
      expect(chat.getAttribute('max-length')).to.equal('2000');
      expect(chat.maxLength).to.equal(2000);
      expect(container.querySelector('slm-transcriber')!.hasAttribute('no-shortcut')).to.equal(true);
      expect(provider.hasAttribute('hide-status'), 'hide-status before the box is ticked').to.equal(false);
    });

    it("passes the app's new state to the elements when it re-renders", async () => {
      const { provider, note, sectionsShown, pickTemplate } = await setUp();
      pickTemplate('progress');
      await waitUntil(() => note.template === 'progress', 'the new template did not reach the note');
      await note.updateComplete;
      expect(note.note.title).to.equal('Progress note');
      expect(sectionsShown()).to.deep.equal(['interval-history', 'examination', 'results', 'assessment', 'plan']);

      const checkbox = container.querySelector<HTMLInputElement>('input[type="checkbox"]')!;
      checkbox.click();
      await waitUntil(() => provider.hasAttribute('hide-status'), 'hide-status was not set');
      await provider.updateComplete;
      expect(provider.hideStatus).to.equal(true);
      expect(getComputedStyle(provider.shadowRoot!.querySelector('[part~="status"]')!).display).to.equal('none');
      checkbox.click();
      // Removed, not written as hide-status="false" (which a boolean attribute reads as true).
      await waitUntil(() => !provider.hasAttribute('hide-status'), 'hide-status was not removed');
      await provider.updateComplete;
      expect(provider.hideStatus).to.equal(false);

      pickTemplate('cough-clinic');
      await waitUntil(() => note.template === COUGH_CLINIC, 'the custom template did not come back');
    });

    it('counts transcript segments and note items from slm-transcript and slm-note-change', async () => {
      const { provider, note, until } = await setUp();
      provider.session.transcript.upsert({ id: 's1', text: 'Cough for two weeks.', start: 0, end: 2, final: true });
      await until('segments', '1');
      await until('items', '1');
      expect(note.note.sections.find((s) => s.id === 'history')!.items.map((i) => i.text)).to.deep.equal(['Cough for two weeks.']);
    });

    it('hears slm-chat-message when a chat command writes into the note, and keeps the conversation through re-renders', async () => {
      // No saved chat: the conversation starts empty and belongs to the element.
      const { chat, note, until } = await setUp({});
      await chat.send('Add to plan: rest');
      expect(note.note.sections.find((s) => s.id === 'plan')!.items.map((i) => [i.text, i.origin])).to.deep.equal([['rest', 'clinician']]);
      await until('messages', '2');
      await until('last-answer', 'Added to **Plan**: rest');
      await until('items', '1');
      // The app re-rendered for each of those events; the chat was not handed its initial value again.
      await chat.updateComplete;
      expect(chat.messages.map((m) => m.role)).to.deep.equal(['user', 'assistant']);
      expect(chat.shadowRoot!.querySelectorAll('[part~="message"]')).to.have.length(2);
    });

    it('hears slm-error from any element inside the provider', async () => {
      const { chat, shown, until } = await setUp();
      await chat.send('a'.repeat(2001));
      await waitUntil(() => shown('error')!.startsWith('invalid-argument: This message has 2,001 characters; the limit is 2,000.'), `${framework} showed error "${shown('error')}"`);
      await until('messages', '2');
    });

    it('takes the elements out of the page when unmounted', async () => {
      const { provider } = await setUp();
      mounted!.unmount();
      mounted = null;
      expect(provider.isConnected).to.equal(false);
      expect(container.childElementCount).to.equal(0);
    });
  });
}
