import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { LitElement } from 'lit';
import '../../src/elements/slm-session/slm-session.js';
import '../../src/elements/slm-transcriber/slm-transcriber.js';
import type { SlmTranscriber } from '../../src/elements/slm-transcriber/slm-transcriber.js';
import type { SlmChat } from '../../src/elements/slm-chat/slm-chat.js';
import type { SlmNote } from '../../src/elements/slm-note/slm-note.js';
import type { SlmProvider } from '../../src/elements/slm-provider/slm-provider.js';
import type { ErrorDetail } from '../../src/engine/types.js';
import { SlmError } from '../../src/errors/slm-error.js';
import { VisitSession } from '../../src/session/visit-session.js';
import { nextEvent, recordEvents } from '../support/events.js';
import { rawVisitRows, settled, uniqueDbName, visitsPage } from '../support/visits-page.js';
import { editRawRecord } from '../visits/visit-fixtures.js';
import type { Sealed } from '../../src/visits/visit-schema.js';
import { recordFault } from '../support/faults.js';
import { modelHostUrl, TEST_ASR } from '../support/model-host.js';
import { repeatedWav } from '../support/wav.js';
import { readWavFormat } from '../../src/audio/wav-stream.js';
import type { SlmVisits } from '../../src/elements/slm-visits/slm-visits.js';

/** A provider with the fixture Whisper, its visits in database `name` (ready) and a transcriber. */
async function dictationWithVisits(name: string) {
  const provider = await fixture<SlmProvider>(
    html`<slm-provider asr=${TEST_ASR} model-host=${await modelHostUrl()}><slm-visits db-name=${name}></slm-visits><slm-transcriber></slm-transcriber></slm-provider>`,
  );
  const visits = provider.querySelector<SlmVisits>('slm-visits')!;
  const transcriber = provider.querySelector<SlmTranscriber>('slm-transcriber')!;
  await visits.ready;
  return { provider, visits, transcriber };
}

const said = (id: string, text: string, start: number) => ({ id, text, start, end: start + 2, final: true });

