import { expect, html } from '@open-wc/testing';
import '../../src/elements/slm-note/slm-note.js';
import type { ErrorDetail } from '../../src/engine/types.js';
import type { ClinicalNote, NoteChangeDetail } from '../../src/note/note-types.js';
import type { FakeMlcOptions } from '../fakes/fake-mlc-engine.js';
import { recordEvents } from '../support/events.js';
import { providerWithFakeWebLlm } from '../support/fake-webllm-provider.js';
import { chunk, defaultRewrite, scriptedNoteModel, type ScriptedSegment } from '../support/scripted-note-model.js';
import { FACT_DICTATIONS } from '../note/fact-dictations.js';
import { segmentOfSentence } from '../../src/note/sentences.js';

/** "He takes atorvastatin 40 mg nightly and candesartan 4 mg in the morning." is its second segment. */
const REVIEW = FACT_DICTATIONS.find((d) => d.name === 'statin and blood pressure review')!;

async function dictate(fake: FakeMlcOptions, { maxTokens }: { maxTokens?: number } = {}) {
  const { provider } = await providerWithFakeWebLlm('qwen2.5-0.5b', fake, html`<slm-note debounce="20"></slm-note>`);
  const note = provider.querySelector('slm-note')!;
  await note.updateComplete;
  if (maxTokens) {
    const generate = provider.engine.generate.bind(provider.engine);
    provider.engine.generate = (messages, options = {}) => generate(messages, { ...options, maxTokens });
  }
  const changes = recordEvents(note, 'slm-note-change');
  const settled = new Promise<NoteChangeDetail | ErrorDetail>((resolve) => {
    note.addEventListener('slm-note-change', (event) => event.detail.cause === 'model' && resolve(event.detail));
    note.addEventListener('slm-error', (event) => resolve((event as CustomEvent<ErrorDetail>).detail));
  });
  REVIEW.segments.forEach((text, i) => provider.session.transcript.upsert({ id: `r${i}`, text, start: i * 4, end: i * 4 + 3, final: true }));
  const draft: ClinicalNote = structuredClone(note.note);
  const result = await settled;
  await note.updateComplete;
  const items = () => note.note.sections.flatMap((s) => s.items.filter((i) => !i.deleted));
  return { provider, note, draft, result, changes, items };
}

const shown = (note: HTMLElement, part: string) => [...note.shadowRoot!.querySelectorAll(`[part~="${part}"]`)].map((e) => e.textContent!.replace(/\s+/g, ' ').trim());

/** Restates every segment except those that name atorvastatin. */
const dropAtorvastatin = scriptedNoteModel((segment: ScriptedSegment) => (/atorvastatin 40/.test(segment.text) ? [] : defaultRewrite(segment)));

