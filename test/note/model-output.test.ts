import { expect } from '@open-wc/testing';
import type { TranscriptSegment } from '../../src/audio/transcript-store.js';
import { SlmError } from '../../src/errors/slm-error.js';
import { parseModelUpdate } from '../../src/note/model-output.js';
import { mergeModelUpdate } from '../../src/note/note-edits.js';
import type { ClinicalNote } from '../../src/note/note-types.js';
import { SOAP_TEMPLATE } from '../../src/note/templates.js';

const window: TranscriptSegment[] = [
  { id: 's1', text: 'She has had a dry cough for two weeks.', start: 0, end: 3, final: true },
  { id: 's2', text: 'Start honey and fluids.', start: 4, end: 6, final: true },
];

describe('reading the model’s answer', () => {
  it('reads schema-shaped JSON into items with their sources', () => {
    const { items, warnings } = parseModelUpdate('{"subjective":[{"text":"Dry cough for 2 weeks.","sources":["s1"]}],"objective":[],"assessment":[],"plan":[{"text":"Honey and fluids.","sources":["s2"]}]}', SOAP_TEMPLATE, window);
    expect(items.get('subjective')![0]).to.include({ text: 'Dry cough for 2 weeks.', origin: 'model' });
    expect(items.get('plan')![0].sources).to.deep.equal(['s2']);
    expect(warnings).to.deep.equal([]);
  });

  it('maps sections named by title, takes bare strings, and points unsourced items at the closest sentence', () => {
    const { items } = parseModelUpdate('{"sections":{"Subjective":["dry cough"],"Plan":[{"text":"honey and fluids","sources":[]}]}}', SOAP_TEMPLATE, window);
    expect(items.get('subjective')![0]).to.deep.include({ sources: ['s1'], sentences: ['s1#0'] });
    expect(items.get('plan')![0]).to.deep.include({ sources: ['s2'], sentences: ['s2#0'] });
  });

  it('reads sentence ids, takes a segment id of the window as its closest sentence, and leaves out a statement citing only what it was not given', () => {
    const file: TranscriptSegment[] = [{ id: 'f1', text: 'She is allergic to penicillin. Cough for three days. Start honey and fluids.', start: 0, end: 9, final: true }];
    const { items, warnings } = parseModelUpdate(
      JSON.stringify({
        subjective: [
          { text: 'Penicillin allergy.', sources: ['f1#0'] },
          { text: 'Cough for 3 days.', sources: ['f1'] },
          { text: 'No known drug allergies.', sources: ['f0#2'] },
          { text: 'Denies allergies.', sources: ['nope'] },
        ],
        plan: [{ text: 'Honey and fluids.', sources: ['f1#2', 'f0#1'] }],
      }),
      SOAP_TEMPLATE,
      file,
    );
    expect(items.get('subjective')!.map((i) => [i.text, i.sentences])).to.deep.equal([
      ['Penicillin allergy.', ['f1#0']],
      ['Cough for 3 days.', ['f1#1']],
    ]);
    // Of the ids it claims, only those of the window count.
    expect(items.get('plan')![0]).to.deep.include({ sources: ['f1'], sentences: ['f1#2'] });
    expect(warnings.join(' ')).to.match(/cited sentences it was not given in 2 statements/);
  });

  it('finds the object inside prose or a code fence', () => {
    const { items, warnings } = parseModelUpdate('Here is the note:\n```json\n{"plan":["honey and fluids"]}\n```\nAnything else?', SOAP_TEMPLATE, window);
    expect(items.get('plan')![0].text).to.equal('honey and fluids');
    expect(warnings).to.deep.equal([]);
  });

  it('leaves out an unknown section and says so', () => {
    const { items, warnings } = parseModelUpdate('{"subjective":["dry cough"],"billing":["code 99213"]}', SOAP_TEMPLATE, window);
    expect([...items.keys()]).to.deep.equal(['subjective']);
    expect(warnings.join(' ')).to.match(/billing/);
  });

  it('keeps the complete statements of a truncated answer and drops the cut one', () => {
    const { items, warnings } = parseModelUpdate('{"subjective":[{"text":"Dry cough.","sources":["s1"]}],"plan":[{"text":"Honey and flu', SOAP_TEMPLATE, window, { truncated: true });
    expect(items.get('subjective')).to.have.length(1);
    expect(items.get('plan') ?? []).to.have.length(0);
    expect(warnings.join(' ')).to.match(/stopped mid-answer/);
  });

  it('treats an answer that never closes its object as cut off, and a whole one as whole', () => {
    expect(parseModelUpdate('{"subjective":[{"text":"Dry cough.","sources":["s1"]}],"plan":[{"text":"Honey"', SOAP_TEMPLATE, window).cut).to.equal(true);
    expect(parseModelUpdate('{"subjective":["Dry cough."]}', SOAP_TEMPLATE, window, { truncated: true }).cut).to.equal(undefined);
  });

  it('refuses an empty answer with a typed error', () => {
    expect(() => parseModelUpdate('  \n', SOAP_TEMPLATE, window)).to.throw(SlmError, /empty answer/);
  });

  it('refuses text that is not JSON with a typed error', () => {
    let caught: unknown;
    try {
      parseModelUpdate('The patient has a cough.', SOAP_TEMPLATE, window);
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(SlmError);
    expect((caught as SlmError).code).to.equal('note-invalid-output');
  });
});

describe('merging a model update', () => {
  const base: ClinicalNote = {
    template: 'soap',
    title: 'SOAP note',
    sections: [
      {
        id: 'subjective',
        title: 'Subjective',
        items: [
          { id: 'old', text: 'Earlier visit reason.', sources: ['s0'], origin: 'model', locked: false },
          { id: 'draft:s1:0', text: 'She has had a dry cough for two weeks.', sources: ['s1'], origin: 'draft', locked: false },
        ],
      },
      { id: 'objective', title: 'Objective', items: [] },
      { id: 'assessment', title: 'Assessment', items: [] },
      { id: 'plan', title: 'Plan', items: [{ id: 'mine', text: 'Honey, fluids and rest.', sources: ['s2'], origin: 'clinician', locked: true }] },
    ],
  };

  it("replaces the window's draft, keeps other windows' items and never touches the clinician's", () => {
    const update = new Map([
      ['subjective', [{ id: 'm1', text: 'Dry cough, 2 weeks.', sources: ['s1'], origin: 'model' as const, locked: false }]],
      ['plan', [{ id: 'm2', text: 'Honey and fluids.', sources: ['s2'], origin: 'model' as const, locked: false }]],
    ]);
    const { note, changed } = mergeModelUpdate(base, new Set(['s1', 's2']), update);
    expect(note.sections[0].items.map((i) => i.id)).to.deep.equal(['old', 'm1']);
    // The clinician wrote the plan from s2: the model's own version of it is not added.
    expect(note.sections[3].items.map((i) => i.text)).to.deep.equal(['Honey, fluids and rest.']);
    expect(changed).to.include.members(['m1', 'draft:s1:0']);
  });

  it('cannot empty the note: an update reaches only its own window', () => {
    const { note } = mergeModelUpdate(base, new Set(['s2']), new Map());
    expect(note.sections[0].items.map((i) => i.id)).to.deep.equal(['old', 'draft:s1:0']);
    expect(note.sections[3].items.map((i) => i.id)).to.deep.equal(['mine']);
  });
});
