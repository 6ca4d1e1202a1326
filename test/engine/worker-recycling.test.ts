import { expect } from '@open-wc/testing';
import type { AsrBackend, LoadOptions } from '../../src/engine/backends/backend.js';
import { SlmEngine, type DebugDetail } from '../../src/engine/slm-engine.js';
import type { TranscriptionResult } from '../../src/engine/types.js';
import type { WorkerRecycledDetail } from '../../src/engine/worker-recycling.js';
import type { WorkerMemory } from '../../src/engine/workers/memory-meter.js';
import { SlmError } from '../../src/errors/slm-error.js';
import { loadAudio } from '../support/audio.js';
import { modelHostUrl, TEST_ASR } from '../support/model-host.js';

const MiB = 2 ** 20;

/**
 * Speech backends whose "worker" grows by a fixed amount per reading, as a leaking runtime
 * does; each reading is logged with the worker that did it, and a worker used after it was
 * let go throws, as a terminated one would.
 */
class LeakingWorkers {
  made = 0;
  readings: Array<{ worker: number; clip: number }> = [];
  constructor(private readonly growth: Partial<WorkerMemory>) {}

  asr = (): AsrBackend => {
    const worker = ++this.made;
    let grown = 0;
    let gone = false;
    const memory = (): WorkerMemory => ({
      wasmHeapBytes: 100 * MiB + grown * (this.growth.wasmHeapBytes ?? 0),
      gpuBufferBytes: 50 * MiB + grown * (this.growth.gpuBufferBytes ?? 0),
      gpuBuffers: 10 + grown,
    });
    return {
      load: async ({ signal }: LoadOptions) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        if (signal?.aborted) throw new SlmError('aborted', 'cancelled');
      },
      unload: async () => {
        gone = true;
      },
      memory: async () => memory(),
      transcribe: async (audio: Float32Array): Promise<TranscriptionResult> => {
        if (gone) throw new SlmError('aborted', `worker ${worker} was used after it was let go`);
        this.readings.push({ worker, clip: audio[0] });
        grown++;
        return { text: `clip ${audio[0]}`, durationSeconds: audio.length / 16_000, elapsedMs: 1 };
      },
    };
  };
}

const clip = (n: number) => new Float32Array(1_600).fill(n);

function recycles(engine: SlmEngine): WorkerRecycledDetail[] {
  const seen: WorkerRecycledDetail[] = [];
  engine.addEventListener('slm-debug', (event) => {
    const detail: DebugDetail = event.detail;
    if (detail.kind === 'worker-recycled') seen.push(detail);
  });
  return seen;
}

