import { expect, html, waitUntil } from '@open-wc/testing';
import { render } from 'lit';
import '../../src/elements/slm-provider/slm-provider.js';
import type { SlmProvider } from '../../src/elements/slm-provider/slm-provider.js';
import { modelHostUrl, TEST_ASR } from '../support/model-host.js';

/** Resolves after the tasks already queued (a timer set now runs after every timer set before it). */
const nextTask = () => new Promise((resolve) => setTimeout(resolve));

describe('<slm-provider> removed from the page', () => {
  let container: HTMLElement;
  let provider: SlmProvider;
  let terminate: typeof Worker.prototype.terminate;
  let terminated: number;

  beforeEach(async () => {
    // Every worker ended, counted where the engine's clients end them.
    terminate = Worker.prototype.terminate;
    terminated = 0;
    Worker.prototype.terminate = function (this: Worker) {
      terminated++;
      return terminate.call(this);
    };
    container = document.createElement('div');
    render(html`<slm-provider asr=${TEST_ASR} model-host=${await modelHostUrl()}></slm-provider>`, container);
    document.body.append(container);
    provider = container.querySelector('slm-provider')!;
    await provider.load(['asr']);
  });

  afterEach(async () => {
    Worker.prototype.terminate = terminate;
    await provider.engine.dispose();
    provider.remove();
    container.remove();
  });

  it('keeps its models when it is moved (disconnected and connected in one task)', async () => {
    const other = document.createElement('section');
    document.body.append(other);
    try {
      other.append(provider);
      await nextTask();
      await nextTask();
      expect(provider.engine.state('asr').status).to.equal('ready');
      expect(terminated).to.equal(0);
    } finally {
      container.append(provider);
      other.remove();
    }
  });

  it('disposes its engine when removed: the models unload and their workers end; put back, it loads again on request', async () => {
    provider.remove();
    await waitUntil(() => provider.engine.state('asr').status === 'idle', 'the speech model stayed loaded', { timeout: 20_000 });
    await waitUntil(() => terminated > 0, 'the speech worker was not ended', { timeout: 20_000 });
    container.append(provider);
    await provider.load(['asr']);
    expect(provider.engine.state('asr').status).to.equal('ready');
  });
});
