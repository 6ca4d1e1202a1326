import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ref } from 'lit/directives/ref.js';
import '../src/elements/slm-scribe/slm-scribe.js';
import type { SlmScribe } from '../src/elements/slm-scribe/slm-scribe.js';
import { ScriptedAsrBackend, ScriptedLlmBackend, type ScriptedModel } from './support/scripted-backends.js';

interface Script {
  llm?: ScriptedModel;
  asr?: ScriptedModel;
  /** Load at once, as a returning clinic whose models are on the device. */
  load?: boolean;
  transcript?: string[];
}

/** Points the scribe's engine at scripted models (nothing is downloaded), and optionally loads them and fills a visit. */
const scripted = (script: Script) =>
  ref((el) => {
    const scribe = el as SlmScribe | undefined;
    if (!scribe || scribe.dataset.scripted) return;
    scribe.dataset.scripted = 'true';
    void scribe.updateComplete.then(async () => {
      scribe.provider.engine.useBackends({ llm: () => new ScriptedLlmBackend({ downloadSeconds: 6, ...script.llm }), asr: () => new ScriptedAsrBackend({ downloadSeconds: 3, ...script.asr }) });
      (script.transcript ?? []).forEach((text, i) => scribe.session.transcript.upsert({ id: `story-${i}`, text, start: i * 3, end: i * 3 + 3, final: true }));
      if (script.load) await scribe.start(false);
    });
  });

const visit = ['Dry cough for two weeks, worse at night.', 'No fever. Blood pressure 128 over 82.', 'Plan: chest x-ray and review in one week.'];
const db = (name: string) => `story-scribe-${name}-${Date.now()}`;

const meta: Meta = {
  title: 'Elements/slm-scribe',
  component: 'slm-scribe',
  parameters: {
    layout: 'fullscreen',
    docs: {
      description: {
        component:
          'The clinic app in one tag: visits in a sidebar, transcript and note side by side, the chat in a side panel; tabs on a phone. A setup card recommends models for the device on first run. Alt+/ lists the shortcuts. In these stories the models are scripted.',
      },
    },
  },
};
export default meta;

/** First run: the setup card recommends models for this device; "Download and start" shows each one's progress. */
export const FirstRun: StoryObj = {
  render: () => html`<slm-scribe db-name=${db('first-run')} style="--slm-scribe-height: 44rem" ${scripted({})}></slm-scribe>`,
};

/** Models ready, mid-visit: the instant draft of the note from what was said. */
export const Ready: StoryObj = {
  render: () => html`<slm-scribe db-name=${db('ready')} style="--slm-scribe-height: 44rem" ${scripted({ load: true, transcript: visit, llm: { downloadSeconds: 0.2 }, asr: { downloadSeconds: 0.2 } })}></slm-scribe>`,
};

/** The high-contrast theme, through the same `--slm-*` tokens. */
export const HighContrast: StoryObj = {
  render: () => html`<slm-scribe theme="high-contrast" db-name=${db('contrast')} style="--slm-scribe-height: 44rem" ${scripted({ load: true, transcript: visit, llm: { downloadSeconds: 0.2 }, asr: { downloadSeconds: 0.2 } })}></slm-scribe>`,
};

/** The language model runs out of memory: the card and the chip say so, with what to do; dictation still works. */
export const ModelFailed: StoryObj = {
  render: () => html`<slm-scribe db-name=${db('failed')} style="--slm-scribe-height: 44rem" ${scripted({ load: true, llm: { failWith: { code: 'out-of-memory', atFraction: 0.4 } }, asr: { downloadSeconds: 0.2 } })}></slm-scribe>`,
};
