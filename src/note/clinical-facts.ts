import { withoutInstructions } from './dictated-instructions.js';
import { FactReader } from './fact-reader.js';
import { normaliseClinicalText } from './spoken-numbers.js';

/**
 * The facts a dictated sentence or a note statement carries: drugs, doses bound to their drug,
 * allergies, vitals with their kind and setting, negations, durations and dates. Grounding checks
 * the note's facts against the transcript's; the merge checks that a model update keeps the
 * transcript's facts. Every fact's `text` reads back as the same fact.
 */

export type VitalKind = 'temperature' | 'blood-pressure' | 'heart-rate' | 'oxygen-saturation' | 'respiratory-rate' | 'weight' | 'glucose';
/** Where a vital was measured, when that was said: the patient's own reading or the clinic's. */
export type VitalSetting = 'home' | 'clinic';

interface FactBase {
  /** The fact as a note would write it: "atorvastatin 40 mg", "no fever", "home temperature 38.9". */
  text: string;
  /** Offset in the prepared text. */
  at: number;
  /** The transcript segment it was said in (transcript readings only). */
  source?: string;
}

export interface DrugFact extends FactBase {
  kind: 'drug';
  drug: string;
}

export interface DoseFact extends FactBase {
  kind: 'dose';
  /** The drug the amount belongs to; null when no drug was said near it. */
  drug: string | null;
  /** The amount as said, in the unit as said. */
  amount: number;
  /** The amount in the base unit: 1 g is 1000 (mg), 500 mcg is 0.5 (mg). */
  base: number;
  /** The base unit: `mg`, `ml`, `unit`, `mmol`, `tablet`, `puff`, `%` … */
  unit: string;
  /** `target`: what a change goes to ("increase to 10 mg"); `previous`: what it comes from. */
  role?: 'target' | 'previous';
}

export interface AllergyFact extends FactBase {
  kind: 'allergy';
  /** Words of the substance ("penicillin", "sulfa"); empty for "no known drug allergies". */
  substance: string[];
  reaction: 'allergy' | 'intolerance';
  /** "not allergic to …". */
  negated: boolean;
}

export interface VitalFact extends FactBase {
  kind: 'vital';
  vital: VitalKind;
  /** °C for temperature, kg for weight, % for saturation; the systolic for blood pressure. */
  value: number;
  /** The diastolic of a blood pressure. */
  second?: number;
  /** Converted from °F or pounds, so equality allows for rounding. */
  converted?: boolean;
  setting?: VitalSetting;
}

export interface NegationFact extends FactBase {
  kind: 'negation';
  /** The content words of what is negated, singular: "no chest pains" → ["chest", "pain"]. */
  words: string[];
}

export interface DurationFact extends FactBase {
  kind: 'duration';
  /** In minutes (minutes to weeks) or months (months and years). */
  value: number;
  scale: 'minutes' | 'months';
}

export interface DateFact extends FactBase {
  kind: 'date';
  /** `month-day[-year]`, a numeric date as said, or a weekday. */
  value: string;
}

export type ClinicalFact = DrugFact | DoseFact | AllergyFact | VitalFact | NegationFact | DurationFact | DateFact;
export type ClinicalFactKind = ClinicalFact['kind'];

export interface FactReading {
  facts: ClinicalFact[];
  /** Numbers no fact accounts for ("type 2", "peak flow 320"), as digits. */
  numbers: string[];
  /** Every drug named, allergies included. */
  drugs: Set<string>;
  /** Every number said, as digits ("152/94" gives 152 and 94). */
  allNumbers: Set<string>;
}

/**
 * Digits, abbreviations and one spelling for everything the comparison must not care about:
 * spoken numbers (spoken-numbers.ts), "152 over 94" as 152/94, "3rd" as 3. A number inside a
 * name ("COVID-19", "IL-6") is joined to it so it does not read as a quantity.
 */
export function prepareClinicalText(text: string): string {
  const named = text
    .replace(/\b(\d{4})-(\d{1,2})-(\d{1,2})\b/g, '$1/$2/$3')
    .replace(/\b([a-z]{2,})-(\d+)\b/gi, '$1$2')
    .replace(/\b(\d+)(?:st|nd|rd|th)\b/gi, '$1');
  return normaliseClinicalText(named).replace(/(\d)\s*(?:\/|\bover\b)\s*(?=\d)/g, '$1/');
}

/** The facts of a statement or a dictated passage. */
export function readClinicalFacts(text: string): FactReading {
  return new FactReader(prepareClinicalText(text)).read();
}

const EXAM_SECTION = /objective|exam|vital/;

const itemReadings = new Map<string, FactReading>();

/**
 * The facts of a note item (the reading is shared: do not change it). An item filed under an
 * examination section ("Objective", "Physical examination") states what was measured in the
 * clinic, so its unqualified vitals are clinic ones.
 */
