import { expect } from '@open-wc/testing';
import { mergeOverlap, stablePrefix } from '../../src/audio/transcript-text.js';
import { TranscriptStore } from '../../src/audio/transcript-store.js';

describe('transcript text', () => {
  it('keeps only the words consecutive hypotheses agree on', () => {
    expect(stablePrefix('patient reports a dry', 'patient reports a drive')).to.equal('patient reports a');
    expect(stablePrefix('', 'patient reports')).to.equal('');
    expect(stablePrefix('Patient, reports', 'patient reports pain')).to.equal('patient reports');
  });

  it('says the words of an overlap once', () => {
    expect(mergeOverlap('ask not what your country', 'your country can do for you')).to.equal('can do for you');
    expect(mergeOverlap('three days.', 'Days of fever')).to.equal('of fever');
    expect(mergeOverlap('no overlap here', 'fresh words')).to.equal('fresh words');
  });
});

describe('TranscriptStore', () => {
  it('never lets a model hypothesis replace a clinician’s correction', () => {
    const store = new TranscriptStore();
    store.upsert({ id: 'a', text: 'metoprolol 25', start: 0, end: 1, final: true });
    store.edit('a', 'metoprolol 25 mg twice daily');
    store.upsert({ id: 'a', text: 'metro pole', start: 0, end: 1, final: true });
    expect(store.get('a')!.text).to.equal('metoprolol 25 mg twice daily');
    expect(store.get('a')!.edited).to.equal(true);
  });

  it('lets a final replace a partial, never the other way round', () => {
    const store = new TranscriptStore();
    store.upsert({ id: 'a', text: 'dry co', start: 0, end: 1, final: false });
    store.upsert({ id: 'a', text: 'dry cough', start: 0, end: 1.2, final: true });
    store.upsert({ id: 'a', text: 'dry co', start: 0, end: 1, final: false });
    expect(store.get('a')!.text).to.equal('dry cough');
  });

  it('orders segments by time and joins the final text', () => {
    const store = new TranscriptStore();
    const events: string[] = [];
    store.addEventListener('slm-transcript', (e) => events.push((e as CustomEvent).detail.segment.id));
    store.upsert({ id: 'b', text: 'second', start: 5, end: 6, final: true });
    store.upsert({ id: 'a', text: 'first', start: 1, end: 2, final: true });
    store.upsert({ id: 'c', text: 'maybe', start: 7, end: 8, final: false });
    expect(store.segments.map((s) => s.id)).to.deep.equal(['a', 'b', 'c']);
    expect(store.text).to.equal('first second');
    expect(events).to.deep.equal(['b', 'a', 'c']);
  });
});
