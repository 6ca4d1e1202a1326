import { expect, html, waitUntil } from '@open-wc/testing';
import type { ChatCompletionRequest } from '@mlc-ai/web-llm';
import '../../src/elements/slm-note/slm-note.js';
import '../../src/elements/slm-chat/slm-chat.js';
import type { SlmChat } from '../../src/elements/slm-chat/slm-chat.js';
import type { SlmNote } from '../../src/elements/slm-note/slm-note.js';
import type { ErrorDetail } from '../../src/engine/types.js';
import { providerWithFakeWebLlm } from '../support/fake-webllm-provider.js';
import { recordFault } from '../support/faults.js';
import { scriptedNoteModel } from '../support/scripted-note-model.js';
import { FACT_DICTATIONS } from '../note/fact-dictations.js';

// The load a busy clinic puts on one language model: a two-minute dictation whose note updates
// as it goes, while twenty chat questions arrive at once (an app's own chat through the in-page
// OpenAI API) and the chat element is sent twenty more. The model is WebLLM's engine faked
// faithfully (tests/fakes/fake-mlc-engine.ts: one request at a time per model, under a lock it
// reports as a deadlock if a request waits on it for long).

/** Sentences of four dictations, one every five seconds: two minutes of speech. */
const SENTENCES = FACT_DICTATIONS.slice(0, 4).flatMap((d) => d.segments).slice(0, 24);
const isNote = (request: ChatCompletionRequest) => JSON.stringify(request.messages).includes('<<<TRANSCRIPT');
const question = (n: number) => `Question ${n}: what does the plan say?`;
/** Each answer names its question in every token, so a token in the wrong answer shows. */
const answerTo = (text: string) => {
  const n = /Question (\d+)/.exec(text)?.[1] ?? '?';
  return Array.from({ length: 6 }, (_, i) => `[q${n}.${i}]`);
};

describe('load: a two-minute dictation, live note updates and forty chat messages at once', () => {
  it('deadlocks nothing, never interleaves answers, keeps the note first, and answers or refuses every message', async () => {
    const noteModel = scriptedNoteModel();
    const { provider, engines } = await providerWithFakeWebLlm(
      'qwen2.5-0.5b',
      {
        script: (request) => (isNote(request) ? noteModel(request) : answerTo(String(request.messages.at(-1)?.content ?? ''))),
        tokenDelayMs: 2,
      },
      html`<slm-note debounce="50"></slm-note><slm-chat router="rules" max-tokens="32"></slm-chat>`,
    );
    const note = provider.querySelector<SlmNote>('slm-note')!;
    const chat = provider.querySelector<SlmChat>('slm-chat')!;
    await chat.updateComplete;
    const chatErrors: string[] = [];
    chat.addEventListener('slm-error', (e) => chatErrors.push((e as CustomEvent<ErrorDetail>).detail.code));
    const noteErrors: string[] = [];
    note.addEventListener('slm-error', (e) => noteErrors.push((e as CustomEvent<ErrorDetail>).detail.code));
    const requests = () => engines.flatMap((e) => e.calls.filter((c) => c.method === 'chatCompletion').map((c) => c.args[0] as ChatCompletionRequest));
    const say = (from: number, to: number) => {
      for (let i = from; i < to; i++) provider.session.transcript.upsert({ id: `d${i}`, text: SENTENCES[i], start: i * 5, end: i * 5 + 4.5, final: true });
    };

    // The first minute: the note updates from it.
    say(0, 12);
    await note.refineNow();

    // Twenty questions through the in-page OpenAI API, all at once, then a note update asked for
    // while they wait, then twenty messages sent to the chat element in the same moment.
    const asked = Array.from({ length: 20 }, (_, i) =>
      provider.engine.openai.chat.completions.create({ messages: [{ role: 'user', content: question(i) }], max_tokens: 32 }),
    );
    say(12, 18);
    const noteUpdate = note.refineNow();
    const sent = Array.from({ length: 20 }, (_, i) => chat.send(question(100 + i)));

    // The second minute goes on while they are answered.
    say(18, 24);
    const answers = await Promise.all(asked);
    await noteUpdate;
    await Promise.all(sent);
    await note.refineNow();
    const noteStatus = () => note.shadowRoot!.querySelector<HTMLElement>('[part~="status"]')!.dataset.status;
    await waitUntil(() => noteStatus() === 'idle' && !chat.messages.some((m) => m.status === 'streaming'), 'the note or the chat did not settle', { timeout: 60_000 });

    // Every API question got its own answer, whole, with no token of another.
    answers.forEach((answer, i) => expect(answer.choices[0].message.content, `answer ${i}`).to.equal(answerTo(question(i)).join('')));
    // The chat element: one message answered, the others refused with a code (and nothing of theirs added).
    expect(chatErrors).to.deep.equal(Array(19).fill('chat-busy'));
    const userMessages = chat.messages.filter((m) => m.role === 'user');
    expect(userMessages.map((m) => m.content)).to.deep.equal([question(100)]);
    expect(chat.messages.at(-1)).to.deep.include({ role: 'assistant', status: 'done', content: answerTo(question(100)).join('') });

    // Priorities: the note update asked for while the twenty API questions waited ran before most of them.
    const order = requests().map((r) => (isNote(r) ? 'note' : (/Question (\d+)/.exec(String(r.messages.at(-1)?.content))?.[1] ?? '?')));
    const secondNote = order.indexOf('note', order.indexOf('note') + 1);
    const apiStarted = order.filter((o) => o !== 'note' && Number(o) < 100);
    expect(apiStarted).to.have.length(20);
    expect(order.slice(secondNote).filter((o) => o !== 'note' && Number(o) < 100).length, `request order: ${order.join(' ')}`).to.be.at.least(15);

    // The note: every sentence of the two minutes is cited by an item, nothing dropped or failed.
    const cited = new Set(note.note.sections.flatMap((s) => s.items.filter((i) => !i.deleted).flatMap((i) => i.sources)));
    expect(SENTENCES.map((_, i) => `d${i}`).filter((id) => !cited.has(id))).to.deep.equal([]);
    expect(note.omissions).to.deep.equal([]);
    expect(noteErrors).to.deep.equal([]);
    // The model is free again: a last question is answered at once.
    const last = await provider.engine.openai.chat.completions.create({ messages: [{ role: 'user', content: question(999) }] });
    expect(last.choices[0].message.content).to.equal(answerTo(question(999)).join(''));
    const lost = SENTENCES.length - cited.size + answers.filter((a, i) => a.choices[0].message.content !== answerTo(question(i)).join('')).length;
    await recordFault('2 min dictation + 20 API questions + 20 chat sends at once', 'chat-busy', { code: chatErrors[0] ?? 'none', lost });
  });
});
