import { expect, fixture, html } from '@open-wc/testing';
import '../../src/elements/slm-provider/slm-provider.js';
import '../../src/elements/slm-chat/slm-chat.js';
import type { SlmProvider } from '../../src/elements/slm-provider/slm-provider.js';
import type { SlmChat } from '../../src/elements/slm-chat/slm-chat.js';
import type { ChatEntry } from '../../src/session/session-types.js';
import { MessageHtml } from '../../src/elements/slm-chat/internal/message-html.js';

async function chatOnly() {
  const provider = await fixture<SlmProvider>(html`<slm-provider hide-status><slm-chat></slm-chat></slm-provider>`);
  const chat = provider.querySelector<SlmChat>('slm-chat')!;
  await chat.updateComplete;
  const shadow = chat.shadowRoot!;
  const markdown = (chat as unknown as { markdown: MessageHtml }).markdown;
  return { provider, session: provider.session, chat, shadow, markdown };
}

/** A log of `count` messages, questions and answers in turn, each answer a little Markdown. */
function history(count: number): ChatEntry[] {
  return Array.from({ length: count }, (_, i) =>
    i % 2 === 0
      ? { id: `m${i}`, role: 'user' as const, content: `Question ${i}: what about the cough and the fever on day ${i}?`, createdAt: i }
      : { id: `m${i}`, role: 'assistant' as const, status: 'done' as const, createdAt: i, content: `**Answer ${i}.** The cough is dry.\n\n- fluids\n- rest\n- recheck in ${i} days\n\n| drug | dose |\n|---|---|\n| paracetamol | 500 mg |\n\n${'Plain words of an answer. '.repeat(12)}` },
  );
}

