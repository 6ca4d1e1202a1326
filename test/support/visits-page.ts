import { fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/elements/slm-provider/slm-provider.js';
import '../../src/elements/slm-note/slm-note.js';
import '../../src/elements/slm-chat/slm-chat.js';
import '../../src/elements/slm-visits/slm-visits.js';
import type { SlmProvider } from '../../src/elements/slm-provider/slm-provider.js';
import type { SlmVisits } from '../../src/elements/slm-visits/slm-visits.js';
import { rawRecords } from '../visits/visit-fixtures.js';

let dbCount = 0;

/** A database name no other test uses. */
export const uniqueDbName = (prefix = 'slm-visits-test') => `${prefix}-${Date.now()}-${dbCount++}`;

/** The app as a page builds it: a provider with the visit keeper, a note and a chat (no model needed). */
export async function visitsPage(dbName: string) {
  const provider = await fixture<SlmProvider>(html`<slm-provider><slm-visits db-name=${dbName}></slm-visits><slm-note refine="off"></slm-note><slm-chat></slm-chat></slm-provider>`);
  const visits = provider.querySelector('slm-visits')!;
  await visits.updateComplete;
  await visits.ready;
  return { provider, visits, note: provider.querySelector('slm-note')!, chat: provider.querySelector('slm-chat')!, session: provider.session, transcript: provider.session.transcript };
}

/** Waits until everything the page changed is stored (the note's debounce included). */
export async function settled(visits: SlmVisits): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 50));
  await visits.recorder!.flush();
  await waitUntil(() => visits.unsavedChanges === 0, 'the visit was not stored', { timeout: 10_000 });
  await visits.visitStore!.list();
}

/** Every raw row of one visit in every object store, as stored (ciphertext included), for byte-for-byte comparison. */
export async function rawVisitRows(dbName: string, visitId: string): Promise<string> {
  const all = await rawRecords(dbName);
  const rows: unknown[] = [];
  for (const [storeName, records] of Object.entries(all)) {
    for (const { key, value } of records) {
      const id = storeName === 'visits' ? key : Array.isArray(key) ? key[0] : (value as { visitId?: string })?.visitId;
      if (id === visitId) rows.push([storeName, key, value]);
    }
  }
  return JSON.stringify(rows, (_, value) => (value instanceof ArrayBuffer ? [...new Uint8Array(value)] : ArrayBuffer.isView(value) ? [...new Uint8Array(value.buffer)] : value));
}
