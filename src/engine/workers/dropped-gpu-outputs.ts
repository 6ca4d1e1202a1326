/**
 * Frees the GPU tensors that Transformers.js's encoder-decoder generation drops without
 * disposing (its issue #1739, Whisper on WebGPU).
 *
 * On WebGPU the library asks onnxruntime to leave a decoder's `present.*` outputs on the GPU.
 * Each step, `getPastKeyValues` keeps the cross-attention keys and values of the first step and
 * drops the copies the decoder returns again on every later step (a merged decoder's cache
 * branch returns them; a decoder without cross-attention inputs recomputes them). A GPU tensor
 * is only freed by `dispose()`, never by the garbage collector (onnxruntime holds it), so every
 * step of every reading left its copies allocated: about 1.3 MiB a reading with the test
 * fixture, hundreds of MB a 30 s window with a real Whisper (#1739).
 *
 * The library's cache `update()` and the end of `generate()` already dispose what they replace
 * or no longer return, so disposing again is harmless (onnxruntime's `dispose` runs once).
 */

/** The parts of a Transformers.js tensor this reads. */
interface MaybeGpuTensor {
  location?: string;
  dispose?: () => void;
}

/** A pipeline's model: its `forward` is called once per generation step. */
interface SteppedModel {
  forward: (...args: unknown[]) => Promise<unknown>;
}

/** The GPU outputs of a model's steps that are still allocated. */
export interface GpuOutputs {
  /**
   * Frees every GPU output of the steps since the last call: for the end of a reading, when
   * nothing the model returned on the GPU is used any more (the text is already decoded).
   */
  releaseAll(): void;
}

const onGpu = (value: unknown): value is Required<MaybeGpuTensor> =>
  typeof value === 'object' && value !== null && (value as MaybeGpuTensor).location === 'gpu-buffer' && typeof (value as MaybeGpuTensor).dispose === 'function';

/** Every tensor a step's inputs hold, one level into containers (the cache is a `DynamicCache` of tensors). */
function heldBy(inputs: unknown): Set<unknown> {
  const held = new Set<unknown>();
  if (typeof inputs !== 'object' || inputs === null) return held;
  for (const value of Object.values(inputs)) {
    held.add(value);
    if (typeof value === 'object' && value !== null && !ArrayBuffer.isView(value)) for (const inner of Object.values(value)) held.add(inner);
  }
  return held;
}

/**
 * Wraps `model.forward`: before each step, the GPU outputs of earlier steps that the step's
 * inputs no longer hold are freed (generation has dropped them; it only carries outputs
 * forward through the inputs of the next step).
 */
export function freeDroppedGpuOutputs(model: SteppedModel): GpuOutputs {
  const forward = model.forward.bind(model);
  let live = new Set<Required<MaybeGpuTensor>>();
  // One the library freed already no longer says it is on the GPU.
  const free = (tensor: Required<MaybeGpuTensor>) => {
    if (tensor.location === 'gpu-buffer') tensor.dispose();
  };
  model.forward = async (...args: unknown[]) => {
    if (live.size > 0) {
      const held = heldBy(args[0]);
      for (const tensor of live) {
        if (held.has(tensor)) continue;
        live.delete(tensor);
        free(tensor);
      }
    }
    const outputs = await forward(...args);
    if (typeof outputs === 'object' && outputs !== null) for (const value of Object.values(outputs)) if (onGpu(value)) live.add(value);
    return outputs;
  };
  return {
    releaseAll() {
      const left = live;
      live = new Set();
      for (const tensor of left) free(tensor);
    },
  };
}
