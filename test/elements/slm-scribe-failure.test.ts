import { expect } from '@open-wc/testing';
import { failureFor } from '../../src/elements/slm-scribe/internal/failure-text.js';
import { errorMessage } from '../../src/engine/backends/runtime-errors.js';
import { integrityError } from '../../src/engine/model-files/integrity.js';

describe('<slm-scribe> failure text', () => {
  const model = 'onnx-community/whisper-base';

  it('puts developer-facing messages in a clinician’s words, keeps them as the technical detail, and advises once', () => {
    const messages = {
      ...Object.fromEntries((['model-host-unreachable', 'webgpu-unavailable', 'wasm-unavailable', 'out-of-memory', 'device-lost'] as const).map((code) => [code, errorMessage(code, model, 'Error: the runtime’s words')])),
      'model-integrity': integrityError('onnx/encoder_model.onnx', model, 'the runtime’s words').message,
    };
    for (const [code, message] of Object.entries(messages)) {
      const { problem, remedy, technical } = failureFor({ code, message, modelId: model });
      expect(technical, code).to.equal(message);
      expect(problem, code).not.to.equal(message);
      expect(`${problem} ${remedy}`, code).not.to.match(/device="|model-host URL|wasmPaths|update the pin|runtime’s words/);
      expect(remedy, code).to.have.length.greaterThan(20);
    }
    expect(failureFor({ code: 'model-host-unreachable', message: 'x', modelId: model }).problem).to.include(model);
    expect(failureFor({ code: 'wasm-unavailable', message: 'x' }).remedy).to.match(/whoever set up this app/);
  });

  it('shows other messages as they are, with no technical detail', () => {
    const message = errorMessage('model-file-missing', model, 'Error: Could not locate file onnx/encoder_model.onnx');
    expect(failureFor({ code: 'model-file-missing', message, modelId: model })).to.deep.equal({
      problem: message,
      remedy: 'The model name or mirror is wrong: ask whoever set up this app to check the model settings.',
      technical: null,
    });
  });

  it('says microphone and storage trouble plainly too, its advice once (the alert above the workspace)', () => {
    const denied = failureFor({ code: 'mic-denied', message: 'Microphone access was refused. Allow it in the browser’s site settings to dictate.' });
    expect(denied.problem).to.equal('Microphone access was refused.');
    expect(`${denied.problem} ${denied.remedy}`.match(/Allow/g)).to.have.length(1);
    expect(denied.technical).to.include('site settings');
    const full = failureFor({ code: 'storage-quota', message: 'The storage quota is exceeded.' });
    expect(`${full.problem} ${full.remedy}`).to.match(/^Storage is full\. .*export and erase old visits/);
  });
});
