import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ref } from 'lit/directives/ref.js';
import '../src/elements/slm-provider/slm-provider.js';
import '../src/elements/slm-transcriber/slm-transcriber.js';
import '../src/elements/slm-note/slm-note.js';
import type { SlmProvider } from '../src/elements/slm-provider/slm-provider.js';
import type { SlmNote } from '../src/elements/slm-note/slm-note.js';
import type { TranscriptSegment } from '../src/audio/transcript-store.js';
import { ScriptedAsrBackend, ScriptedLlmBackend, type ScriptedModel } from './support/scripted-backends.js';
import { scriptedNoteAnswer } from './support/scripted-note-answer.js';

const VISIT: TranscriptSegment[] = [
  { id: 'v1', text: 'Mrs. Jones has had a dry cough for two weeks and feels tired.', start: 0.8, end: 4.6, final: true },
  { id: 'v2', text: 'Temperature is 37.9 degrees, oxygen saturation 96 percent.', start: 5.4, end: 9.0, final: true },
  { id: 'v3', text: 'Most likely a viral bronchitis.', start: 9.8, end: 11.5, final: true },
  { id: 'v4', text: 'We will start honey and fluids and review in one week.', start: 12.1, end: 15.3, final: true },
];

interface Setup {
  segments?: TranscriptSegment[];
  llm?: ScriptedModel;
  /** Runs once the note has its first content. */
  then?: (note: SlmNote) => void;
}

/** A provider with a scripted language model and speech model, and a visit already dictated. */
const scripted = ({ segments = VISIT, llm, then }: Setup) =>
  ref((el) => {
    const provider = el as SlmProvider | undefined;
    if (!provider || provider.dataset.scripted) return;
    provider.dataset.scripted = 'true';
    provider.engine.useBackends({
      llm: () => new ScriptedLlmBackend({ downloadSeconds: 0.2, reply: scriptedNoteAnswer(), tokenDelayMs: 8, ...llm }),
      asr: () => new ScriptedAsrBackend({ downloadSeconds: 0.2 }),
    });
    requestAnimationFrame(() => {
      for (const segment of segments) provider.session.transcript.upsert(segment);
      const note = provider.querySelector('slm-note');
      if (note && then) void note.updateComplete.then(() => then(note));
    });
  });

const meta: Meta = {
  title: 'Elements/slm-note',
  component: 'slm-note',
  args: { template: 'soap', refine: 'auto' },
  argTypes: {
    template: { control: 'select', options: ['soap', 'history-physical', 'progress'] },
    refine: { control: 'inline-radio', options: ['auto', 'off'] },
  },
  parameters: {
    docs: {
      description: {
        component:
          'A clinical note that builds itself from the visit transcript: an instant rule-based draft, then the language model’s refinement. Edit any item: an edited or locked item is never replaced. Hover or focus an item to see where it was said. In these stories the models are scripted.',
      },
    },
  },
};
export default meta;

type Story = StoryObj;

const layout = (setup: Setup) => (args: Record<string, unknown>) => html`
  <slm-provider llm="qwen2.5-0.5b" asr="whisper-base" hide-status ${scripted(setup)}>
    <div style="display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1.3fr);gap:1.5rem;align-items:start">
      <slm-transcriber no-shortcut></slm-transcriber>
      <slm-note template=${String(args.template)} refine=${String(args.refine)} debounce="400"></slm-note>
    </div>
  </slm-provider>
`;

/** The rule-based draft alone (no model): it appears the moment each sentence is final. */
export const Draft: Story = { args: { refine: 'off' }, render: layout({}) };

/** The model refines the draft; its statements stream in (dimmed) before they settle. */
export const Updating: Story = { render: layout({ llm: { tokenDelayMs: 60 } }) };

/** Nothing dictated yet. */
export const Empty: Story = { render: layout({ segments: [] }) };

/** The clinician rewrote the plan and locked it (blue edge): model updates merge around it. */
export const EditedItem: Story = {
  args: { refine: 'off' },
  render: layout({
    then: (note) => {
      const plan = note.note.sections.find((s) => s.id === 'plan')!;
      note.editItem(plan.items[0].id, 'Honey, fluids, rest. Review in 1 week or sooner if breathless.');
    },
  }),
};

/** The model wrote a dose that was never said: the item is flagged, and listed in `slm-note-change`. */
export const FlaggedItem: Story = {
  render: layout({ llm: { reply: scriptedNoteAnswer((text) => text.replace('honey and fluids', 'amoxicillin 500 mg three times daily')) } }),
};

/** The model left out the vitals: the dictated sentence stays in the note, listed under "Kept from the dictation" (part `omissions`). */
export const KeptFromDictation: Story = {
  render: layout({ llm: { reply: scriptedNoteAnswer((text) => (/saturation/.test(text) ? '' : text)) } }),
};

/** The model fails mid-update: a typed `slm-error`, and the draft stays as it was. */
export const ModelError: Story = {
  render: layout({ llm: { reply: 'Sorry, I cannot help with that.' } }),
};

/** A custom template, given as JSON. */
export const CustomTemplate: Story = {
  args: {
    refine: 'off',
    template: JSON.stringify({
      id: 'triage',
      title: 'Triage note',
      sections: [
        { id: 'complaint', title: 'Presenting complaint', cues: ['cough', 'pain', 'feels'] },
        { id: 'observations', title: 'Observations', cues: ['temperature', 'saturation', 'pulse'] },
        { id: 'disposition', title: 'Disposition', cues: ['review', 'start', 'likely'] },
      ],
    }),
  },
  render: layout({}),
};
