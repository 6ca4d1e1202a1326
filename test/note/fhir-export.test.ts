import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { emptyNote } from '../../src/note/draft-structurer.js';
import { noteToFhirBundle, noteToMarkdown, noteToPlainText } from '../../src/note/note-export.js';
import type { ClinicalNote, NoteOmission } from '../../src/note/note-types.js';
import { HISTORY_AND_PHYSICAL_TEMPLATE, SOAP_TEMPLATE } from '../../src/note/templates.js';

interface Validation {
  valid: boolean;
  errors: string[];
}
const validate = (resource: unknown) => executeServerCommand<Validation, unknown>('fhir-validate', resource);

const note: ClinicalNote = {
  ...emptyNote(SOAP_TEMPLATE),
  sections: emptyNote(SOAP_TEMPLATE).sections.map((s) =>
    s.id === 'subjective'
      ? { ...s, items: [{ id: 'a', text: 'Cough <script>alert(1)</script> & “fever” for 3 days.', sources: ['s1'], origin: 'model', locked: false }, { id: 'gone', text: 'Removed.', sources: [], origin: 'clinician', locked: true, deleted: true }] }
      : s.id === 'plan'
        ? { ...s, items: [{ id: 'b', text: 'Amoxicillin 500 mg three times daily.', sources: ['s2'], origin: 'clinician', locked: true }] }
        : s,
  ),
};

describe('FHIR R4 export', () => {
  it('is a document Bundle with a Composition and a DocumentReference that the official R4 schema accepts', async () => {
    const bundle = noteToFhirBundle(note, { template: SOAP_TEMPLATE, subject: { reference: 'Patient/123' }, author: { reference: 'Practitioner/7', display: 'Dr. Rivera' } }) as {
      entry: Array<{ resource: Record<string, unknown> }>;
    };
    const result = await validate(bundle);
    expect(result.errors).to.deep.equal([]);
    expect(result.valid).to.equal(true);
    const [composition, documentReference] = bundle.entry.map((e) => e.resource);
    expect(composition.resourceType).to.equal('Composition');
    expect(documentReference.resourceType).to.equal('DocumentReference');
    const sections = composition.section as Array<{ title: string; text: { div: string }; emptyReason?: unknown }>;
    expect(sections.map((s) => s.title)).to.deep.equal(['Subjective', 'Objective', 'Assessment', 'Plan']);
    // Dictated markup is text in the narrative, never markup; removed items are not exported.
    expect(sections[0].text.div).to.include('&lt;script&gt;').and.not.include('<script>').and.not.include('Removed');
    expect(sections[1].emptyReason).to.exist;
    const attachment = (documentReference.content as Array<{ attachment: { data: string } }>)[0].attachment;
    const markdown = new TextDecoder().decode(Uint8Array.from(atob(attachment.data), (c) => c.charCodeAt(0)));
    expect(markdown).to.equal(noteToMarkdown(note));
    expect((await validate(composition)).valid).to.equal(true);
  });

  it('fails validation when a required field is missing (the check can fail)', async () => {
    const bundle = noteToFhirBundle(note) as { entry: Array<{ resource: Record<string, unknown> }> };
    const composition: Record<string, unknown> = { ...bundle.entry[0].resource, status: 'draft-ish' };
    delete composition.author;
    const result = await validate(composition);
    expect(result.valid).to.equal(false);
    expect(result.errors.join('\n')).to.match(/author|status/);
  });

  it('exports an empty History & Physical note validly', async () => {
    const result = await validate(noteToFhirBundle(emptyNote(HISTORY_AND_PHYSICAL_TEMPLATE), { template: HISTORY_AND_PHYSICAL_TEMPLATE, status: 'final' }));
    expect(result.errors).to.deep.equal([]);
  });

  it('names in the omission extension the transcript sentences the omitted fact was said in', async () => {
    const omission: NoteOmission = { fact: 'atorvastatin 40 mg', kind: 'drug', sources: ['s2'], sentences: ['s2#0', 's2#1'], change: 'dropped', itemId: 'b' };
    const reviewed: ClinicalNote = { ...note, review: { flags: [], omissions: [omission] } };
    const composition = (noteToFhirBundle(reviewed) as { entry: Array<{ resource: { extension: Array<{ url: string; extension: Array<{ url: string; valueString?: string }> }> } }> }).entry[0].resource;
    expect((await validate(composition)).errors).to.deep.equal([]);
    const [extension] = composition.extension;
    expect(extension.url).to.equal('https://slm-elements.dev/fhir/StructureDefinition/omission');
    expect(extension.extension.filter((part) => part.url === 'sentence').map((part) => part.valueString)).to.deep.equal(['s2#0', 's2#1']);
  });

  it('writes Markdown and plain text with every section', () => {
    expect(noteToMarkdown(note)).to.match(/^# SOAP note\n\n## Subjective\n\n- Cough/);
    expect(noteToMarkdown(note)).to.include('## Objective\n\n_Nothing recorded._');
    expect(noteToPlainText(note)).to.include('PLAN\n- Amoxicillin 500 mg three times daily.');
    expect(noteToPlainText(note)).to.not.include('Removed.');
  });
});