/** About 15,000 characters of Markdown, as a long answer would have. */
const LONG_ANSWER = Array.from({ length: 250 }, (_, i) => `${i % 10 === 0 ? `\n## Part ${i / 10}\n\n` : ''}- Point ${i}: **dry cough**, _no fever_, recheck \`BP\` in two weeks; fluids.\n`).join('').slice(0, 15_000);

describe('<slm-chat> rendering', () => {
  it('renders each finished message once and re-renders only the answer being written', async () => {
    const { session, chat, shadow, markdown } = await chatOnly();
    const log = history(45);
    session.restoreChat(log);
    await chat.updateComplete;
    const before = [...shadow.querySelectorAll('[part~="message"]')];
    expect(before).to.have.length(45);
    const answerNodes = [...shadow.querySelectorAll('[part~="assistant"] .content')].map((c) => c.firstElementChild);
    let content = '';
    for (let i = 0; i < 30; i++) {
      content += `word ${i} `;
      session.putChat({ id: 'streaming', role: 'assistant', status: 'streaming', content, createdAt: 99 });
      await chat.updateComplete;
    }
    session.putChat({ id: 'streaming', role: 'assistant', status: 'done', content, createdAt: 99 });
    await chat.updateComplete;
    // 30 updates of the streaming answer, yet every earlier answer was parsed once.
    for (const m of log.filter((m) => m.role === 'assistant')) expect(markdown.renders(m.id), m.id).to.equal(1);
    // One paragraph, so one render per update, and the finished answer once more as a whole.
    expect(markdown.renders('streaming')).to.equal(31);
    // Their DOM was left alone too: the same nodes, not a fresh copy per token.
    expect([...shadow.querySelectorAll('[part~="assistant"] .content')].slice(0, answerNodes.length).map((c) => c.firstElementChild)).to.deep.equal(answerNodes);
    expect(shadow.querySelector('[data-status="done"]:last-of-type .content')!.textContent).to.include('word 29');
  });

  it('re-renders only the last block of a growing answer, and the whole once it is done', () => {
    const seen: string[] = [];
    const cache = new MessageHtml((markdown) => (seen.push(markdown), `<p>${markdown}</p>`));
    cache.html('a', 'First paragraph.\n\nSecond', true);
    cache.html('a', 'First paragraph.\n\nSecond paragraph.', true);
    cache.html('a', 'First paragraph.\n\nSecond paragraph.\n\n- one', true);
    const pieces = cache.html('a', 'First paragraph.\n\nSecond paragraph.\n\n- one\n- two', true);
    expect(seen).to.deep.equal(['First paragraph.\n\n', 'Second', 'Second paragraph.', 'Second paragraph.\n\n', '- one', '- one\n- two']);
    expect(pieces).to.have.length(3);
    // Asking again for the same text renders nothing.
    cache.html('a', 'First paragraph.\n\nSecond paragraph.\n\n- one\n- two', true);
    expect(seen).to.have.length(6);
    cache.html('a', 'First paragraph.\n\nSecond paragraph.\n\n- one\n- two', false);
    expect(seen.at(-1)).to.equal('First paragraph.\n\nSecond paragraph.\n\n- one\n- two');
    expect(cache.renders('a')).to.equal(7);
  });

  it('forgets rendered messages when the chat is cleared', async () => {
    const { session, chat, markdown } = await chatOnly();
    session.restoreChat(history(4));
    await chat.updateComplete;
    expect(markdown.renders('m1')).to.equal(1);
    session.clearChat();
    await chat.updateComplete;
    expect(markdown.renders('m1')).to.equal(0);
  });

  it('prints the time to stream a 15,000-character answer under 45 messages (no assertion on time)', async function () {
    // A benchmark, not a limit: the machine's load varies, so it may take its time.
    this.timeout(600_000);
    const { session, chat, shadow } = await chatOnly();
    session.restoreChat(history(45));
    await chat.updateComplete;
    // Eight characters per update, about two tokens: 1,875 renders of the growing answer.
    const step = 8;
    const started = performance.now();
    for (let end = step; end < LONG_ANSWER.length + step; end += step) {
      session.putChat({ id: 'long', role: 'assistant', status: 'streaming', content: LONG_ANSWER.slice(0, end), createdAt: 99 });
      await chat.updateComplete;
    }
    const ms = performance.now() - started;
    console.log(`[bench] slm-chat: 45 messages + ${LONG_ANSWER.length}-character answer streamed in ${Math.ceil(LONG_ANSWER.length / step)} updates: ${ms.toFixed(0)} ms`);
    expect(shadow.querySelectorAll('[part~="message"]')).to.have.length(46);
  });
});

describe('<slm-chat> links the model wrote', () => {
  const url = 'https://guidelines.example/cough?visit=Jane%20Doe%2C%20dry%20cough%2C%2038.4';
  let opened: unknown[][] = [];
  const realOpen = window.open;
  beforeEach(() => {
    opened = [];
    window.open = (...args: unknown[]) => (opened.push(args), null);
  });
  afterEach(() => {
    window.open = realOpen;
  });

  async function withLink() {
    const parts = await chatOnly();
    parts.session.putChat({ id: 'a1', role: 'assistant', status: 'done', createdAt: 1, content: `See [the cough guideline](${url}) and [this](javascript:alert(1)).` });
    await parts.chat.updateComplete;
    const link = parts.shadow.querySelector<HTMLElement>('[part~="link"]')!;
    return { ...parts, link };
  }

  it('shows the whole address and has no href to follow without asking', async () => {
    const { shadow, link } = await withLink();
    expect(shadow.querySelectorAll('[part~="link"]')).to.have.length(1);
    expect(link.hasAttribute('href')).to.equal(false);
    expect(link.textContent).to.include('the cough guideline').and.include(url);
    expect(link.getAttribute('tabindex')).to.equal('0');
    expect(shadow.querySelector('a[href]')).to.equal(null);
  });

  it('asks in the chat, with the whole address, before opening; cancel stays', async () => {
    const { chat, shadow, link } = await withLink();
    link.click();
    await chat.updateComplete;
    const confirm = shadow.querySelector('[part~="link-confirm"]')!;
    expect(confirm.getAttribute('role')).to.equal('alertdialog');
    expect(shadow.querySelector('[part~="link-url"]')!.textContent).to.equal(url);
    expect(shadow.activeElement).to.equal(shadow.querySelector('[part~="link-cancel-button"]'));
    expect(opened).to.deep.equal([]);
    shadow.querySelector<HTMLButtonElement>('[part~="link-cancel-button"]')!.click();
    await chat.updateComplete;
    expect(shadow.querySelector('[part~="link-confirm"]')).to.equal(null);
    expect(opened).to.deep.equal([]);
    expect(shadow.activeElement).to.equal(link);
  });

  it('opens in a new tab with noopener and noreferrer after a yes (keyboard too)', async () => {
    const { chat, shadow, link } = await withLink();
    link.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true, cancelable: true }));
    await chat.updateComplete;
    shadow.querySelector<HTMLButtonElement>('[part~="link-open-button"]')!.click();
    await chat.updateComplete;
    expect(opened).to.have.length(1);
    const [target, name, features] = opened[0] as [string, string, string];
    expect(target).to.equal(url);
    expect(name).to.equal('_blank');
    expect(features.split(',')).to.include.members(['noopener', 'noreferrer']);
    expect(shadow.querySelector('[part~="link-confirm"]')).to.equal(null);
  });
});
