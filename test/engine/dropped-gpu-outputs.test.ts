import { expect } from '@open-wc/testing';
import { freeDroppedGpuOutputs } from '../../src/engine/workers/dropped-gpu-outputs.js';

/** A stand-in for an onnxruntime tensor left on the GPU: freed by `dispose()` only. */
class GpuTensor {
  location = 'gpu-buffer';
  disposals = 0;
  constructor(readonly name: string) {}
  dispose() {
    this.disposals++;
    this.location = 'none';
  }
}

/**
 * A merged Whisper decoder as Transformers.js drives it on WebGPU: every step returns the
 * decoder's and the encoder's keys and values on the GPU; the loop keeps the first step's
 * encoder ones and the latest decoder ones (disposing the decoder ones it replaces, as
 * `DynamicCache.update` does) and drops the encoder copies of later steps.
 */
function whisperLike() {
  const made: GpuTensor[] = [];
  let step = 0;
  const model = {
    // The inputs (the cache a step is given) matter only to the function under test.
    forward: async (..._inputs: unknown[]): Promise<unknown> => {
      step++;
      const out = (name: string) => {
        const tensor = new GpuTensor(`${name}@${step}`);
        made.push(tensor);
        return tensor;
      };
      return { logits: { location: 'cpu' }, 'present.0.decoder.key': out('decoder'), 'present.0.encoder.key': out('encoder') };
    },
  };
  async function generate(steps: number) {
    const cache: Record<string, GpuTensor> = {};
    for (let i = 0; i < steps; i++) {
      const outputs = (await model.forward(i === 0 ? {} : { past_key_values: cache })) as Record<string, GpuTensor>;
      cache['past_key_values.0.decoder.key']?.dispose();
      cache['past_key_values.0.decoder.key'] = outputs['present.0.decoder.key'];
      cache['past_key_values.0.encoder.key'] ??= outputs['present.0.encoder.key'];
    }
    // The end of generate(): the cache is freed.
    for (const tensor of Object.values(cache)) tensor.dispose();
  }
  return { model, made, generate };
}

const alive = (tensors: GpuTensor[]) => tensors.filter((t) => t.location === 'gpu-buffer').map((t) => t.name);

describe('freeing the GPU outputs generation drops', () => {
  it('leaves nothing on the GPU after a reading where generation alone leaks a copy a step', async () => {
    const unwatched = whisperLike();
    await unwatched.generate(5);
    // Without it: the encoder copies of steps 2 to 5 are never freed (Transformers.js #1739).
    expect(alive(unwatched.made)).to.deep.equal(['encoder@2', 'encoder@3', 'encoder@4', 'encoder@5']);

    const watched = whisperLike();
    const outputs = freeDroppedGpuOutputs(watched.model);
    await watched.generate(5);
    outputs.releaseAll();
    expect(alive(watched.made)).to.deep.equal([]);
  });

  it('frees a dropped copy at the next step, and never what the next step is given', async () => {
    const { model, made } = whisperLike();
    freeDroppedGpuOutputs(model);
    const first = (await model.forward({})) as Record<string, GpuTensor>;
    const cache = { 'past_key_values.0.decoder.key': first['present.0.decoder.key'], 'past_key_values.0.encoder.key': first['present.0.encoder.key'] };
    await model.forward({ past_key_values: cache });
    await model.forward({ past_key_values: cache });
    // The step-2 copies are dropped (not in the cache) and freed when step 3 starts; the cache's are kept.
    expect(alive(made)).to.deep.equal(['decoder@1', 'encoder@1', 'decoder@3', 'encoder@3']);
  });

  it('frees each tensor once, also those the library freed itself', async () => {
    const { model, made, generate } = whisperLike();
    const outputs = freeDroppedGpuOutputs(model);
    await generate(4);
    outputs.releaseAll();
    outputs.releaseAll();
    expect(made.every((t) => t.disposals === 1)).to.equal(true);
  });

  it('frees what a reading that failed part-way left', async () => {
    const { model, made } = whisperLike();
    const outputs = freeDroppedGpuOutputs(model);
    await model.forward({});
    // generate() threw here: its cache was never freed.
    outputs.releaseAll();
    expect(alive(made)).to.deep.equal([]);
  });
});
