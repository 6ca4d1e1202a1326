import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ref } from 'lit/directives/ref.js';
import '../src/elements/slm-provider/slm-provider.js';
import '../src/elements/slm-transcriber/slm-transcriber.js';
import type { SlmProvider } from '../src/elements/slm-provider/slm-provider.js';
import type { TranscriptSegment } from '../src/audio/transcript-store.js';
import { ScriptedAsrBackend } from './support/scripted-backends.js';

/** A provider whose speech model is scripted, with a transcript already in it. */
const withTranscript = (segments: TranscriptSegment[]) =>
  ref((el) => {
    const provider = el as SlmProvider | undefined;
    if (!provider || provider.dataset.scripted) return;
    provider.dataset.scripted = 'true';
    provider.engine.useBackends({ asr: () => new ScriptedAsrBackend({ downloadSeconds: 0.2 }) });
    for (const segment of segments) provider.session.transcript.upsert(segment);
  });

const meta: Meta = {
  title: 'Elements/slm-transcriber',
  component: 'slm-transcriber',
  args: { vad: 'silero', task: 'transcribe' },
  parameters: {
    docs: {
      description: {
        component:
          'Live dictation. Put it inside an `<slm-provider>` that names a speech model. Press Record (or Alt+R), hold to talk, or drop a recording. In these stories the speech model is scripted; recording needs a microphone and asks for permission.',
      },
    },
  },
};
export default meta;

type Story = StoryObj;

const render = (segments: TranscriptSegment[]) => (args: Record<string, unknown>) => html`
  <slm-provider asr="whisper-base" hide-status ${withTranscript(segments)}>
    <slm-transcriber vad=${String(args.vad)} task=${String(args.task)}></slm-transcriber>
  </slm-provider>
`;

/** Nothing said yet. */
export const Empty: Story = { render: render([]) };

/** Two finished sentences and one still being spoken: settled words in full weight, the rest dimmed. */
export const Dictating: Story = {
  render: render([
    { id: 'a', text: 'Patient reports a dry cough for three days.', start: 1.0, end: 3.8, final: true },
    { id: 'b', text: 'No fever.', start: 5.2, end: 6.1, final: true },
    { id: 'c', text: 'Mild shortness of breath when climb', start: 6.6, end: 8.4, final: false, stableText: 'Mild shortness of breath' },
  ]),
};

/** A sentence the clinician corrected (dotted underline): later recognition never replaces it. */
export const Corrected: Story = {
  render: render([
    { id: 'a', text: 'Started metoprolol 25 mg twice daily.', start: 0.5, end: 3.2, final: true, edited: true },
    { id: 'b', text: 'Follow up in one week.', start: 4.0, end: 5.5, final: true },
  ]),
};
