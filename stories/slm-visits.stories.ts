import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '../src/elements/slm-provider/slm-provider.js';
import '../src/elements/slm-visits/slm-visits.js';
import '../src/elements/slm-note/slm-note.js';
import { VisitStore } from '../src/visits/visit-store.js';

/** A database of its own per story, filled with two earlier visits before the element opens it. */
async function seeded(name: string): Promise<string> {
  await new Promise((resolve) => Object.assign(indexedDB.deleteDatabase(name), { onsuccess: resolve, onerror: resolve }));
  const store = await VisitStore.open({ name, requestPersistence: false });
  for (const [title, text] of [
    ['Mrs. Jones, cough', 'Dry cough for two weeks, no fever.'],
    ['Mr. Patel, blood pressure', 'Blood pressure 152 over 94, increase lisinopril.'],
  ]) {
    const visit = await store.create({ title });
    await store.putSegment(visit.id, { id: `${visit.id}-1`, text, start: 0, end: 3, final: true });
  }
  store.close();
  return name;
}

const meta: Meta = {
  title: 'Elements/slm-visits',
  component: 'slm-visits',
  parameters: {
    docs: {
      description: {
        component:
          'Visits kept in this browser, encrypted (AES-GCM) in IndexedDB, written as they happen. The last visit is reopened after a reload. Open, delete, export all, erase all.',
      },
    },
  },
};
export default meta;

/** No visit stored yet. */
export const Empty: StoryObj = {
  render: () => html`<slm-provider hide-status><slm-visits db-name=${`story-empty-${Date.now()}`} no-resume></slm-visits></slm-provider>`,
};

/** Two earlier visits; the newest is open. */
export const WithVisits: StoryObj = {
  loaders: [async () => ({ dbName: await seeded('story-visits') })],
  render: (_args, { loaded }) => html`<slm-provider hide-status><slm-visits db-name=${loaded.dbName as string}></slm-visits><slm-note refine="off"></slm-note></slm-provider>`,
};

/** A store protected by a passphrase asks for it first. */
export const Locked: StoryObj = {
  render: () => html`<slm-provider hide-status><slm-visits db-name=${`story-locked-${Date.now()}`} require-passphrase></slm-visits></slm-provider>`,
};
