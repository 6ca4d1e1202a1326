import { expect } from '@open-wc/testing';
import { Conversation, type ConversationSettings } from '../../src/chat/conversation.js';
import { RuleIntentClassifier } from '../../src/chat/rule-classifier.js';
import type { SlmEngine } from '../../src/engine/slm-engine.js';
import type { ChatMessage, GenerationResult } from '../../src/engine/types.js';
import type { EngineGenerateOptions } from '../../src/engine/slm-engine.js';
import { SlmError } from '../../src/errors/slm-error.js';
import { VisitSession } from '../../src/session/visit-session.js';

/**
 * The part of the engine a conversation uses, answering the way `SlmEngine.generate` does:
 * tokens through `onToken`, rejection with `aborted` when the signal fires.
 */
function scriptedEngine(answer: string, tokenMs = 5) {
  const prompts: ChatMessage[][] = [];
  const engine = {
    has: (role: string) => role === 'llm',
    async generate(messages: ChatMessage[], options: EngineGenerateOptions = {}): Promise<GenerationResult> {
      prompts.push(messages);
      let text = '';
      for (const token of answer.split(/(?<= )/)) {
        if (options.signal?.aborted) throw new SlmError('aborted', 'Stopped.');
        await new Promise((resolve) => setTimeout(resolve, tokenMs));
        text += token;
        options.onToken?.(token);
      }
      return { text } as GenerationResult;
    },
  };
  return { engine: engine as unknown as SlmEngine, prompts };
}

function conversationOn(session: VisitSession, engine: SlmEngine, settings: Partial<ConversationSettings> = {}) {
  const commands: string[] = [];
  const errors: SlmError[] = [];
  const conversation = new Conversation(session, {
    settings: () => ({ engine, classifier: new RuleIntentClassifier(), systemPrompt: 'Be brief.', visitContext: true, maxTokens: 64, maxLength: 200, ...settings }),
    onCommand: (detail) => (commands.push(detail.command), true),
    onError: (error) => errors.push(error),
  });
  return { conversation, commands, errors };
}

describe('Conversation (no DOM)', () => {
  it('streams an answer into the session and sends the visit as data', async () => {
    const session = new VisitSession();
    session.transcript.upsert({ id: 's1', text: 'Dry cough for two weeks.', start: 0, end: 2, final: true });
    const { engine, prompts } = scriptedEngine('Two weeks of dry cough.');
    const { conversation } = conversationOn(session, engine);
    await conversation.send('How long the cough?');
    expect(session.chat.map((m) => [m.role, m.content, m.status])).to.deep.equal([
      ['user', 'How long the cough?', undefined],
      ['assistant', 'Two weeks of dry cough.', 'done'],
    ]);
    expect(prompts[0][0].content).to.include('Dry cough for two weeks.');
  });

  it('asks before a new visit, and a visit change stops a streaming answer, filed under the visit it was asked in', async () => {
    const session = new VisitSession();
    const { engine } = scriptedEngine('one two three four five six seven eight nine ten', 30);
    const { conversation, commands } = conversationOn(session, engine);
    const first = session.id;
    const filed: Array<[string, string | undefined]> = [];
    session.on('slm-session-chat', ({ detail }) => detail.message && filed.push([detail.visitId, detail.message.status]));

    await conversation.send('New visit');
    expect(commands).to.deep.equal(['new-visit']);
    expect(session.id, 'nothing happens before the yes').to.equal(first);
    await conversation.send('no');
    expect(session.id).to.equal(first);
    expect(session.chat.at(-2)!.confirmation!.status).to.equal('cancelled');

    const answering = conversation.send('Summarise the visit so far please');
    await new Promise((resolve) => setTimeout(resolve, 80));
    const second = await session.startNew();
    await answering;
    // The answer stopped before the switch, and its last state went to the first visit.
    expect(filed.filter(([, status]) => status === 'stopped').map(([visitId]) => visitId)).to.deep.equal([first]);
    expect(filed.some(([visitId]) => visitId === second)).to.equal(false);
    expect(session.chat).to.deep.equal([]);
    expect(conversation.busy).to.equal(false);
  });

  it('refuses a message over maxLength without adding it, and reports a failed model', async () => {
    const session = new VisitSession();
    const failing = { has: () => false, generate: () => Promise.reject(new Error('wedged')) } as unknown as SlmEngine;
    const { conversation, errors } = conversationOn(session, failing);
    expect(conversation.check('x'.repeat(201))!.code).to.equal('invalid-argument');
    let refused: unknown;
    await conversation.send('x'.repeat(201)).catch((error: unknown) => (refused = error));
    expect((refused as SlmError).code).to.equal('invalid-argument');
    expect(session.chat).to.deep.equal([]);
    await conversation.send('What was her temperature?');
    expect(errors.map((e) => e.code)).to.deep.equal(['generation-failed']);
    expect(session.chat.at(-1)!.status).to.equal('error');
  });

  it('regenerates the last answer in place', async () => {
    const session = new VisitSession();
    const { engine, prompts } = scriptedEngine('An answer.');
    const { conversation } = conversationOn(session, engine);
    await conversation.send('Question?');
    const answerId = session.chat[1].id;
    await conversation.regenerate();
    expect(prompts).to.have.length(2);
    expect(session.chat.map((m) => m.id)).to.deep.equal([session.chat[0].id, answerId]);
    expect(session.chat[1]).to.deep.include({ content: 'An answer.', status: 'done' });
  });
});