describe('<slm-note> and a model that drops or changes dictated facts', () => {
  it('keeps a sentence the model dropped, reports its facts, and exports them', async () => {
    const { note, result, items } = await dictate({ script: dropAtorvastatin });
    const detail = result as NoteChangeDetail;
    const kept = items().find((i) => i.sources.includes('r1'))!;
    expect(kept).to.include({ origin: 'draft', text: 'He takes atorvastatin 40 mg nightly and candesartan 4 mg in the morning.' });
    expect(detail.omissions.map((o) => [o.fact, o.kind, o.change, o.itemId])).to.deep.equal([
      ['atorvastatin 40 mg', 'dose', 'dropped', kept.id],
      ['candesartan 4 mg', 'dose', 'dropped', kept.id],
    ]);
    expect(note.omissions).to.deep.equal(detail.omissions);
    expect(detail.flags).to.deep.equal([]);
    // Nothing is lost from what leaves the page.
    expect(note.exportAs('text')).to.match(/atorvastatin 40 mg nightly and candesartan 4 mg/);
    expect(note.exportAs('markdown')).to.match(/atorvastatin 40 mg nightly and candesartan 4 mg/);
    expect(shown(note, 'omission')).to.deep.equal([
      "Kept from the dictation: atorvastatin 40 mg (the model's update left it out)",
      "Kept from the dictation: candesartan 4 mg (the model's update left it out)",
    ]);
    // Every other sentence was replaced by the model's as usual.
    expect(items().filter((i) => i.origin === 'draft')).to.have.length(1);
  });

  it('clears an omission once the clinician edits the kept statement', async () => {
    const { note, items, changes } = await dictate({ script: dropAtorvastatin });
    const kept = items().find((i) => i.sources.includes('r1'))!;
    note.editItem(kept.id, 'Atorvastatin 40 mg nocte, candesartan 4 mg mane.');
    await note.updateComplete;
    expect(changes.events.at(-1)!.detail).to.include({ cause: 'edit' });
    expect(changes.events.at(-1)!.detail.omissions).to.deep.equal([]);
    expect(note.shadowRoot!.querySelector('[part~="omissions"]')).to.equal(null);
  });

  it('clears an omission once another statement restores the fact', async () => {
    const { note } = await dictate({ script: dropAtorvastatin });
    note.addItem('plan', 'Atorvastatin 40 mg nocte.');
    await note.updateComplete;
    expect(note.omissions.map((o) => o.fact)).to.deep.equal(['candesartan 4 mg']);
    expect(shown(note, 'omission')).to.have.length(1);
  });

  it('keeps the dictated dose beside a changed one, flags the change, and reports it', async () => {
    const change = scriptedNoteModel((segment) => defaultRewrite(segment).map((s) => ({ ...s, text: s.text.replace('atorvastatin 40 mg', 'atorvastatin 4 mg') })));
    const { note, result, items } = await dictate({ script: change });
    const detail = result as NoteChangeDetail;
    const changed = items().find((i) => i.origin === 'model' && /atorvastatin 4 mg/.test(i.text))!;
    const kept = items().find((i) => i.origin === 'draft')!;
    expect(detail.omissions).to.deep.equal([{ fact: 'atorvastatin 40 mg', kind: 'dose', sources: ['r1'], sentences: ['r1#0'], change: 'changed', replacement: changed.text, itemId: kept.id }]);
    expect(detail.flags.map((f) => [f.itemId, f.kind, f.term])).to.deep.equal([[changed.id, 'dose', 'atorvastatin 4 mg']]);
    expect(note.exportAs('text')).to.include('He takes atorvastatin 40 mg nightly');
    expect(shown(note, 'omission')[0]).to.equal(`Kept from the dictation: atorvastatin 40 mg (the model's update changed it: “${changed.text}”)`);
    // The clinician removes the kept statement: the omission goes with it.
    note.removeItem(kept.id);
    await note.updateComplete;
    expect(note.omissions).to.deep.equal([]);
  });

  it('reports nothing for a model that restates every fact correctly', async () => {
    const terse: Record<string, Array<{ section: string; text: string }>> = {
      r0: [{ section: 'subjective', text: 'Review of cholesterol and blood pressure.' }],
      r1: [{ section: 'subjective', text: 'Atorvastatin 40 mg nocte; candesartan 4 mg mane.' }],
      r2: [{ section: 'subjective', text: 'Denies chest pain or muscle aches.' }],
      r3: [{ section: 'objective', text: 'BP 148/92, HR 72.' }],
      r4: [{ section: 'subjective', text: 'Home BP averages 135/85.' }],
      r5: [{ section: 'plan', text: 'Increase candesartan to 8 mg daily; continue atorvastatin.' }],
      r6: [{ section: 'plan', text: 'Recheck in 4 weeks.' }],
    };
    const { result, items, note } = await dictate({ script: scriptedNoteModel((sentence) => terse[segmentOfSentence(sentence.id)]) });
    const detail = result as NoteChangeDetail;
    expect(detail.omissions).to.deep.equal([]);
    expect(detail.flags).to.deep.equal([]);
    expect(items().map((i) => i.origin)).to.deep.equal(Array(7).fill('model'));
    expect(note.shadowRoot!.querySelector('[part~="omissions"]')).to.equal(null);
  });
});

describe('<slm-note> and a model answer that is unusable', () => {
  /** The note keeps every item it had, says why, and can still be edited. */
  async function expectKeptAndEditable(note: HTMLElementTagNameMap['slm-note'], draft: ClinicalNote, warning: RegExp) {
    for (const section of draft.sections) {
      const texts = note.note.sections.find((s) => s.id === section.id)!.items.map((i) => i.text);
      expect(texts).to.include.members(section.items.map((i) => i.text));
    }
    expect(shown(note, 'warning').join(' ')).to.match(warning);
    const textareas = [...note.shadowRoot!.querySelectorAll('textarea')];
    expect(textareas.length).to.be.greaterThan(0);
    expect(textareas.every((t) => !t.disabled)).to.equal(true);
    const first = note.note.sections.flatMap((s) => s.items)[0];
    note.editItem(first.id, 'Edited after the failed update.');
    expect(note.note.sections.flatMap((s) => s.items)[0]).to.include({ text: 'Edited after the failed update.', origin: 'clinician' });
  }

  it('keeps everything after an empty answer', async () => {
    const { note, draft, result } = await dictate({ script: [] });
    expect((result as ErrorDetail).code).to.equal('note-invalid-output');
    expect(note.note).to.deep.equal(draft);
    await expectKeptAndEditable(note, draft, /empty answer/);
  });

  it('keeps everything after an answer cut off mid-JSON, and adds its complete statements', async () => {
    const { note, draft, result } = await dictate({ script: scriptedNoteModel() }, { maxTokens: 60 });
    const detail = result as NoteChangeDetail;
    expect(detail.warnings.join(' ')).to.match(/stopped mid-answer/);
    const added = note.note.sections.flatMap((s) => s.items).filter((i) => i.origin === 'model');
    expect(added.length).to.be.greaterThan(0);
    expect(detail.omissions).to.deep.equal([]);
    await expectKeptAndEditable(note, draft, /stopped mid-answer/);
  });

  for (const [name, answer] of [
    ['empties every section', '{"subjective":[],"objective":[],"assessment":[],"plan":[]}'],
    ['deletes every section', '{}'],
  ]) {
    it(`keeps everything after an answer that ${name}`, async () => {
      const { note, draft, result } = await dictate({ script: chunk(answer) });
      expect((result as NoteChangeDetail).changed).to.deep.equal([]);
      expect(note.note).to.deep.equal(draft);
      await expectKeptAndEditable(note, draft, /no statements/);
    });
  }
});
