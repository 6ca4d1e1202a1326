// The latency bench's dictation: many utterances of varied length with known silences between
// them, synthesised once into bench-data/ (ignored) with espeak-ng and sox, and a JSON file with
// where each utterance starts and ends, to the sample. Usage: ensureLatencyDictation().
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { requireCommands } from './bench-requirements.mjs';

export const LATENCY_DICTATION = 'bench-data/latency-dictation.wav';

/** Short and long, as a clinician dictates: a word or two, a clause, a whole finding. */
const UTTERANCES = [
  'No fever.',
  'Patient reports a dry cough for three days.',
  'Blood pressure one thirty over eighty five.',
  'Lungs clear on both sides, no wheeze, no crackles, normal effort.',
  'Allergic to penicillin.',
  'Mild shortness of breath when climbing stairs, better at rest.',
  'Heart rate seventy two, regular.',
  'Takes metformin five hundred milligrams twice a day.',
  'Denies chest pain.',
  'Abdomen soft, non tender, bowel sounds present in all four quadrants.',
  'Plan: chest x-ray.',
  'Start amoxicillin if the culture comes back positive.',
  'Follow up in one week.',
  'Swelling of the left ankle since Tuesday, worse in the evening, no injury.',
  'Oxygen saturation ninety seven percent on room air.',
  'Smoker, ten cigarettes a day.',
  'Advised to stop smoking and offered nicotine replacement.',
  'Temperature thirty seven point two.',
  'Review the blood results with the patient on Friday morning.',
  'Okay.',
];
/** Seconds of silence after each utterance: pauses as long as a clinician's between sentences, cycled. */
const SILENCES = [2.5, 3.0, 2.0, 3.5];
const LEAD = 1.0;
const RATE = 16_000;

/** Makes the WAV and its JSON unless both are there; returns the JSON's path. */
export function ensureLatencyDictation() {
  const json = LATENCY_DICTATION.replace(/\.wav$/, '.json');
  if (existsSync(LATENCY_DICTATION) && existsSync(json)) return json;
  requireCommands(['espeak-ng', 'sox', 'soxi'], 'The latency bench synthesises its dictation', 'espeak-ng sox');
  console.log(`synthesising ${UTTERANCES.length} utterances into ${LATENCY_DICTATION} (once)…`);
  mkdirSync(path.dirname(LATENCY_DICTATION), { recursive: true });
  const work = mkdtempSync(path.join(os.tmpdir(), 'latency-dictation-'));
  try {
    // Lengths in seconds: sox reads a sample count for `-n` at its own default rate, not the output's.
    const silence = (samples, file) => execFileSync('sox', ['-n', '-r', String(RATE), '-c', '1', '-b', '16', file, 'trim', '0', String(samples / RATE)]);
    const parts = [];
    // Positions counted in samples, so the JSON is exact whatever soxi rounds.
    let at = Math.round(LEAD * RATE);
    silence(at, `${work}/lead.wav`);
    parts.push(`${work}/lead.wav`);
    const segments = UTTERANCES.map((text, i) => {
      execFileSync('espeak-ng', ['-v', 'en-us', '-s', '150', '-w', `${work}/raw${i}.wav`, text]);
      // Trim espeak's own leading and trailing silence, so the timings are the speech's.
      execFileSync('sox', [`${work}/raw${i}.wav`, '-r', String(RATE), '-c', '1', '-b', '16', `${work}/u${i}.wav`, 'silence', '1', '0.02', '0.5%', 'reverse', 'silence', '1', '0.02', '0.5%', 'reverse']);
      const samples = Number(execFileSync('soxi', ['-s', `${work}/u${i}.wav`]).toString().trim());
      const gap = Math.round(SILENCES[i % SILENCES.length] * RATE);
      silence(gap, `${work}/s${i}.wav`);
      parts.push(`${work}/u${i}.wav`, `${work}/s${i}.wav`);
      const segment = { text, start: at / RATE, end: (at + samples) / RATE };
      at += samples + gap;
      return segment;
    });
    // A quiet room's hiss under it all, as under any real microphone.
    execFileSync('sox', [...parts, `${work}/speech.wav`]);
    execFileSync('sox', ['-n', '-r', String(RATE), '-c', '1', '-b', '16', `${work}/hiss.wav`, 'synth', String(at / RATE), 'whitenoise', 'vol', '0.002']);
    execFileSync('sox', ['-m', '-v', '1', `${work}/speech.wav`, '-v', '1', `${work}/hiss.wav`, LATENCY_DICTATION]);
    writeFileSync(json, `${JSON.stringify(segments, null, 1)}\n`);
    console.log(`wrote ${LATENCY_DICTATION} (${(at / RATE).toFixed(1)} s, ${segments.length} utterances) and ${json}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return json;
}