export function readItemFacts(text: string, sectionId?: string): FactReading {
  const exam = !!sectionId && EXAM_SECTION.test(sectionId);
  const key = `${exam}\u0000${text}`;
  let reading = itemReadings.get(key);
  if (reading) return reading;
  reading = readClinicalFacts(text);
  if (exam) reading.facts = reading.facts.map((fact) => (fact.kind === 'vital' && !fact.setting ? { ...fact, setting: 'clinic' as const, text: `clinic ${fact.text}` } : fact));
  // Every change of the note re-checks every item; most items have not changed.
  if (itemReadings.size > 5000) itemReadings.clear();
  itemReadings.set(key, reading);
  return reading;
}

const segmentReadings = new Map<string, FactReading>();

/**
 * The facts of transcript segments, each with the segment it was said in. A segment is read
 * after the one before it, so an amount binds to a drug named just before ("he takes
 * atorvastatin." "Forty milligrams at night."). Readings are kept per segment: a long visit's
 * transcript is re-read only where it changed.
 */
export function readTranscriptFacts(segments: ReadonlyArray<{ id: string; text: string }>): FactReading {
  const reading: FactReading = { facts: [], numbers: [], drugs: new Set(), allNumbers: new Set() };
  segments.forEach((segment, i) => {
    // What a dictated instruction says ("write that there are no allergies") was not said about the patient.
    const before = i ? withoutInstructions(segments[i - 1].text) : '';
    const text = withoutInstructions(segment.text);
    const key = `${segment.id}\u0000${before}\u0000${text}`;
    let own = segmentReadings.get(key);
    if (!own) {
      const context = before ? `${prepareClinicalText(before)} . ` : '';
      const read = new FactReader(context + prepareClinicalText(text)).read(context.length);
      own = { ...read, facts: read.facts.map((fact) => ({ ...fact, at: fact.at - context.length, source: segment.id })) };
      // A bound on what a session keeps; a visit of several hours has a few thousand segments.
      if (segmentReadings.size > 20_000) segmentReadings.clear();
      segmentReadings.set(key, own);
    }
    reading.facts.push(...own.facts);
    reading.numbers.push(...own.numbers);
    own.drugs.forEach((drug) => reading.drugs.add(drug));
    own.allNumbers.forEach((number) => reading.allNumbers.add(number));
  });
  return reading;
}

// ——— Comparing facts ———

const close = (a: number, b: number, tolerance = 1e-9) => Math.abs(a - b) <= tolerance;
const overlaps = (a: readonly string[], b: readonly string[]) => a.some((w) => b.includes(w));
const settingsAgree = (a: VitalFact, b: VitalFact) => !a.setting || !b.setting || a.setting === b.setting;
const oppositeRoles = (a: DoseFact, b: DoseFact) => !!a.role && !!b.role && a.role !== b.role;

function sameValue(a: VitalFact, b: VitalFact): boolean {
  const tolerance = a.converted || b.converted ? (a.vital === 'weight' ? 0.5 : 0.1) : 1e-9;
  return close(a.value, b.value, tolerance) && (a.second === undefined || b.second === undefined ? a.second === b.second : close(a.second, b.second));
}

/** Whether `b` states `a`: the same drug, the same amount after unit conversion, the same vital value and setting … */
export function statesFact(b: ClinicalFact, a: ClinicalFact): boolean {
  switch (a.kind) {
    case 'drug':
      return (b.kind === 'drug' || b.kind === 'dose') && b.drug === a.drug;
    case 'dose':
      return b.kind === 'dose' && b.drug === a.drug && b.unit === a.unit && close(a.base, b.base) && !oppositeRoles(a, b);
    case 'allergy':
      return b.kind === 'allergy' && b.reaction === a.reaction && b.negated === a.negated && (a.substance.length ? overlaps(a.substance, b.substance) : !b.substance.length);
    case 'vital':
      return b.kind === 'vital' && b.vital === a.vital && sameValue(a, b) && settingsAgree(a, b);
    case 'negation':
      return b.kind === 'negation' && overlaps(a.words, b.words);
    case 'duration':
      return b.kind === 'duration' && b.scale === a.scale && close(a.value, b.value);
    case 'date':
      return b.kind === 'date' && b.value === a.value;
  }
}

/** Whether `b` says something else about what `a` is about: another dose of the drug, another value of the vital, the allergy reversed. */
export function contradictsFact(b: ClinicalFact, a: ClinicalFact): boolean {
  if (statesFact(b, a)) return false;
  if (a.kind === 'dose') return b.kind === 'dose' && !!a.drug && b.drug === a.drug;
  if (a.kind === 'vital') return b.kind === 'vital' && b.vital === a.vital;
  if (a.kind === 'allergy') return b.kind === 'allergy' && (a.substance.length && b.substance.length ? overlaps(a.substance, b.substance) : a.substance.length + b.substance.length > 0 && !b.negated);
  return false;
}