describe('the visit session', () => {
  const names: string[] = [];
  const dbName = () => {
    names.push(uniqueDbName());
    return names.at(-1)!;
  };
  afterEach(() => names.splice(0).forEach((name) => indexedDB.deleteDatabase(name)));

  it('"new patient" from the chat asks first, then files everything after it under a new visit; the first visit is unchanged', async () => {
    const name = dbName();
    const { session, transcript, chat, note, visits } = await visitsPage(name);
    transcript.upsert(said('a1', 'Patient A has knee pain.', 0));
    note.addItem('plan', 'Ibuprofen 400 mg three times a day.');
    await settled(visits);
    const first = session.id;
    expect(visits.currentVisitId).to.equal(first);

    await chat.send('New patient');
    // Nothing has happened yet: it waits for a yes.
    expect(session.id).to.equal(first);
    expect(chat.messages.at(-1)!.confirmation).to.deep.equal({ command: 'new-visit', status: 'pending' });
    await chat.confirm(true);
    await settled(visits);
    const storedFirst = await rawVisitRows(name, first);

    expect(session.id).to.not.equal(first);
    expect(transcript.segments).to.deep.equal([]);
    expect(chat.messages).to.deep.equal([]);
    transcript.upsert(said('b1', 'Patient B has a sore throat.', 0));
    await chat.send('Add to plan: salt-water gargles');
    await settled(visits);

    // Byte for byte: not a row of the first visit was touched by the second.
    expect(await rawVisitRows(name, first)).to.equal(storedFirst);
    const a = (await visits.visitStore!.get(first))!;
    const b = (await visits.visitStore!.get(session.id))!;
    expect(a.segments.map((s) => s.text)).to.deep.equal(['Patient A has knee pain.']);
    expect(a.notes.at(-1)!.note.sections.flatMap((s) => s.items.map((i) => i.text))).to.include('Ibuprofen 400 mg three times a day.');
    expect(b.segments.map((s) => s.text)).to.deep.equal(['Patient B has a sore throat.']);
    const bItems = b.notes.at(-1)!.note.sections.flatMap((s) => s.items.map((i) => i.text));
    expect(bItems).to.include('salt-water gargles');
    expect(bItems).to.not.include('Ibuprofen 400 mg three times a day.');
    expect(b.chat.map((m) => m.content)).to.include('Add to plan: salt-water gargles');
  });

  it('files a recording being transcribed from a file under the visit it began in, whole, when a new visit starts mid-file', async function () {
    this.timeout(300_000);
    const { provider, visits, transcriber } = await dictationWithVisits(dbName());
    try {
      const wav = await (await fetch('/test/fixtures/audio/jfk.wav')).blob();
      const { dataOffset, frames } = await readWavFormat(wav);
      const rounds = 4;
      const reading = transcriber.transcribeFile(repeatedWav({ sampleRate: 16_000, channels: 1, bits: 16 }, wav.slice(dataOffset, dataOffset + frames * 2), rounds, 'ward-round.wav'));
      const first = provider.session.id;
      await waitUntil(() => transcriber.state !== 'file' || provider.session.transcript.segments.some((s) => s.final && s.text), 'no words from the file', { timeout: 240_000 });
      const second = await provider.session.startNew();
      await reading;
      await settled(visits);
      const filed = (await visits.visitStore!.get(first))!.segments;
      // Read to its end, every word under the first visit, and no "stopped" mark.
      expect(transcriber.lastAudit!.produced).to.equal(frames * rounds);
      expect(transcriber.lastAudit!.received).to.equal(frames * rounds);
      expect(filed.some((s) => s.gapCause === 'stopped')).to.equal(false);
      expect(Math.max(...filed.filter((s) => s.final).map((s) => s.end))).to.be.greaterThan((frames * rounds) / 16_000 - 1);
      expect((await visits.visitStore!.get(second))?.segments ?? []).to.deep.equal([]);
    } finally {
      await provider.engine.dispose();
    }
  });

  it('files an utterance read again after its model worker crashed under the visit it was said in, when a new visit starts meanwhile', async function () {
    this.timeout(300_000);
    const { provider, visits, transcriber } = await dictationWithVisits(dbName());
    const recorded = recordEvents(provider, 'slm-error');
    const codes = () => recorded.events.map((event) => (event.detail as ErrorDetail).code);
    // The first reading fails as a crashed worker's does; the second (the same audio, read again) waits until the new visit is asked for.
    const transcribe = provider.engine.transcribe.bind(provider.engine);
    let calls = 0;
    let newVisitAsked: () => void = () => undefined;
    const asked = new Promise<void>((resolve) => (newVisitAsked = resolve));
    provider.engine.transcribe = async (audio, options) => {
      calls++;
      if (calls === 1) throw new SlmError('worker-crashed', 'The model worker stopped: test. Try again; the model will be reloaded.');
      if (calls === 2) await asked;
      return transcribe(audio, options);
    };
    try {
      const audio = await (await fetch('/test/fixtures/audio/jfk.wav')).blob();
      const reading = transcriber.transcribeFile(new File([audio], 'jfk.wav', { type: 'audio/wav' }));
      const first = provider.session.id;
      await waitUntil(() => calls === 2, 'the reading was not asked for again', { timeout: 240_000 });
      const switching = provider.session.startNew();
      newVisitAsked();
      const second = await switching;
      await reading;
      await settled(visits);

      const filed = (await visits.visitStore!.get(first))!.segments.filter((s) => s.final);
      expect(filed.length).to.be.greaterThan(0);
      expect(filed.every((s) => s.text.length > 0), 'every utterance has its words').to.equal(true);
      expect((await visits.visitStore!.get(second))?.segments ?? []).to.deep.equal([]);
      expect(provider.session.transcript.segments).to.deep.equal([]);
      expect(codes()).to.include('worker-crashed');
      await recordFault('a new visit starts while an utterance cut short by a crash is read again', 'worker-crashed', {
        code: codes().find((code) => code === 'worker-crashed') ?? 'none',
        lost: filed.length > 0 && filed.every((s) => s.text.length > 0) ? 0 : 1,
      });
    } finally {
      await provider.engine.dispose();
    }
  });

  it('does not take a message that only starts with "New patient" for the command', async () => {
    const { session, chat } = await visitsPage(dbName());
    const first = session.id;
    const commands = recordEvents(chat, 'slm-chat-command');
    // No language model here: the message goes to the model path and fails there, as a question would.
    const failed = nextEvent<CustomEvent<ErrorDetail>>(chat, 'slm-error');
    await chat.send('New patient: Jane Doe, 54, chest pain since this morning.');
    expect((await failed).detail.code).to.equal('not-loaded');
    expect(commands.events).to.have.length(0);
    expect(session.id).to.equal(first);
    expect(chat.messages[0].content).to.equal('New patient: Jane Doe, 54, chest pain since this morning.');
  });

  it('starts a new visit from the visits button and from the API, each under a new id', async () => {
    const name = dbName();
    const { session, transcript, visits } = await visitsPage(name);
    transcript.upsert(said('x1', 'First visit words.', 0));
    await settled(visits);
    const first = session.id;
    const stored = await rawVisitRows(name, first);
    visits.shadowRoot!.querySelector<HTMLButtonElement>('[part~="new-button"]')!.click();
    await nextEvent(visits, 'slm-visit-change');
    const second = session.id;
    expect(second).to.not.equal(first);
    transcript.upsert(said('x2', 'Second visit words.', 0));
    await settled(visits);
    const third = await session.startNew();
    transcript.upsert(said('x3', 'Third visit words.', 0));
    await settled(visits);
    expect(new Set([first, second, third]).size).to.equal(3);
    expect(await rawVisitRows(name, first)).to.equal(stored);
    for (const [id, text] of [[first, 'First'], [second, 'Second'], [third, 'Third']]) {
      expect((await visits.visitStore!.get(id))!.segments.map((s) => s.text)).to.deep.equal([`${text} visit words.`]);
    }
  });

  it('keeps a segment whose write hit a full disk, shows it unsaved, and stores it once there is room', async () => {
    const name = dbName();
    const { transcript, visits, session, provider } = await visitsPage(name);
    transcript.upsert(said('q0', 'Saved before the disk filled.', 0));
    await settled(visits);
    const { put, add } = IDBObjectStore.prototype;
    const quota = () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    Object.assign(IDBObjectStore.prototype, { put: quota, add: quota });
    try {
      const failed = nextEvent<CustomEvent<ErrorDetail>>(visits, 'slm-error');
      transcript.upsert(said('q1', 'Said while the disk was full.', 2));
      expect((await failed).detail.code).to.equal('storage-quota');
      await waitUntil(() => visits.recorder!.failedCount === 1, 'the failed write is kept for a retry');
      await visits.updateComplete;
      const state = visits.shadowRoot!.querySelector<HTMLElement>('[part~="save-state"]')!;
      expect(state.dataset.state).to.equal('failed');
      expect(state.textContent).to.match(/1 change is not saved yet/);
      expect(visits.shadowRoot!.querySelector('[part="error"]')!.textContent).to.include('Storage is full');
      // The page warns before it is closed.
      const unload = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(unload);
      expect(unload.defaultPrevented).to.equal(true);
    } finally {
      Object.assign(IDBObjectStore.prototype, { put, add });
    }
    // The next write that succeeds takes the failed one with it.
    transcript.upsert(said('q2', 'After space was freed.', 4));
    await settled(visits);
    expect(visits.recorder!.failedCount).to.equal(0);
    await visits.updateComplete;
    expect(visits.shadowRoot!.querySelector<HTMLElement>('[part~="save-state"]')!.dataset.state).to.equal('saved');
    const unload = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(unload);
    expect(unload.defaultPrevented).to.equal(false);
    const id = session.id;
    provider.remove();

    const reloaded = await visitsPage(name);
    expect(reloaded.session.id).to.equal(id);
    expect(reloaded.transcript.segments.map((s) => s.id)).to.deep.equal(['q0', 'q1', 'q2']);
  });

  it('brings back the sentence cut off by a reload as "interrupted — check": out of the note until a person confirms it, as corrected, or discards it', async () => {
    const name = dbName();
    const first = await visitsPage(name);
    first.transcript.upsert(said('i1', 'Chest pain since Monday.', 0));
    // Two open segments stored mid-sentence (the second as if from a second recording).
    first.transcript.upsert({ id: 'i2', text: 'Started on aspirin seventy', start: 3, end: 4, final: false });
    first.transcript.upsert({ id: 'i3', text: 'and a trial of', start: 5, end: 6, final: false });
    await settled(first.visits);
    const id = first.session.id;
    first.provider.remove();

    const withTranscriber = async () => {
      const page = await visitsPage(name);
      const transcriber = document.createElement('slm-transcriber') as SlmTranscriber;
      page.provider.append(transcriber);
      await transcriber.updateComplete;
      const noteText = () => page.note.note.sections.flatMap((s) => s.items.filter((i) => !i.deleted).map((i) => i.text)).join(' ');
      const shown = (segmentId: string) => transcriber.shadowRoot!.querySelector<HTMLElement>(`[part~="segment"][data-id="${segmentId}"]`);
      const button = (segmentId: string, part: string) => shown(segmentId)!.closest('[part~="interrupted"]')!.querySelector<HTMLButtonElement>(`[part~="${part}"]`)!;
      return { ...page, transcriber, noteText, shown, button };
    };

    const second = await withTranscriber();
    expect(second.session.id).to.equal(id);
    expect(second.transcript.interrupted.map((s) => s.id)).to.deep.equal(['i2', 'i3']);
    expect(second.transcript.get('i2')).to.deep.include({ final: false, interrupted: true, text: 'Started on aspirin seventy' });
    expect(second.noteText()).to.include('Chest pain since Monday');
    expect(second.noteText()).to.not.include('aspirin');
    const marked = second.shown('i2')!;
    expect(marked.dataset.interrupted).to.equal('');
    expect(marked.isContentEditable).to.equal(true);
    expect(marked.closest('[part~="interrupted"]')!.querySelector('[part~="interrupted-label"]')!.textContent).to.equal('interrupted — check');

    // Corrected but not confirmed: still waiting, still out of the note, and stored that way.
    marked.textContent = 'Started on aspirin 75 mg daily.';
    marked.dispatchEvent(new FocusEvent('blur'));
    expect(second.transcript.get('i2')).to.deep.include({ final: false, interrupted: true, text: 'Started on aspirin 75 mg daily.' });
    second.button('i3', 'discard-button').click();
    expect(second.transcript.get('i3')).to.equal(undefined);
    await second.note.updateComplete;
    expect(second.noteText()).to.not.include('aspirin');
    await settled(second.visits);
    second.provider.remove();

    // After another reload the correction is there, still unconfirmed; the discarded one is gone.
    const third = await withTranscriber();
    expect(third.transcript.segments.map((s) => s.id)).to.deep.equal(['i1', 'i2']);
    expect(third.transcript.get('i2')).to.deep.include({ final: false, interrupted: true, text: 'Started on aspirin 75 mg daily.' });
    third.button('i2', 'confirm-button').click();
    const confirmed = third.transcript.get('i2')!;
    expect(confirmed).to.deep.include({ final: true, text: 'Started on aspirin 75 mg daily.' });
    expect(confirmed.interrupted).to.equal(undefined);
    await third.transcriber.updateComplete;
    expect(third.shown('i2')!.dataset.final).to.equal('true');
    expect(third.shown('i2')!.closest('[part~="interrupted"]')).to.equal(null);
    // Confirmed, it reaches the note like any final segment.
    await waitUntil(() => third.noteText().includes('aspirin 75 mg daily'), 'the confirmed sentence did not reach the note');
    await settled(third.visits);
    const stored = (await third.visits.visitStore!.get(id))!;
    expect(stored.segments.map((s) => [s.id, s.final])).to.deep.equal([
      ['i1', true],
      ['i2', true],
    ]);
    expect(stored.notes.at(-1)!.note.sections.flatMap((s) => s.items.map((i) => i.text)).join(' ')).to.include('aspirin 75 mg daily');
  });

  it('lets one tab record a visit: another that opens it is read-only, and an erase reaches it', async () => {
    const name = dbName();
    const one = await visitsPage(name);
    one.transcript.upsert(said('t1', 'Recorded in the first tab.', 0));
    await settled(one.visits);
    const other = await visitsPage(name);
    // The second page resumed the same visit, but the first holds it.
    expect(other.session.id).to.equal(one.session.id);
    await waitUntil(() => other.session.readOnly, 'the second page became read-only');
    await other.visits.updateComplete;
    expect(other.visits.shadowRoot!.querySelector('[part~="read-only"]')!.textContent).to.include('open in another tab');
    const transcriber = document.createElement('slm-transcriber');
    await import('../../src/elements/slm-transcriber/slm-transcriber.js');
    other.provider.append(transcriber);
    await (transcriber as LitElement).updateComplete;
    const refused = nextEvent<CustomEvent<ErrorDetail>>(transcriber, 'slm-error');
    void (transcriber as unknown as { start(): Promise<void> }).start();
    expect((await refused).detail.code).to.equal('visit-read-only');
    await recordFault('recording a visit another tab is recording', 'visit-read-only', { code: 'visit-read-only', lost: null });
    expect((transcriber as unknown as { state: string }).state).to.equal('idle');

    // Erase all in the first reaches the second: its page starts a new, writable visit.
    const changes = recordEvents(other.visits, 'slm-visit-change');
    await one.visits.eraseAll();
    await waitUntil(() => changes.events.some((e) => e.detail.action === 'erase'), 'the second page heard of the erase');
    await waitUntil(() => !other.session.readOnly && other.session.id !== one.session.id && other.visits.visitStore, 'the second page started over');
    await other.visits.ready;
    expect(other.transcript.segments).to.deep.equal([]);
    expect(await other.visits.visitStore!.list()).to.deep.equal([]);
    other.transcript.upsert(said('t2', 'Written after the erase.', 0));
    await settled(other.visits);
    expect((await one.visits.visitStore!.get(other.session.id))!.segments.map((s) => s.text)).to.deep.equal(['Written after the erase.']);
  });

  it('gives each provider, and each <slm-session>, its own visit; a note inside another shadow root follows its own', async () => {
    class NoteShell extends LitElement {
      override render() {
        return html`<slm-note refine="off"></slm-note>`;
      }
    }
    if (!customElements.get('test-note-shell')) customElements.define('test-note-shell', NoteShell);
    const page = await fixture<HTMLElement>(html`<div>
      <slm-provider id="left"><slm-chat></slm-chat><test-note-shell></test-note-shell></slm-provider>
      <slm-provider id="right"><slm-session><slm-chat></slm-chat><slm-note refine="off"></slm-note></slm-session><slm-note id="outer" refine="off"></slm-note></slm-provider>
    </div>`);
    const left = page.querySelector<SlmProvider>('#left')!;
    const right = page.querySelector<SlmProvider>('#right')!;
    const shellNote = page.querySelector('test-note-shell')!.shadowRoot!.querySelector('slm-note')!;
    const inner = right.querySelector('slm-session')!;
    await Promise.all([shellNote.updateComplete, inner.updateComplete]);
    expect(shellNote.session).to.equal(left.session);
    const innerNote = right.querySelector<SlmNote>('slm-session slm-note')!;
    expect(innerNote.session).to.equal(inner.session);
    expect(right.querySelector<SlmNote>('#outer')!.session).to.equal(right.session);
    expect(new Set([left.session, right.session, inner.session]).size).to.equal(3);

    await left.querySelector('slm-chat')!.send('Add to plan: left only');
    await right.querySelector<SlmChat>('slm-session slm-chat')!.send('Add to plan: inner only');
    const items = (note: { note: { sections: Array<{ items: Array<{ text: string }> }> } }) => note.note.sections.flatMap((s) => s.items.map((i) => i.text));
    expect(items(shellNote)).to.deep.equal(['left only']);
    expect(items(innerNote)).to.deep.equal(['inner only']);
    expect(items(right.querySelector<SlmNote>('#outer')!)).to.deep.equal([]);
    left.session.transcript.upsert(said('l1', 'Only on the left.', 0));
    expect(right.session.transcript.segments).to.deep.equal([]);
    expect(inner.session.transcript.segments).to.deep.equal([]);
  });

  it('opens a visit whose records are partly damaged: the rest comes back, the damage is reported, and dictation goes on', async () => {
    const name = dbName();
    const first = await visitsPage(name);
    first.transcript.upsert(said('g1', 'First sentence.', 0));
    first.transcript.upsert(said('g2', 'Sentence on a bad sector.', 3));
    first.transcript.upsert(said('g3', 'Third sentence.', 6));
    await settled(first.visits);
    const id = first.session.id;
    first.provider.remove();
    await editRawRecord(name, 'segments', [id, 'g2'], (row) => {
      const sealed = (row as { sealed: Sealed }).sealed;
      const bytes = new Uint8Array(sealed.data.slice(0));
      bytes[Math.floor(bytes.length / 2)] ^= 0x01;
      return { ...(row as object), sealed: { ...sealed, data: bytes.buffer } };
    });

    const codes: string[] = [];
    const onError = (event: Event) => codes.push((event as CustomEvent<ErrorDetail>).detail.code);
    document.addEventListener('slm-error', onError);
    try {
      const second = await visitsPage(name);
      expect(second.session.id).to.equal(id);
      expect(second.transcript.segments.map((s) => s.id)).to.deep.equal(['g1', 'g3']);
      expect(codes).to.include('storage-corrupt');
      second.transcript.upsert(said('g4', 'Said after the reload.', 9));
      await settled(second.visits);
      const stored = (await second.visits.visitStore!.get(id))!;
      expect(stored.segments.map((s) => s.id)).to.deep.equal(['g1', 'g3', 'g4']);
      expect(stored.damaged).to.equal(1);
    } finally {
      document.removeEventListener('slm-error', onError);
    }
  });

  it('refuses every change after it is disposed, with a clear error, and keeps what it held', async () => {
    const session = new VisitSession();
    session.transcript.upsert(said('d1', 'Kept after disposal.', 0));
    session.dispose();
    for (const call of [() => session.putChat({ id: 'm', role: 'user', content: 'x', createdAt: 1 }), () => session.clearChat(), () => void session.startNew()]) {
      let error: unknown;
      try {
        call();
      } catch (thrown) {
        error = thrown;
      }
      expect(error).to.be.instanceOf(SlmError);
      expect((error as SlmError).code).to.equal('session-disposed');
    }
    expect(session.transcript.segments.map((s) => s.text)).to.deep.equal(['Kept after disposal.']);
    await recordFault('a disposed visit session is written to', 'session-disposed', { code: 'session-disposed', lost: 1 - session.transcript.segments.length });
  });
});
