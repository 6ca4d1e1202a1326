import { escapeXml, exportLine, fhirString, markdownText } from './export-text.js';
import type { ClinicalNote, GroundingFlag, NoteOmission, NoteTemplate } from './note-types.js';

/** What a receiving system must see beside the note: listed under "Review before signing". Without them, the note's own `review`. */
export interface NoteExportOptions {
  /** Terms of the note the transcript does not contain (`NoteChangeDetail.flags`). */
  flags?: GroundingFlag[];
  /** Facts of the transcript a model update would have dropped or changed (`NoteChangeDetail.omissions`). */
  omissions?: NoteOmission[];
}

/** Written before an item that addresses the note-taker: it is dictated data, never obeyed. */
export const INSTRUCTION_MARK = '[Dictated instruction — not applied]';
/** The title of the final section that lists flags and omissions. */
export const REVIEW_TITLE = 'Review before signing';
/** Base of the URLs of this library's FHIR extensions and codes. */
export const FHIR_BASE = 'https://slm-elements.dev/fhir';

/** An item as every format exports it: sanitised, on one line, never empty. */
interface ExportItem {
  id: string;
  text: string;
  instruction: boolean;
}
interface ExportSection {
  id: string;
  title: string;
  items: ExportItem[];
}

/** The sections with their visible items, every string through the one sanitising step. */
function visible(note: ClinicalNote): ExportSection[] {
  return note.sections.map((section) => ({
    id: section.id,
    title: exportLine(section.title) || section.id,
    items: section.items.filter((i) => !i.deleted).map((i) => ({ id: i.id, text: exportLine(i.text), instruction: !!i.instruction })).filter((i) => i.text),
  }));
}

const titleOf = (note: ClinicalNote) => exportLine(note.title) || 'Clinical note';

/** One line of the review section, and the data a FHIR extension carries for it. */
type ReviewEntry =
  | { type: 'flag'; flag: GroundingFlag; term: string; section: string; statement: string }
  | { type: 'omission'; omission: NoteOmission; fact: string; replacement?: string; section?: string; statement?: string };

/** The flags and omissions given, or else those the note carries (`ClinicalNote.review`). */
const reviewOf = (note: ClinicalNote, options: NoteExportOptions): NoteExportOptions => ({ flags: options.flags ?? note.review?.flags, omissions: options.omissions ?? note.review?.omissions });

/** Flags on items still in the note, then omissions, each with the statement it is about. */
function reviewEntries(sections: ExportSection[], options: NoteExportOptions): ReviewEntry[] {
  const where = new Map(sections.flatMap((s) => s.items.map((i) => [i.id, { section: s.title, statement: i.text }] as const)));
  const flags = (options.flags ?? []).flatMap((flag): ReviewEntry[] => {
    const at = where.get(flag.itemId);
    const term = exportLine(flag.term);
    // A flag on an item the clinician removed is about nothing the export holds.
    return at && term ? [{ type: 'flag', flag, term, ...at }] : [];
  });
  const omissions = (options.omissions ?? []).flatMap((omission): ReviewEntry[] => {
    const fact = exportLine(omission.fact);
    const replacement = omission.replacement === undefined ? undefined : exportLine(omission.replacement) || undefined;
    return fact ? [{ type: 'omission', omission, fact, replacement, ...(omission.itemId ? where.get(omission.itemId) : undefined) }] : [];
  });
  return [...flags, ...omissions];
}

/** The entry as one plain-text sentence; each format escapes it for itself. */
function reviewLine(entry: ReviewEntry): string {
  if (entry.type === 'flag') return `Not said in the dictation: "${entry.term}" (${entry.flag.kind}), in ${entry.section}: "${entry.statement}"`;
  const change = entry.omission.change === 'changed' ? `A model update would have changed "${entry.fact}" (${entry.omission.kind})${entry.replacement ? ` to "${entry.replacement}"` : ''}` : `A model update would have dropped "${entry.fact}" (${entry.omission.kind})`;
  return entry.statement ? `${change}; kept in ${entry.section}: "${entry.statement}"` : change;
}

export function noteToMarkdown(note: ClinicalNote, options: NoteExportOptions = {}): string {
  const sections = visible(note);
  const item = (i: ExportItem) => `- ${i.instruction ? `*${markdownText(INSTRUCTION_MARK)}* ` : ''}${markdownText(i.text)}`;
  const lines = [`# ${markdownText(titleOf(note))}`, ''];
  for (const section of sections) {
    lines.push(`## ${markdownText(section.title)}`, '');
    lines.push(...(section.items.length ? section.items.map(item) : ['_Nothing recorded._']), '');
  }
  const review = reviewEntries(sections, reviewOf(note, options));
  if (review.length) lines.push(`## ${REVIEW_TITLE}`, '', ...review.map((e) => `- ${markdownText(reviewLine(e))}`), '');
  return lines.join('\n');
}

export function noteToPlainText(note: ClinicalNote, options: NoteExportOptions = {}): string {
  const sections = visible(note);
  const item = (i: ExportItem) => `- ${i.instruction ? `${INSTRUCTION_MARK} ` : ''}${i.text}`;
  const blocks = sections.map((section) => [section.title.toUpperCase(), ...(section.items.length ? section.items.map(item) : ['(nothing recorded)'])].join('\n'));
  const review = reviewEntries(sections, reviewOf(note, options));
  if (review.length) blocks.push([REVIEW_TITLE.toUpperCase(), ...review.map((e) => `- ${reviewLine(e)}`)].join('\n'));
  return blocks.join('\n\n');
}

