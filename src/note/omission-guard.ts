import { contradictsFact, prepareClinicalText, readItemFacts, readTranscriptFacts, statesFact, type ClinicalFact } from './clinical-facts.js';
import { findingWord } from './fact-reader.js';
import type { NoteItem, NoteOmission } from './note-types.js';
import { segmentOfSentence, transcriptSentences } from './sentences.js';

/** An item with the section it sits in (or would enter). */
export interface PlacedItem {
  item: NoteItem;
  sectionId: string;
}

export interface OmissionCheck {
  /** The items the update would replace. */
  replaced: PlacedItem[];
  /** The update's items that would enter the note. */
  incoming: PlacedItem[];
  /** Every other item of the note, removed ones included. */
  others: PlacedItem[];
  /** The transcript segments of the update's window. Without them, the replaced items' own facts are what must survive. */
  segments?: ReadonlyArray<{ id: string; text: string }>;
}

export interface OmissionVerdict {
  /** Ids of replaced items that must stay: each carries a fact the update drops or changes. */
  keep: Set<string>;
  omissions: NoteOmission[];
}

interface ReadItem extends PlacedItem {
  facts: ClinicalFact[];
}

const read = (placed: PlacedItem): ReadItem => ({ ...placed, facts: readItemFacts(placed.item.text, placed.sectionId).facts });

/** Whether an item cites a sentence (a segment id: any sentence of it; an item saved before sentence ids: by its segments). */
const cites = (item: NoteItem, id: string) =>
  item.sentences?.length ? item.sentences.some((s) => s === id || segmentOfSentence(s) === id) : item.sources.includes(segmentOfSentence(id));

/**
 * Whether an item's facts carry a fact of the transcript. A dose whose drug was named in an
 * earlier sentence is carried by the bare amount in an item citing the same sentence.
 */
function carries(item: ReadItem, fact: ClinicalFact, source?: string): boolean {
  return item.facts.some(
    (own) => statesFact(own, fact) || (fact.kind === 'dose' && own.kind === 'dose' && !own.drug && !!source && cites(item.item, source) && statesFact({ ...own, drug: fact.drug }, fact)),
  );
}

const wordsOf = (text: string) => (prepareClinicalText(text).match(/[a-z][a-z0-9']*/g) ?? []).map(findingWord);

/**
 * The omission guard: a model update may reword, regroup and condense, but every fact of what
 * was said in its window (a drug, a dose bound to its drug, an allergy, a vital, a negation, a
 * duration, a date) must survive in the note it leaves. Where the update drops or changes one,
 * the statement that carried it is kept and the omission reported: never a silent loss.
 * Sentences a clinician's item cites are the clinician's: what they wrote there stands.
 */
export function guardOmissions({ replaced, incoming, others, segments }: OmissionCheck): OmissionVerdict {
  const replacedRead = replaced.map(read);
  const incomingRead = incoming.map(read);
  const staying = others.filter((p) => !p.item.deleted).map(read);
  const after = [...incomingRead, ...staying];

  const required: Array<{ fact: ClinicalFact; sources: string[]; carrier?: NoteItem }> = [];
  if (segments) {
    const clinicians = others.filter((p) => p.item.locked || p.item.origin === 'clinician').map((p) => p.item);
    // Read sentence by sentence: each fact is owed by the statements citing the sentence it was said in.
    for (const fact of readTranscriptFacts(transcriptSentences(segments)).facts) {
      const source = fact.source ?? '';
      if (clinicians.some((item) => cites(item, source))) continue;
      // The dictation's own words first: a draft item is the sentence as said.
      const carriers = replacedRead.filter((r) => cites(r.item, source) && carries(r, fact, source));
      const carrier = carriers.find((r) => r.item.origin === 'draft') ?? carriers[0];
      // Not in the items the update replaces: either another item has it, or it was lost before this update.
      if (!carrier && staying.some((a) => carries(a, fact, source))) continue;
      required.push({ fact, sources: [source], carrier: carrier?.item });
    }
  } else {
    for (const r of replacedRead) for (const fact of r.facts) required.push({ fact, sources: r.item.sentences?.length ? r.item.sentences : r.item.sources, carrier: r.item });
  }

  const keep = new Set<string>();
  const omissions: NoteOmission[] = [];
  for (const { fact, sources, carrier } of required) {
    if (after.some((a) => carries(a, fact, sources[0]))) continue;
    // Only a statement citing the same sentence changed it: "increase candesartan to 8 mg" said later does not.
    const near = incomingRead.filter((a) => sources.some((s) => cites(a.item, s)));
    const replacement =
      fact.kind === 'negation'
        ? near.find((a) => wordsOf(a.item.text).some((w) => fact.words.includes(w)))
        : near.find((a) => a.facts.some((own) => contradictsFact(own, fact)));
    const segmentsSaid = [...new Set(sources.map(segmentOfSentence))];
    const said = sources.some((s) => s !== segmentOfSentence(s)) ? { sources: segmentsSaid, sentences: sources } : { sources };
    const omission: NoteOmission = { fact: fact.text, kind: fact.kind, ...said, change: replacement ? 'changed' : 'dropped', ...(replacement ? { replacement: replacement.item.text } : {}), ...(carrier ? { itemId: carrier.id } : {}) };
    if (omissions.some((o) => o.fact === omission.fact && o.itemId === omission.itemId)) continue;
    if (carrier) keep.add(carrier.id);
    omissions.push(omission);
  }
  // A drug whose dose is reported is not reported again on its own.
  const withDose = omissions.filter((o) => o.kind === 'dose');
  return { keep, omissions: omissions.filter((o) => !(o.kind === 'drug' && withDose.some((d) => d.itemId === o.itemId && d.fact.startsWith(`${o.fact} `)))) };
}
