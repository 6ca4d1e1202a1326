import { expect, fixture, html } from '@open-wc/testing';
import '../../src/elements/slm-provider/slm-provider.js';
import '../../src/elements/slm-chat/slm-chat.js';
import '../../src/elements/slm-note/slm-note.js';
import type { SlmProvider } from '../../src/elements/slm-provider/slm-provider.js';
import type { SlmChat } from '../../src/elements/slm-chat/slm-chat.js';
import type { SlmNote } from '../../src/elements/slm-note/slm-note.js';
import { browserRequests } from '../support/model-host.js';
import { nextEvent } from '../support/events.js';
import { resetStandIn, standInRequests, standInUrl } from '../support/openai-stand-in.js';

// The server is the OpenAI stand-in of tools/dev-server/openai-stand-in.mjs (streaming SSE as OpenAI does).

describe('<slm-provider llm-endpoint>: text leaves the device, and the page says where', () => {
  beforeEach(() => resetStandIn());
  afterEach(() => resetStandIn());

  it('names the host in the status panel and the chat, and the chat is answered by that server', async () => {
    const url = await standInUrl();
    const host = new URL(url).host;
    await browserRequests(true);
    const provider = await fixture<SlmProvider>(html`<slm-provider llm="clinic-llm" llm-endpoint=${url}><slm-chat router="rules"></slm-chat></slm-provider>`);
    const chat = provider.querySelector<SlmChat>('slm-chat')!;
    await chat.updateComplete;
    const notice = provider.shadowRoot!.querySelector('[part~="remote"]')!;
    expect(notice.textContent).to.include('Text leaves this device').and.include(host);
    expect(chat.shadowRoot!.querySelector('[part~="remote-notice"]')!.textContent).to.include(host);

    const answered = new Promise<void>((resolve) =>
      chat.addEventListener('slm-chat-message', (e) => e.detail.message.role === 'assistant' && e.detail.message.status === 'done' && resolve()),
    );
    await chat.send('Is a temperature of 38.4 a fever?');
    await answered;
    await chat.updateComplete;
    expect(chat.messages.at(-1)!.content).to.equal('You asked: Is a temperature of 38.4 a fever?');
    expect((await standInRequests()).filter((r) => r.path === '/v1/chat/completions')).to.have.length(1);
    await provider.updateComplete;
    const row = provider.shadowRoot!.querySelector('[part~="model"][data-kind="llm"]')!;
    expect(row.textContent).to.include(`on the server ${host}`);
    // Every request went to the page's own origin or to the configured server, nowhere else.
    const hosts = new Set((await browserRequests()).map((u) => new URL(u).host));
    expect([...hosts].filter((h) => h !== location.host && h !== host)).to.deep.equal([]);
    expect(hosts.has(host)).to.equal(true);
  });

  it('shows no notice while every model runs on this device, and one as soon as an endpoint is set', async () => {
    const provider = await fixture<SlmProvider>(html`<slm-provider llm="qwen2.5-0.5b"><slm-chat></slm-chat><slm-note></slm-note></slm-provider>`);
    const chat = provider.querySelector<SlmChat>('slm-chat')!;
    const note = provider.querySelector<SlmNote>('slm-note')!;
    const noteNotice = () => note.shadowRoot!.querySelector('[part~="remote-notice"]');
    await chat.updateComplete;
    await note.updateComplete;
    expect(noteNotice()).to.equal(null);
    expect(provider.shadowRoot!.querySelector('[part~="remote"]')).to.equal(null);
    expect(chat.shadowRoot!.querySelector('[part~="remote-notice"]')).to.equal(null);
    expect(provider.engine.remoteHost).to.equal(null);

    provider.llmEndpoint = 'https://llm.clinic.example/v1';
    await provider.updateComplete;
    await chat.updateComplete;
    expect(provider.shadowRoot!.querySelector('[part~="remote"]')!.textContent).to.include('llm.clinic.example');
    expect(chat.shadowRoot!.querySelector('[part~="remote-notice"]')!.textContent).to.include('llm.clinic.example');
    await note.updateComplete;
    expect(noteNotice()!.textContent).to.include('llm.clinic.example').and.include('transcript is sent there');
    provider.llmEndpoint = null;
    await provider.updateComplete;
    await chat.updateComplete;
    await note.updateComplete;
    expect(chat.shadowRoot!.querySelector('[part~="remote-notice"]')).to.equal(null);
    expect(noteNotice()).to.equal(null);
  });

  it('refuses an endpoint that is not a web address with invalid-argument, keeping the models here', async () => {
    const provider = await fixture<SlmProvider>(html`<slm-provider llm="qwen2.5-0.5b"></slm-provider>`);
    const failed = nextEvent(provider, 'slm-error');
    provider.llmEndpoint = 'llm.clinic.example/v1';
    const event = (await failed) as CustomEvent;
    expect(event.detail.code).to.equal('invalid-argument');
    expect(event.detail.message).to.include('llm-endpoint');
    await provider.updateComplete;
    expect(provider.engine.remoteHost).to.equal(null);
    expect(provider.shadowRoot!.querySelector('[part~="remote"]')).to.equal(null);
  });
});