const itemHtml = (i: ExportItem) => `<li>${i.instruction ? `<em>${escapeXml(INSTRUCTION_MARK)}</em> ` : ''}${escapeXml(i.text)}</li>`;
const reviewHtml = (review: ReviewEntry[]) => `<ul>${review.map((e) => `<li>${escapeXml(reviewLine(e))}</li>`).join('')}</ul>`;

/** A section as XHTML, every dictated character escaped: FHIR narrative and the print view share it. */
function sectionHtml(section: ExportSection, heading: 'h2' | null): string {
  const list = section.items.length ? `<ul>${section.items.map(itemHtml).join('')}</ul>` : '<p>Nothing recorded.</p>';
  return heading ? `<${heading}>${escapeXml(section.title)}</${heading}>${list}` : list;
}

/** The note as HTML that is also well-formed XHTML (the print view). */
export function noteToHtml(note: ClinicalNote, options: NoteExportOptions = {}): string {
  const sections = visible(note);
  const review = reviewEntries(sections, reviewOf(note, options));
  return `<h1>${escapeXml(titleOf(note))}</h1>${sections.map((s) => sectionHtml(s, 'h2')).join('')}${review.length ? `<h2>${REVIEW_TITLE}</h2>${reviewHtml(review)}` : ''}`;
}

export interface FhirExportOptions extends NoteExportOptions {
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

const narrative = (xhtml: string) => ({ status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">${xhtml}</div>` });
// Entries hold exportLine()'d text, never empty; fhirString also turns other whitespace into spaces.
const stringPart = (url: string, value: string | undefined) => (value ? [{ url, valueString: fhirString(value, value) }] : []);

/**
 * A flag or omission as a complex extension (sub-extensions named by their relative `url`, as
 * FHIR's own complex extensions are), so a receiving system can act on it without reading the
 * narrative; the "Review before signing" section says the same to a reader.
 */
function reviewExtension(entry: ReviewEntry): object {
  if (entry.type === 'flag') {
    return {
      url: `${FHIR_BASE}/StructureDefinition/grounding-flag`,
      extension: [...stringPart('term', entry.term), { url: 'kind', valueCode: entry.flag.kind }, ...stringPart('section', entry.section), ...stringPart('statement', entry.statement)],
    };
  }
  return {
    url: `${FHIR_BASE}/StructureDefinition/omission`,
    extension: [
      ...stringPart('fact', entry.fact),
      { url: 'kind', valueCode: entry.omission.kind },
      { url: 'change', valueCode: entry.omission.change },
      ...stringPart('replacement', entry.replacement),
      ...stringPart('section', entry.section),
      ...stringPart('statement', entry.statement),
      // The sentences it was said in (`<segment id>#<n>`), as the note's items cite them: a receiving
      // system that keeps the transcript can show the words themselves.
      ...(entry.omission.sentences ?? []).flatMap((id) => stringPart('sentence', exportLine(id))),
    ],
  };
}

/**
 * FHIR R4: a document `Bundle` whose first entry is the `Composition` (one section per note
 * section, narrative generated from the items) followed by a `DocumentReference` carrying
 * the note as Markdown, so systems that only file documents can take it as well. Flags and
 * omissions, when given, are a last section "Review before signing" (coded
 * `https://slm-elements.dev/fhir/CodeSystem/note-section#review-before-signing`) and one
 * `Composition.extension` each (`…/StructureDefinition/grounding-flag`, `…/omission`, the
 * latter with one `sentence` per transcript sentence it was said in); the Markdown carries the
 * same section.
 */
export function noteToFhirBundle(note: ClinicalNote, options: FhirExportOptions = {}): object {
  const date = (options.date ?? new Date()).toISOString();
  const compositionId = crypto.randomUUID();
  const documentId = crypto.randomUUID();
  const title = fhirString(note.title, 'Clinical note');
  const sections = visible(note);
  const review = reviewEntries(sections, reviewOf(note, options));
  const loinc = options.template?.loinc;
  const type = loinc ? { coding: [{ system: 'http://loinc.org', code: loinc.code, display: loinc.display }], text: title } : { text: title };
  const author = [options.author ?? { display: 'Clinician (dictated with slm-elements)' }];
  const subject = options.subject ? { subject: options.subject } : {};
  const composition = {
    resourceType: 'Composition',
    id: compositionId,
    ...(review.length ? { extension: review.map(reviewExtension) } : {}),
    status: options.status ?? 'preliminary',
    type,
    ...subject,
    date,
    author,
    title,
    section: [
      ...sections.map((section) => ({
        title: fhirString(section.title, section.id),
        text: narrative(sectionHtml(section, null)),
        ...(section.items.length
          ? {}
          : { emptyReason: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/list-empty-reason', code: 'unavailable', display: 'Unavailable' }] } }),
      })),
      ...(review.length
        ? [
            {
              title: REVIEW_TITLE,
              code: { coding: [{ system: `${FHIR_BASE}/CodeSystem/note-section`, code: 'review-before-signing', display: REVIEW_TITLE }] },
              text: narrative(reviewHtml(review)),
            },
          ]
        : []),
    ],
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
    description: title,
    content: [{ attachment: { contentType: 'text/markdown; charset=utf-8', language: 'en', data: base64Utf8(noteToMarkdown(note, options)), title, creation: date } }],
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
