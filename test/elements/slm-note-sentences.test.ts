import { expect, html } from '@open-wc/testing';
import type { ChatCompletionRequest } from '@mlc-ai/web-llm';
import '../../src/elements/slm-note/slm-note.js';
import type { NoteChangeDetail, NoteItem } from '../../src/note/note-types.js';
import { providerWithFakeWebLlm } from '../support/fake-webllm-provider.js';
import { chunk, defaultRewrite, scriptedNoteModel, transcriptOf } from '../support/scripted-note-model.js';

type Script = (request: ChatCompletionRequest) => string[];

/** A note over a scripted model that answers only when asked (`refineNow()`), so a test can act on the draft first. */
async function setUp(script: Script) {
  const { provider } = await providerWithFakeWebLlm('qwen2.5-0.5b', { script }, html`<slm-note debounce="600000"></slm-note>`);
  const note = provider.querySelector('slm-note')!;
  await note.updateComplete;
  const updates: NoteChangeDetail[] = [];
  note.addEventListener('slm-note-change', (e) => e.detail.cause === 'model' && updates.push(e.detail));
  const say = (id: string, text: string) => provider.session.transcript.upsert({ id, text, start: 0, end: 1, final: true });
  const items = () => note.note.sections.flatMap((s) => s.items.filter((i) => !i.deleted).map((item) => ({ section: s.id, ...item })));
  const citing = (sentence: string) => items().filter((i) => i.sentences?.includes(sentence));
  return { provider, note, updates, say, items, citing };
}

describe('<slm-note>: each model update rewrites only the sentences it was given', () => {
  it('shows the model one entry per sentence, each with its id, and every item cites its sentences', async () => {
    const requests: ChatCompletionRequest[] = [];
    const { note, say, items } = await setUp((request) => (requests.push(request), scriptedNoteModel()(request)));
    say('f1', 'She is allergic to penicillin. Cough for three days. Start honey and fluids.');
    expect(items().map((i) => [i.origin, i.sources, i.sentences])).to.deep.equal([
      ['draft', ['f1'], ['f1#0']],
      ['draft', ['f1'], ['f1#1']],
      ['draft', ['f1'], ['f1#2']],
    ]);
    await note.refineNow();
    expect(transcriptOf(requests[0]).map((s) => s.id)).to.deep.equal(['f1#0', 'f1#1', 'f1#2']);
    expect(items().map((i) => [i.origin, i.sentences])).to.deep.equal([
      ['model', ['f1#0']],
      ['model', ['f1#1']],
      ['model', ['f1#2']],
    ]);
  });

  it('does not let a model that cites a sentence it was not given change that sentence’s items', async () => {
    // Restates what it was given, and also "corrects" the allergy said in an earlier window.
    const rogue: Script = (request) => {
      const given = transcriptOf(request);
      const answer: Record<string, Array<{ text: string; sources: string[] }>> = { subjective: [], objective: [], assessment: [], plan: [] };
      for (const sentence of given) for (const { section, text } of defaultRewrite(sentence)) answer[section].push({ text, sources: [sentence.id] });
      if (!given.some((s) => s.id === 'a#0')) answer.subjective.push({ text: 'No known drug allergies.', sources: ['a#0'] }, { text: 'Allergies: none.', sources: ['a#0', 'a'] });
      return chunk(JSON.stringify(answer));
    };
    const { note, updates, say, items, citing } = await setUp(rogue);
    say('a', 'She is allergic to penicillin, it gives her hives.');
    await note.refineNow();
    const allergy: NoteItem[] = structuredClone(citing('a#0'));
    expect(allergy.map((i) => i.text)).to.deep.equal(['She is allergic to penicillin, it gives her hives (AI).']);

    say('b', 'Cough for three days. Temperature 38.2 degrees.');
    await note.refineNow();
    expect(citing('a#0')).to.deep.equal(allergy.map((i) => ({ section: 'subjective', ...i })));
    expect(items().map((i) => i.text).join(' ')).to.not.match(/no known drug allergies|allergies: none/i);
    expect(updates.at(-1)!.warnings.join(' ')).to.match(/cited sentences it was not given in 2 statements/);
    // What it was given, it rewrote as usual.
    expect(citing('b#0').map((i) => i.origin)).to.deep.equal(['model']);
    expect(citing('b#1').map((i) => i.origin)).to.deep.equal(['model']);
    expect(note.exportAs('text')).to.include('penicillin');
  });

  it('merges around a locked sentence of a file segment: the other sentences of the segment are still rewritten', async () => {
    const { note, say, items, citing } = await setUp(scriptedNoteModel());
    say('f1', 'She is allergic to penicillin. Cough for three days. Start honey and fluids.');
    const locked = citing('f1#0')[0];
    note.lockItem(locked.id);
    await note.refineNow();
    // The clinician's sentence stands, and the model's version of it is not added beside it …
    expect(citing('f1#0').map((i) => [i.id, i.origin, i.locked])).to.deep.equal([[locked.id, 'draft', true]]);
    // … while the rest of the 28 s segment is the model's, one statement per sentence.
    expect(citing('f1#1').map((i) => i.origin)).to.deep.equal(['model']);
    expect(citing('f1#2').map((i) => i.origin)).to.deep.equal(['model']);
    expect(items()).to.have.length(3);
  });
});
