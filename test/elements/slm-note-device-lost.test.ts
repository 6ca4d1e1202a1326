import { expect, html, waitUntil } from '@open-wc/testing';
import '../../src/elements/slm-note/slm-note.js';
import type { SlmNote } from '../../src/elements/slm-note/slm-note.js';
import type { ErrorDetail } from '../../src/engine/types.js';
import { SlmError } from '../../src/errors/slm-error.js';
import type { NoteChangeDetail } from '../../src/note/note-types.js';
import { providerWithFakeWebLlm } from '../support/fake-webllm-provider.js';
import { recordFault } from '../support/faults.js';
import { scriptedNoteModel } from '../support/scripted-note-model.js';

const SAID = ['Cough for two weeks.', 'Temperature 38.4 degrees.', 'Start amoxicillin 500 mg three times daily.'];

describe('<slm-note> when the GPU or the model worker is lost mid-update', () => {
  for (const code of ['device-lost', 'worker-crashed'] as const) {
    it(`retries the interrupted update at once after ${code}, and loses nothing`, async () => {
      const { provider } = await providerWithFakeWebLlm('qwen2.5-0.5b', { script: scriptedNoteModel() }, html`<slm-note debounce="20"></slm-note>`);
      const note = provider.querySelector<SlmNote>('slm-note')!;
      await note.updateComplete;
      // The engine's answer to a lost device or a dead worker: the call fails with the code, and the model loads again.
      const generate = provider.engine.generate.bind(provider.engine);
      let calls = 0;
      provider.engine.generate = (messages, options) => (++calls === 1 ? Promise.reject(new SlmError(code, 'The GPU device was lost (test), so the model is loaded again; try again.')) : generate(messages, options));
      const errors: string[] = [];
      note.addEventListener('slm-error', (e) => errors.push((e as CustomEvent<ErrorDetail>).detail.code));
      const updated = new Promise<NoteChangeDetail>((resolve) => note.addEventListener('slm-note-change', (e) => e.detail.cause === 'model' && resolve(e.detail)));
      SAID.forEach((text, i) => provider.session.transcript.upsert({ id: `s${i}`, text, start: i * 3, end: i * 3 + 2, final: true }));
      // No new sentence is needed: the retry comes by itself.
      const detail = await updated;
      await waitUntil(() => calls === 2, 'the update was not retried');
      expect(errors).to.deep.equal([code]);
      const items = detail.note.sections.flatMap((s) => s.items.filter((i) => !i.deleted));
      expect(items.every((i) => i.origin === 'model')).to.equal(true);
      const cited = new Set(items.flatMap((i) => i.sources));
      const lost = SAID.filter((_, i) => !cited.has(`s${i}`)).length;
      expect(detail.omissions).to.deep.equal([]);
      await recordFault(`${code === 'device-lost' ? 'GPU device lost' : 'model worker lost'} during a note update (retried)`, code, { code: errors[0], lost });
    });
  }
});
