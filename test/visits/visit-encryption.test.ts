import { expect } from '@open-wc/testing';
import { SlmError } from '../../src/errors/slm-error.js';
import { PBKDF2_ITERATIONS } from '../../src/visits/visit-crypto.js';
import { rawRecords, recordText, rejectionOf, segment, soapNote, visitDatabases } from './visit-fixtures.js';
import { recordFault } from '../support/faults.js';

const TITLE = 'Quetzalcoatl Fenwick-Abernathy';
const DICTATED = 'zolmitriptanwise';
const NOTE_WORD = 'paracetamolish';
const CHAT_WORD = 'xylophonitis';

describe('visits encrypted at rest', () => {
  const databases = visitDatabases();
  afterEach(() => databases.cleanUp());

  async function fillVisit(name: string, passphrase?: string) {
    const store = await databases.open({ name, passphrase });
    const visit = await store.create({ title: TITLE });
    await store.putSegment(visit.id, segment('s1', 0, `Patient takes ${DICTATED} daily.`, { stableText: `Patient takes ${DICTATED}` }));
    await store.saveNote(visit.id, soapNote(`Takes ${NOTE_WORD}.`, 'Review.'));
    await store.putChat(visit.id, { id: 'c1', role: 'assistant', content: `Ask about ${CHAT_WORD}.`, createdAt: 1 });
    return { store, visit };
  }

  it('stores no title, dictation, note or chat text in any raw record', async () => {
    const name = databases.name('plaintext');
    const { store, visit } = await fillVisit(name);
    expect((await store.get(visit.id))!.title).to.equal(TITLE);

    const everything = recordText(await rawRecords(name));

    expect(everything).to.include(visit.id); // the check does see the records
    expect(everything).to.include('bytes:'); // and decodes their binary parts
    for (const word of [TITLE, 'Quetzalcoatl', DICTATED, NOTE_WORD, CHAT_WORD, 'Subjective', 'assistant']) {
      expect(everything, word).not.to.include(word);
    }
  });

  it('keeps the device key in the database as a non-extractable AES-GCM key', async () => {
    const name = databases.name('device-key');
    await fillVisit(name);

    const [meta] = (await rawRecords(name)).meta;

    const { key } = meta.value as { key: CryptoKey };
    expect(key).to.be.instanceOf(CryptoKey);
    expect(key.extractable).to.equal(false);
    expect(key.algorithm).to.deep.equal({ name: 'AES-GCM', length: 256 });
    expect(await rejectionOf(crypto.subtle.exportKey('raw', key))).to.be.instanceOf(DOMException);
  });

  it('with a passphrase, stores only a salt, the iteration count, a verifier and the key’s id and record format', async () => {
    const name = databases.name('passphrase-meta');
    await fillVisit(name, 'correct horse battery staple');

    const [meta] = (await rawRecords(name)).meta;

    const row = meta.value as { kind: string; salt: Uint8Array; iterations: number; verifier: object; format: number };
    expect(row.kind).to.equal('passphrase');
    expect(row.salt.byteLength).to.equal(16);
    expect(row.iterations).to.equal(PBKDF2_ITERATIONS);
    expect(row.iterations).to.equal(600_000); // OWASP Password Storage Cheat Sheet, PBKDF2-HMAC-SHA256
    expect(row.format).to.equal(2);
    expect(Object.keys(row).sort()).to.deep.equal(['format', 'id', 'iterations', 'kind', 'salt', 'verifier']);
    expect(recordText(row)).not.to.include('correct horse');
  });

  it('opens with the right passphrase and refuses a wrong one, leaving the store untouched', async () => {
    const name = databases.name('passphrase');
    const { visit, store } = await fillVisit(name, 'correct horse battery staple');
    const before = recordText(await rawRecords(name));
    const original = await store.get(visit.id);
    store.close();

    const started = performance.now();
    const wrong = await rejectionOf(databases.open({ name, passphrase: 'correct horse battery stapler' }));
    const wrongMs = performance.now() - started;
    const missing = await rejectionOf(databases.open({ name }));
    const after = recordText(await rawRecords(name));
    const reopenedAt = performance.now();
    const reopened = await databases.open({ name, passphrase: 'correct horse battery staple' });
    const rightMs = performance.now() - reopenedAt;

    expect(wrong).to.be.instanceOf(SlmError);
    expect((wrong as SlmError).code).to.equal('storage-wrong-passphrase');
    expect((wrong as SlmError).message).to.match(/passphrase/i);
    expect((missing as SlmError).code).to.equal('storage-wrong-passphrase');
    expect(after).to.equal(before);
    expect(await reopened.get(visit.id)).to.deep.equal(original);
    await recordFault('a wrong passphrase is entered', 'storage-wrong-passphrase', { code: (wrong as SlmError).code, lost: after === before ? 0 : 1 });
    console.log(`PBKDF2 (${PBKDF2_ITERATIONS} iterations): open with the right passphrase ${rightMs.toFixed(0)} ms, refuse a wrong one ${wrongMs.toFixed(0)} ms`);
  });

  it('after an erase, keeps the same passphrase with a new salt', async () => {
    const name = databases.name('passphrase-erase');
    const { store } = await fillVisit(name, 'correct horse battery staple');
    const saltBefore = new Uint8Array(((await rawRecords(name)).meta[0].value as { salt: Uint8Array }).salt);

    await store.eraseAll();
    await store.create({ title: 'After the erase' });

    const saltAfter = new Uint8Array(((await rawRecords(name)).meta[0].value as { salt: Uint8Array }).salt);
    expect(saltAfter).not.to.deep.equal(saltBefore);
    const reopened = await databases.open({ name, passphrase: 'correct horse battery staple' });
    expect((await reopened.list()).map((v) => v.title)).to.deep.equal(['After the erase']);
    expect(((await rejectionOf(databases.open({ name, passphrase: 'wrong' }))) as SlmError).code).to.equal('storage-wrong-passphrase');
  });

  it('refuses a passphrase for a store kept with the device key', async () => {
    const name = databases.name('no-passphrase');
    await fillVisit(name);

    const error = await rejectionOf(databases.open({ name, passphrase: 'anything' }));

    expect((error as SlmError).code).to.equal('invalid-argument');
  });
});
