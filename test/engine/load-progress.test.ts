import { expect } from '@open-wc/testing';
import { LoadProgressTracker } from '../../src/engine/load-progress.js';
import { describeProgress } from '../../src/elements/slm-provider/format.js';

describe('LoadProgressTracker', () => {
  it('sums bytes over files and estimates the time left from the download rate', () => {
    let now = 0;
    const tracker = new LoadProgressTracker('llm', 'org/model', () => now);
    tracker.update({ type: 'file', file: 'a.onnx', loadedBytes: 0, totalBytes: 1000, done: false });
    now = 1000;
    const p = tracker.update({ type: 'file', file: 'b.json', loadedBytes: 250, totalBytes: 1000, done: false });
    expect(p.totalBytes).to.equal(2000);
    expect(p.loadedBytes).to.equal(250);
    expect(p.phase).to.equal('download');
    // 250 bytes in 1 s, 1750 to go.
    expect(p.etaSeconds).to.be.closeTo(7, 0.01);
    expect(p.fraction).to.be.closeTo((250 / 2000) * 0.9, 1e-9);
  });

  it('gives no estimate from the first few bytes, or the first second', () => {
    let now = 0;
    const tracker = new LoadProgressTracker('asr', 'org/model', () => now);
    now = 500;
    expect(tracker.update({ type: 'file', file: 'onnx/model.onnx', loadedBytes: 400_000, totalBytes: 700_000, done: false }).etaSeconds).to.equal(null);
    now = 2000;
    expect(tracker.update({ type: 'file', file: 'config.json', loadedBytes: 623, totalBytes: 623, done: true }).etaSeconds).to.be.a('number');
    const fresh = new LoadProgressTracker('asr', 'org/other', () => now);
    now = 4000;
    expect(fresh.update({ type: 'file', file: 'config.json', loadedBytes: 623, totalBytes: 702_000, done: false }).etaSeconds).to.equal(null);
  });

  it('moves to the compile phase once the weights are in, never back, and to 1 when ready', () => {
    const tracker = new LoadProgressTracker('asr', 'org/model');
    tracker.update({ type: 'file', file: 'config.json', loadedBytes: 10, totalBytes: 10, done: true });
    expect(tracker.snapshot().phase).to.equal('download');
    const compiling = tracker.update({ type: 'file', file: 'onnx/model.onnx', loadedBytes: 500, totalBytes: 500, done: true });
    expect(compiling.phase).to.equal('compile');
    expect(compiling.etaSeconds).to.equal(null);
    const late = tracker.update({ type: 'file', file: 'generation_config.json', loadedBytes: 0, totalBytes: 40, done: false });
    expect(late.phase).to.equal('compile');
    expect(late.fraction).to.be.at.least(compiling.fraction);
    expect(tracker.update({ type: 'phase', phase: 'warmup' }).phase).to.equal('warmup');
    const ready = tracker.ready();
    expect(ready.phase).to.equal('ready');
    expect(ready.fraction).to.equal(1);
  });

  it('knows the whole download from the start when the runtime lists the files first', () => {
    const tracker = new LoadProgressTracker('asr', 'org/whisper');
    tracker.update({ type: 'files', files: [
      { file: 'config.json', loadedBytes: 0, totalBytes: 2_000 },
      { file: 'onnx/encoder_model.onnx', loadedBytes: 0, totalBytes: 80_000_000 },
      { file: 'onnx/decoder_model_merged.onnx', loadedBytes: 0, totalBytes: 120_000_000 },
    ] });
    const first = tracker.update({ type: 'file', file: 'config.json', loadedBytes: 2_000, totalBytes: 2_000, done: true });
    expect(first.totalBytes).to.equal(200_002_000);
    expect(first.fraction).to.be.lessThan(0.01);
    // The encoder is in but the decoder is not: still downloading.
    const half = tracker.update({ type: 'file', file: 'onnx/encoder_model.onnx', loadedBytes: 80_000_000, totalBytes: 80_000_000, done: true });
    expect(half.phase).to.equal('download');
    expect(half.fraction).to.be.closeTo(0.9 * (80_002_000 / 200_002_000), 1e-6);
    const all = tracker.update({ type: 'file', file: 'onnx/decoder_model_merged.onnx', loadedBytes: 120_000_000, totalBytes: 120_000_000, done: true });
    expect(all.phase).to.equal('compile');
  });

  it('never lets a file go backwards', () => {
    const tracker = new LoadProgressTracker('llm', 'm');
    tracker.update({ type: 'file', file: 'a', loadedBytes: 800, totalBytes: 1000, done: false });
    const p = tracker.update({ type: 'file', file: 'a', loadedBytes: 100, totalBytes: 1000, done: false });
    expect(p.loadedBytes).to.equal(800);
  });

  it('uses the runtime fraction for runtimes that report phases only', () => {
    const tracker = new LoadProgressTracker('llm', 'webllm-model');
    const p = tracker.update({ type: 'phase', phase: 'compile', fraction: 0.6, text: 'Loading GPU shader modules[3/9]' });
    expect(p.phase).to.equal('compile');
    expect(p.fraction).to.equal(0.6);
    expect(p.text).to.contain('shader');
  });

  it('says while a request waits to be tried again, until bytes flow, without moving the bar', () => {
    const tracker = new LoadProgressTracker('asr', 'org/whisper');
    tracker.update({ type: 'file', file: 'onnx/encoder_model.onnx', loadedBytes: 1_000, totalBytes: 10_000, done: false });
    const waiting = tracker.update({ type: 'retry', file: 'onnx/encoder_model.onnx', attempt: 2, of: 4, delayMs: 1_000 });
    expect(waiting.retrying).to.deep.equal({ file: 'onnx/encoder_model.onnx', attempt: 2, of: 4 });
    expect(waiting.fraction).to.be.closeTo(0.09, 1e-9);
    expect(describeProgress(waiting)).to.equal('Waiting for the model host · retry 2 of 4');
    // A report with no new bytes (a size probe's) does not clear it; bytes do.
    expect(tracker.update({ type: 'file', file: 'onnx/encoder_model.onnx', loadedBytes: 1_000, totalBytes: 10_000, done: false }).retrying).to.deep.equal(waiting.retrying);
    const flowing = tracker.update({ type: 'file', file: 'onnx/encoder_model.onnx', loadedBytes: 2_000, totalBytes: 10_000, done: false });
    expect(flowing.retrying).to.equal(undefined);
    expect(describeProgress(flowing)).to.match(/^Downloading/);
  });

  it('keeps saying a file waits while other files download, until its own bytes flow', () => {
    const tracker = new LoadProgressTracker('asr', 'org/whisper');
    tracker.update({ type: 'file', file: 'onnx/encoder_model.onnx', loadedBytes: 0, totalBytes: 10_000, done: false });
    tracker.update({ type: 'file', file: 'onnx/decoder_model_merged.onnx', loadedBytes: 0, totalBytes: 20_000, done: false });
    tracker.update({ type: 'retry', file: 'onnx/encoder_model.onnx', attempt: 1, of: 4, delayMs: 500 });
    const other = tracker.update({ type: 'file', file: 'onnx/decoder_model_merged.onnx', loadedBytes: 5_000, totalBytes: 20_000, done: false });
    expect(other.retrying).to.deep.equal({ file: 'onnx/encoder_model.onnx', attempt: 1, of: 4 });
    // Two waiting: the latest is shown; when it gets through, the other one still waits.
    tracker.update({ type: 'retry', file: 'onnx/decoder_model_merged.onnx', attempt: 1, of: 4, delayMs: 500 });
    const second = tracker.update({ type: 'retry', file: 'onnx/encoder_model.onnx', attempt: 2, of: 4, delayMs: 1_000 });
    expect(second.retrying).to.deep.equal({ file: 'onnx/encoder_model.onnx', attempt: 2, of: 4 });
    const encoderBack = tracker.update({ type: 'file', file: 'onnx/encoder_model.onnx', loadedBytes: 3_000, totalBytes: 10_000, done: false });
    expect(encoderBack.retrying).to.deep.equal({ file: 'onnx/decoder_model_merged.onnx', attempt: 1, of: 4 });
    expect(tracker.update({ type: 'file', file: 'onnx/decoder_model_merged.onnx', loadedBytes: 20_000, totalBytes: 20_000, done: true }).retrying).to.equal(undefined);
  });

  it('clears a retry at the next step report of a runtime that reports steps (WebLLM)', () => {
    const tracker = new LoadProgressTracker('llm', 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC');
    tracker.update({ type: 'phase', phase: 'download', fraction: 0.1, text: 'Fetching param cache[1/10]' });
    const waiting = tracker.update({ type: 'retry', file: 'params_shard_1.bin', attempt: 1, of: 4, delayMs: 500 });
    expect(describeProgress(waiting)).to.equal('Waiting for the model host · retry 1 of 4');
    expect(waiting.fraction).to.equal(0.1);
    expect(tracker.update({ type: 'phase', phase: 'download', fraction: 0.2, text: 'Fetching param cache[2/10]' }).retrying).to.equal(undefined);
  });
});
