import { html } from '@open-wc/testing';
import { render } from 'lit';
import '../../src/elements/slm-provider/slm-provider.js';
import '../../src/elements/slm-transcriber/slm-transcriber.js';
import type { SlmProvider } from '../../src/elements/slm-provider/slm-provider.js';
import type { SlmTranscriber } from '../../src/elements/slm-transcriber/slm-transcriber.js';
import { modelHostUrl } from './model-host.js';

export interface MountedTranscriber {
  provider: SlmProvider;
  transcriber: SlmTranscriber;
}

/**
 * One provider with a transcriber inside, for a whole test file (the speech model loads once;
 * open-wc's fixture() would remove it after the first test); `configure` sets more of the
 * provider before its first update. Each test starts with no recording and an empty
 * transcript; the engine is disposed after the last.
 */
export function useTranscriber(asr: string, configure?: (provider: SlmProvider) => void): MountedTranscriber {
  const mounted = {} as MountedTranscriber;
  before(async () => {
    const host = document.createElement('div');
    render(html`<slm-provider asr=${asr} model-host=${await modelHostUrl()}><slm-transcriber></slm-transcriber></slm-provider>`, host);
    document.body.append(host);
    mounted.provider = host.querySelector('slm-provider')!;
    mounted.transcriber = mounted.provider.querySelector('slm-transcriber')!;
    configure?.(mounted.provider);
    await mounted.provider.updateComplete;
  });
  // A recording left running by a test that timed out would write into the next one's transcript.
  beforeEach(async () => {
    await mounted.transcriber.stop();
    mounted.provider.session.transcript.clear();
  });
  after(async () => {
    await mounted.provider.engine.dispose();
    mounted.provider.parentElement!.remove();
  });
  return mounted;
}
