import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '../src/elements/slm-provider/slm-provider.js';
import '../src/elements/slm-session/slm-session.js';
import '../src/elements/slm-note/slm-note.js';
import type { SlmSession } from '../src/elements/slm-session/slm-session.js';

const meta: Meta = {
  title: 'Elements/slm-session',
  component: 'slm-session',
  parameters: {
    docs: {
      description: {
        component:
          'A visit of its own (transcript, note, chat) for part of the page, over the models of the enclosing provider: two patients side by side. Each note here follows its own session’s transcript.',
      },
    },
  },
};
export default meta;

/** Two patients, one provider: each session's note drafts from its own transcript only. */
export const TwoPatients: StoryObj = {
  render: () => {
    const said = (session: SlmSession | null, text: string) => session?.session.transcript.upsert({ id: crypto.randomUUID(), text, start: 0, end: 3, final: true });
    setTimeout(() => {
      const [a, b] = document.querySelectorAll<SlmSession>('slm-session');
      said(a, 'Dry cough for two weeks, no fever. Plan: chest x-ray.');
      said(b, 'Blood pressure 152 over 94. Increase lisinopril to 20 mg daily.');
    });
    return html`<slm-provider hide-status>
      <div style="display: grid; grid-template-columns: 1fr 1fr; gap: 1rem">
        <slm-session><slm-note refine="off" aria-label="Patient A"></slm-note></slm-session>
        <slm-session><slm-note refine="off" aria-label="Patient B"></slm-note></slm-session>
      </div>
    </slm-provider>`;
  },
};
