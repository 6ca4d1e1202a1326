import type { ClinicalNote, NoteTemplate } from './note-types.js';

const visible = (note: ClinicalNote) => note.sections.map((s) => ({ ...s, items: s.items.filter((i) => !i.deleted && i.text.trim()) }));

export function noteToMarkdown(note: ClinicalNote): string {
  const lines = [`# ${note.title}`, ''];
  for (const section of visible(note)) {
    lines.push(`## ${section.title}`, '');
    lines.push(...(section.items.length ? section.items.map((i) => `- ${i.text.replace(/\n+/g, ' ')}`) : ['_Nothing recorded._']), '');
  }
  return lines.join('\n');
}

export function noteToPlainText(note: ClinicalNote): string {
  return visible(note)
    .map((section) => [section.title.toUpperCase(), ...(section.items.length ? section.items.map((i) => `- ${i.text.replace(/\n+/g, ' ')}`) : ['(nothing recorded)'])].join('\n'))
    .join('\n\n');
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`);

/** The sections as XHTML, every dictated character escaped: FHIR narrative and the print view share it. */
function sectionHtml(section: { title: string; items: Array<{ text: string }> }, heading: 'h2' | null): string {
  const list = section.items.length ? `<ul>${section.items.map((i) => `<li>${escapeHtml(i.text)}</li>`).join('')}</ul>` : '<p>Nothing recorded.</p>';
  return heading ? `<${heading}>${escapeHtml(section.title)}</${heading}>${list}` : list;
}

export function noteToHtml(note: ClinicalNote): string {
  return `<h1>${escapeHtml(note.title)}</h1>${visible(note)
    .map((s) => sectionHtml(s, 'h2'))
    .join('')}`;
}

export interface FhirExportOptions {
  /** `Composition.status`: a note still being dictated is `preliminary`. */
  status?: 'preliminary' | 'final' | 'amended';
  /** Who wrote it; FHIR requires an author. Default: a display-only reference. */
  author?: { reference?: string; display?: string };
  /** The patient, as a FHIR reference. */
  subject?: { reference?: string; display?: string };
  /** Default: now. */
  date?: Date;
  template?: NoteTemplate;
}

const base64Utf8 = (text: string) => {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
};

/**
 * FHIR R4: a document `Bundle` whose first entry is the `Composition` (one section per note
 * section, narrative generated from the items) followed by a `DocumentReference` carrying
 * the note as Markdown, so systems that only file documents can take it as well.
 */
export function noteToFhirBundle(note: ClinicalNote, options: FhirExportOptions = {}): object {
  const date = (options.date ?? new Date()).toISOString();
  const compositionId = crypto.randomUUID();
  const documentId = crypto.randomUUID();
  const loinc = options.template?.loinc;
  const type = loinc ? { coding: [{ system: 'http://loinc.org', code: loinc.code, display: loinc.display }], text: note.title } : { text: note.title };
  const author = [options.author ?? { display: 'Clinician (dictated with slm-elements)' }];
  const subject = options.subject ? { subject: options.subject } : {};
  const composition = {
    resourceType: 'Composition',
    id: compositionId,
    status: options.status ?? 'preliminary',
    type,
    ...subject,
    date,
    author,
    title: note.title,
    section: visible(note).map((section) => ({
      title: section.title,
      text: { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">${sectionHtml(section, null)}</div>` },
      ...(section.items.length
        ? {}
        : { emptyReason: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/list-empty-reason', code: 'unavailable', display: 'Unavailable' }] } }),
    })),
  };
  const documentReference = {
    resourceType: 'DocumentReference',
    id: documentId,
    status: 'current',
    docStatus: options.status === 'final' ? 'final' : 'preliminary',
    type,
    ...subject,
    date,
    author,
    description: note.title,
    content: [{ attachment: { contentType: 'text/markdown; charset=utf-8', language: 'en', data: base64Utf8(noteToMarkdown(note)), title: note.title, creation: date } }],
  };
  return {
    resourceType: 'Bundle',
    type: 'document',
    identifier: { system: 'urn:ietf:rfc:3986', value: `urn:uuid:${crypto.randomUUID()}` },
    timestamp: date,
    entry: [
      { fullUrl: `urn:uuid:${compositionId}`, resource: composition },
      { fullUrl: `urn:uuid:${documentId}`, resource: documentReference },
    ],
  };
}