describe('speech worker recycling', () => {
  it('replaces a worker whose WebAssembly heap grew past the limit between readings: none lost, reordered or read twice', async () => {
    const workers = new LeakingWorkers({ wasmHeapBytes: 10 * MiB });
    const engine = new SlmEngine({ asr: 'test-asr', recycleLimits: { wasmHeapGrowth: 25 * MiB }, backendFactory: { asr: workers.asr } });
    const seen = recycles(engine);
    // All at once: the scheduler queues them, and each waits for any recycle before it.
    const results = await Promise.all([0, 1, 2, 3, 4, 5, 6].map((n) => engine.transcribe(clip(n))));

    expect(results.map((r) => r.text)).to.deep.equal([0, 1, 2, 3, 4, 5, 6].map((n) => `clip ${n}`));
    // 30 MiB > 25 after the third reading of each worker.
    expect(workers.readings).to.deep.equal([
      { worker: 1, clip: 0 },
      { worker: 1, clip: 1 },
      { worker: 1, clip: 2 },
      { worker: 2, clip: 3 },
      { worker: 2, clip: 4 },
      { worker: 2, clip: 5 },
      { worker: 3, clip: 6 },
    ]);
    expect(seen.map((d) => [d.role, d.reason, d.readings])).to.deep.equal([
      ['asr', 'wasm-heap', 3],
      ['asr', 'wasm-heap', 3],
    ]);
    expect(seen[0].baseline!.wasmHeapBytes).to.equal(100 * MiB);
    expect(seen[0].memory!.wasmHeapBytes).to.equal(130 * MiB);
    expect(seen[0].fresh!.wasmHeapBytes).to.equal(100 * MiB);
    expect(seen[0].message).to.match(/speech model's worker was replaced.*WebAssembly heap grew from 100\.0 MiB to 130\.0 MiB over 3 readings \(limit 25\.0 MiB\)/);
    const report = engine.slot('asr').workerMemory!;
    expect(report.recycles).to.equal(2);
    // The slot never left `ready`: nothing on screen says "loading" for a recycle.
    expect(engine.state('asr').status).to.equal('ready');
    await engine.dispose();
  });

  it('recycles on growth of live GPU buffers, and after N readings where memory cannot be measured', async () => {
    const gpu = new LeakingWorkers({ gpuBufferBytes: 300 * MiB });
    const engine = new SlmEngine({ asr: 'test-asr', backendFactory: { asr: gpu.asr } });
    const seen = recycles(engine);
    for (const n of [0, 1, 2]) await engine.transcribe(clip(n));
    // The default limit (512 MiB) is passed on the second reading: 600 MiB more.
    expect(seen.map((d) => d.reason)).to.deep.equal(['gpu-buffers']);
    expect(gpu.readings.map((r) => r.worker)).to.deep.equal([1, 1, 2]);
    await engine.dispose();

    // A backend that cannot say what it holds: only the reading count applies.
    const blind = new LeakingWorkers({});
    const counted = new SlmEngine({
      asr: 'test-asr',
      recycleLimits: { readings: 2 },
      backendFactory: { asr: () => ({ ...blind.asr(), memory: undefined }) },
    });
    const counts = recycles(counted);
    for (const n of [0, 1, 2, 3, 4]) await counted.transcribe(clip(n));
    expect(blind.readings.map((r) => r.worker)).to.deep.equal([1, 1, 2, 2, 3]);
    expect(counts.map((d) => [d.reason, d.baseline?.wasmHeapBytes ?? null])).to.deep.equal([
      ['readings', null],
      ['readings', null],
    ]);
    await counted.dispose();
  });

  it('leaves a worker alone under the default limits while it stays flat, and applies a new limit from the next reading', async () => {
    const workers = new LeakingWorkers({ wasmHeapBytes: MiB });
    const engine = new SlmEngine({ asr: 'test-asr', backendFactory: { asr: workers.asr } });
    const seen = recycles(engine);
    for (const n of [0, 1, 2, 3]) await engine.transcribe(clip(n));
    expect(seen).to.have.length(0);
    expect(workers.made).to.equal(1);
    engine.configure({ recycleLimits: { wasmHeapGrowth: 4 * MiB } });
    await engine.transcribe(clip(4));
    await engine.transcribe(clip(5));
    // No reload for the new limit itself; the fifth reading passed it (5 MiB > 4).
    expect(seen.map((d) => d.readings)).to.deep.equal([5]);
    expect(workers.readings.map((r) => r.worker)).to.deep.equal([1, 1, 1, 1, 1, 2]);
    await engine.dispose();
  });

  it('refuses a limit that is not a number of bytes or readings with invalid-argument', () => {
    for (const recycleLimits of [{ wasmHeapGrowth: -1 }, { readings: Number.NaN }, { gpuBufferGrowth: '1' as unknown as number }]) {
      let refused: unknown;
      try {
        new SlmEngine({ recycleLimits });
      } catch (error) {
        refused = error;
      }
      expect((refused as SlmError).code, JSON.stringify(recycleLimits)).to.equal('invalid-argument');
      expect((refused as SlmError).message).to.match(/recycleLimits\.\w+ must be a number/);
    }
  });
});

describe('speech worker recycling with the fixture Whisper on WASM', () => {
  let plain: SlmEngine;
  let recycled: SlmEngine;
  before(async () => {
    const modelHost = await modelHostUrl();
    plain = new SlmEngine({ asr: TEST_ASR, modelHost, device: 'wasm' });
    recycled = new SlmEngine({ asr: TEST_ASR, modelHost, device: 'wasm', recycleLimits: { readings: 2 } });
  });
  after(async () => {
    await plain.dispose();
    await recycled.dispose();
  });

  it("measures the worker's WebAssembly heap after its load and after each reading", async () => {
    const audio = await loadAudio('/test/fixtures/audio/jfk.wav');
    await plain.transcribe(audio.subarray(0, 16_000 * 2));
    await plain.slot('asr').settled();
    const report = plain.slot('asr').workerMemory!;
    // onnxruntime's heap holds the model: megabytes, not nothing.
    expect(report.baseline!.wasmHeapBytes).to.be.greaterThan(MiB);
    expect(report.latest!.wasmHeapBytes).to.be.at.least(report.baseline!.wasmHeapBytes!);
    expect(report.readings).to.be.greaterThan(0);
    expect(plain.slot('llm').workerMemory).to.equal(null);
  });

  it('writes the same text for every window with a fresh worker after every two readings as with one worker', async function () {
    // A fresh worker compiles onnxruntime's WebAssembly again: about 30 s on this busy machine.
    this.timeout(300_000);
    const audio = await loadAudio('/test/fixtures/audio/jfk.wav');
    const windows = [0, 2, 4, 6, 8].map((s) => audio.slice(16_000 * s, 16_000 * (s + 2)));
    const seen = recycles(recycled);
    const expected: string[] = [];
    for (const w of windows) expected.push((await plain.transcribe(w)).text);
    const got = await Promise.all(windows.map((w) => recycled.transcribe(w)));

    expect(got.map((r) => r.text)).to.deep.equal(expected);
    await recycled.slot('asr').settled();
    // After the second and the fourth reading; the fifth is the fresh worker's first.
    expect(seen.map((d) => d.readings)).to.deep.equal([2, 2]);
    expect(seen.every((d) => d.reason === 'readings' && d.fresh!.wasmHeapBytes! > 0)).to.equal(true);
    expect(recycled.slot('asr').workerMemory).to.include({ readings: 1, recycles: 2 });
    expect(recycled.state('asr').status).to.equal('ready');
  });
});
