import { readClinicalFacts, readItemFacts, readTranscriptFacts, statesFact, type ClinicalFact, type DoseFact, type FactReading } from './clinical-facts.js';
import type { ClinicalNote, GroundingFlag } from './note-types.js';
import { sentencesOf, transcriptSentences } from './sentences.js';

export interface GroundingTerm {
  term: string;
  kind: GroundingFlag['kind'];
}

/** What a statement asserts: drugs, doses bound to their drug, vitals, allergies, negations, durations, dates, and any other number. */
export function groundingTerms(text: string): GroundingTerm[] {
  const { facts, numbers } = readClinicalFacts(text);
  return [...facts.map((fact) => ({ term: fact.text, kind: fact.kind })), ...numbers.map((term) => ({ term, kind: 'number' as const }))];
}

type SegmentText = { id: string; text: string };

/**
 * What was said, read once into facts so each statement's check is a lookup. A statement is
 * checked first against the segments it cites: when they speak of the same drug's dose or the
 * same vital, the statement must agree with them; otherwise any part of the transcript will do.
 */
export class TranscriptEvidence {
  private readonly reading: FactReading;
  /** The facts by what they are about: "dose:atorvastatin", "vital:temperature", "negation". */
  private readonly about = new Map<string, ClinicalFact[]>();

  constructor(transcript: string | readonly SegmentText[]) {
    this.reading = readTranscriptFacts(typeof transcript === 'string' ? [{ id: '', text: transcript }] : transcript);
    for (const fact of this.reading.facts) {
      for (const key of [fact.kind, fact.kind === 'dose' ? `dose:${fact.drug ?? ''}` : fact.kind === 'vital' ? `vital:${fact.vital}` : '']) {
        if (!key) continue;
        if (!this.about.has(key)) this.about.set(key, []);
        this.about.get(key)!.push(fact);
      }
    }
  }

  /** `true` when the transcript says it; `'unit'` when the amount was said for the drug in another unit (the dangerous kind). */
  supports(fact: ClinicalFact, sources: readonly string[] = []): boolean | 'unit' {
    switch (fact.kind) {
      case 'drug':
        return this.reading.drugs.has(fact.drug);
      case 'dose':
        return this.supportsDose(fact, sources);
      case 'vital':
        return this.cited(sources, `vital:${fact.vital}`).some((said) => statesFact(said, fact));
      default:
        return (this.about.get(fact.kind) ?? []).some((said) => statesFact(said, fact));
    }
  }

  /** A number no fact accounts for must simply have been said. */
  supportsNumber(number: string): boolean {
    return this.reading.allNumbers.has(number);
  }

  private supportsDose(fact: DoseFact, sources: readonly string[]): boolean | 'unit' {
    let pool = this.cited(sources, fact.drug ? `dose:${fact.drug}` : 'dose');
    // A drug whose amount was said apart from its name ("he takes atorvastatin … forty milligrams at night").
    if (!pool.length && fact.drug) pool = (this.about.get('dose:') ?? []).filter((said) => !sources.length || sources.includes(said.source ?? ''));
    const doses = pool as DoseFact[];
    // "Increase to 5 mg" must match where the change was said to go, not any amount of the drug.
    const targets = doses.filter((said) => said.role === 'target');
    const candidates = fact.role === 'target' && targets.length ? targets : doses;
    if (candidates.some((said) => statesFact(said, { ...fact, drug: said.drug }))) return true;
    return candidates.some((said) => said.amount === fact.amount && (said.unit !== fact.unit || said.base !== fact.base)) ? 'unit' : false;
  }

  /** The facts about `key` of the cited segments, when there are any; otherwise those of the whole transcript. */
  private cited(sources: readonly string[], key: string): ClinicalFact[] {
    const all = this.about.get(key) ?? [];
    const local = all.filter((fact) => fact.source !== undefined && sources.includes(fact.source));
    return local.length ? local : all;
  }
}

interface Evidence {
  evidence: TranscriptEvidence;
  /** Each segment's sentence ids, for items that cite whole segments. */
  bySegment: Map<string, string[]>;
}
let cache: ({ key: string } & Evidence) | undefined;

/**
 * The evidence of a transcript, read sentence by sentence, kept while the transcript is
 * unchanged (a clinician's keystroke re-checks the note).
 */
function evidenceOf(transcript: string | readonly SegmentText[]): Evidence {
  const key = typeof transcript === 'string' ? transcript : transcript.map((s) => `${s.id}\u0000${s.text}`).join('\u0001');
  if (cache?.key !== key) {
    const sentences = typeof transcript === 'string' ? [] : transcriptSentences(transcript);
    const bySegment = new Map<string, string[]>();
    for (const sentence of sentences) bySegment.set(sentence.segmentId, [...(bySegment.get(sentence.segmentId) ?? []), sentence.id]);
    cache = { key, evidence: new TranscriptEvidence(typeof transcript === 'string' ? transcript : sentences), bySegment };
  }
  return cache;
}

/**
 * The grounding guard: every fact of a statement the model wrote must have been said. A dose
 * is grounded only by the same drug with the same amount (1 g is 1000 mg); a vital only by the
 * same kind with the same value, and the same setting where home or clinic was said; a negation
 * or an allergy only as said. Any other number must appear in the transcript. The clinician's
 * own items are authoritative and not checked. `transcript` is best given as its segments, so
 * a statement is checked against the sentences it cites (all of a segment's, for an item that
 * cites only segments).
 */
export function checkGrounding(note: ClinicalNote, transcript: string | readonly SegmentText[]): GroundingFlag[] {
  const { evidence, bySegment } = evidenceOf(transcript);
  const flags: GroundingFlag[] = [];
  for (const section of note.sections) {
    for (const item of section.items) {
      // A dictated instruction is kept as said and never applied: what it asks for is not a claim of the note.
      if (item.origin === 'clinician' || item.deleted || item.instruction) continue;
      const { facts, numbers } = readItemFacts(item.text, section.id);
      const flagged: GroundingFlag[] = [];
      for (const fact of facts) {
        const supported = evidence.supports(fact, sentencesOf(item, bySegment));
        if (supported === true) continue;
        flagged.push({ itemId: item.id, sectionId: section.id, term: fact.text, kind: supported === 'unit' ? 'unit' : fact.kind });
      }
      for (const number of numbers) if (!evidence.supportsNumber(number)) flagged.push({ itemId: item.id, sectionId: section.id, term: number, kind: 'number' });
      // A drug never said is named once, by its dose where it has one.
      const flaggedDoses = facts.filter((f): f is DoseFact => f.kind === 'dose' && flagged.some((g) => g.term === f.text));
      flags.push(...flagged.filter((flag) => !(flag.kind === 'drug' && flaggedDoses.some((dose) => dose.drug === flag.term))));
    }
  }
  return flags;
}
