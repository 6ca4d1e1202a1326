import { expect } from '@open-wc/testing';
import { DeferredSessions } from '../../src/engine/workers/deferred-sessions.js';
import { looksLikeOnnxModel } from '../../src/engine/workers/onnx-structure.js';
import { modelHostUrl } from '../support/model-host.js';

type Ort = ConstructorParameters<typeof DeferredSessions>[0];

/** onnxruntime-web's `InferenceSession` as far as the wrapper sees it: a static `create` that counts its builds. */
function fakeOrt() {
  const built: Uint8Array[] = [];
  const released: string[] = [];
  const create = async (bytes: Uint8Array) => {
    built.push(bytes);
    const name = `session ${bytes[0]}`;
    return { inputNames: [`${name} in`], outputNames: [`${name} out`], run: async () => ({ out: name }), release: async () => void released.push(name) };
  };
  const ort = { InferenceSession: { create } } as unknown as Ort;
  return { ort, built, released, create };
}

describe('DeferredSessions: sessions a load hands out at once and builds later', () => {
  const isDecoder = (bytes: Uint8Array) => bytes[0] === 2;

  it('builds other models at once, and hands a stand-in for the deferred one that becomes the session once built', async () => {
    const { ort, built, create } = fakeOrt();
    const sessions = new DeferredSessions(ort, isDecoder);
    const encoder = await ort.InferenceSession.create(new Uint8Array([1]));
    const decoder = await ort.InferenceSession.create(new Uint8Array([2]));
    sessions.restore();
    expect(ort.InferenceSession.create).to.equal(create);
    expect(built.map((b) => b[0])).to.deep.equal([1]);
    expect(encoder.inputNames).to.deep.equal(['session 1 in']);
    expect(sessions.deferred).to.equal(1);
    // Transformers.js sets `config` on every session it makes; it stays readable.
    (decoder as unknown as { config: object }).config = { kind: 'decoder' };
    expect(() => decoder.inputNames).to.throw(/before it was built/);

    await sessions.build();
    await sessions.build();
    expect(built.map((b) => b[0])).to.deep.equal([1, 2]);
    expect(decoder.inputNames).to.deep.equal(['session 2 in']);
    expect(await decoder.run({})).to.deep.equal({ out: 'session 2' });
    expect((decoder as unknown as { config: object }).config).to.deep.equal({ kind: 'decoder' });
  });

  it('never builds a stand-in released before its build, and releases a built one', async () => {
    const first = fakeOrt();
    const early = new DeferredSessions(first.ort, isDecoder);
    const unbuilt = await first.ort.InferenceSession.create(new Uint8Array([2]));
    early.restore();
    await unbuilt.release();
    await early.build();
    expect(first.built).to.have.length(0);

    const second = fakeOrt();
    const late = new DeferredSessions(second.ort, isDecoder);
    const session = await second.ort.InferenceSession.create(new Uint8Array([2]));
    late.restore();
    await late.build();
    await session.release();
    expect(second.released).to.deep.equal(['session 2']);
  });

  it('passes a failed build on to every caller of build()', async () => {
    const { ort } = fakeOrt();
    (ort.InferenceSession as unknown as { create: () => Promise<never> }).create = () => Promise.reject(new Error('No Op registered for MatMuX'));
    const sessions = new DeferredSessions(ort, () => true);
    await ort.InferenceSession.create(new Uint8Array([2]));
    sessions.restore();
    for (const attempt of [sessions.build(), sessions.build()]) {
      const error = await attempt.then(() => null, (caught: Error) => caught);
      expect(error?.message).to.contain('MatMuX');
    }
  });
});

describe('looksLikeOnnxModel: the structure check before a decoder’s build is put off', () => {
  let decoder: Uint8Array;
  let encoder: Uint8Array;
  before(async () => {
    const base = `${await modelHostUrl()}/slm-test/whisper-tiny-random/resolve/main/onnx`;
    decoder = new Uint8Array(await (await fetch(`${base}/decoder_model_merged.onnx`)).arrayBuffer());
    encoder = new Uint8Array(await (await fetch(`${base}/encoder_model.onnx`)).arrayBuffer());
  });

  it('passes whole models', () => {
    expect(looksLikeOnnxModel(decoder)).to.equal(true);
    expect(looksLikeOnnxModel(encoder)).to.equal(true);
  });

  it('fails a model cut short anywhere, or with bytes after its end', () => {
    for (const cut of [1, 7, 100, Math.floor(decoder.length / 2), decoder.length - 1]) {
      expect(looksLikeOnnxModel(decoder.subarray(0, cut)), `cut at ${cut}`).to.equal(false);
    }
    const longer = new Uint8Array(decoder.length + 3);
    longer.set(decoder);
    expect(looksLikeOnnxModel(longer)).to.equal(false);
  });

  it('fails what is not a model: nothing, zeros, an error page, JSON, random bytes', () => {
    const text = (s: string) => new TextEncoder().encode(s);
    expect(looksLikeOnnxModel(new Uint8Array(0))).to.equal(false);
    expect(looksLikeOnnxModel(new Uint8Array(decoder.length))).to.equal(false);
    expect(looksLikeOnnxModel(text('<!doctype html><title>404 Not Found</title>'))).to.equal(false);
    expect(looksLikeOnnxModel(text('{"error": "Entry not found"}'))).to.equal(false);
    for (let i = 0; i < 20; i++) expect(looksLikeOnnxModel(crypto.getRandomValues(new Uint8Array(4096)))).to.equal(false);
  });
});
