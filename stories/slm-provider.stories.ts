import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import '../src/elements/slm-provider/slm-provider.js';
import type { SlmProvider } from '../src/elements/slm-provider/slm-provider.js';
import type { DevicePreference, ModelDtype } from '../src/engine/types.js';
import { isAbort } from '../src/errors/slm-error.js';
import { scriptedEngine, type EngineScript } from './support/scripted-backends.js';

/** The attributes the stories set, named as in HTML, plus the event actions from the manifest. */
interface ProviderArgs {
  llm: string;
  asr: string;
  device: DevicePreference;
  'model-host'?: string;
  'llm-dtype'?: ModelDtype;
  'asr-dtype'?: ModelDtype;
  autoload?: boolean;
  'hide-status'?: boolean;
  onSlmLoadProgress?: (event: Event) => void;
  onSlmReady?: (event: Event) => void;
  onSlmError?: (event: Event) => void;
}

const dtype = { control: 'select', options: ['q4f16', 'q4f32', 'q4', 'q8', 'fp16', 'fp32'] } as const;
// The stories set attributes; the properties of the same names are listed for the docs only.
const docsOnly = { control: false } as const;
const argTypes = {
  device: { control: 'inline-radio', options: ['auto', 'webgpu', 'wasm'] },
  'llm-dtype': dtype,
  'asr-dtype': dtype,
  modelHost: docsOnly,
  llmDtype: docsOnly,
  asrDtype: docsOnly,
  hideStatus: docsOnly,
  engine: docsOnly,
} as const;

const meta: Meta<ProviderArgs> = {
  title: 'Elements/slm-provider',
  component: 'slm-provider',
  args: { llm: 'qwen2.5-0.5b', asr: 'whisper-base', device: 'auto', autoload: false, 'hide-status': false },
  argTypes,
  parameters: {
    docs: {
      description: {
        component:
          'Owns one engine and shares it with every element inside it. These stories drive the engine with scripted models ' +
          '(`engine.useBackends()`), so nothing is downloaded and no GPU is used; the device line is this browser’s real report.',
      },
    },
  },
};
export default meta;

type Story = StoryObj<ProviderArgs>;

/** A provider whose engine runs the given script; `content` goes in its default slot. */
const provider = (script: EngineScript, content: unknown = '') => (args: ProviderArgs) => html`
  <slm-provider
    llm=${ifDefined(args.llm || undefined)}
    asr=${ifDefined(args.asr || undefined)}
    device=${args.device}
    model-host=${ifDefined(args['model-host'] || undefined)}
    llm-dtype=${ifDefined(args['llm-dtype'])}
    asr-dtype=${ifDefined(args['asr-dtype'])}
    ?autoload=${args.autoload}
    ?hide-status=${args['hide-status']}
    @slm-load-progress=${args.onSlmLoadProgress}
    @slm-ready=${args.onSlmReady}
    @slm-error=${args.onSlmError}
    ${scriptedEngine(script)}
    >${content}</slm-provider
  >
`;

/** Nothing loaded yet: models load on `load()`, on first use, or with `autoload` (try the control). */
export const Idle: Story = { render: provider({ load: false }) };

/**
 * A first visit on a home connection: the small JSON files, then the weights in parallel,
 * with bytes, a progress bar and the time left (estimated from the rate so far).
 */
export const Loading: Story = {
  render: provider({
    llm: { downloadSeconds: 180, progress: 'files' },
    asr: { downloadSeconds: 150, progress: 'files' },
    load: true,
  }),
};

/** Both models ready, each with where it runs and in which weight format. */
export const Ready: Story = {
  render: provider({ llm: { downloadSeconds: 0.4, compileMs: 150, warmupMs: 100 }, asr: { downloadSeconds: 0.3, compileMs: 150, warmupMs: 100 }, load: true }),
};

/**
 * A self-hosted mirror that cannot be reached: each model's row says so and what to check,
 * and `slm-error` fires with `code: 'model-host-unreachable'` (see the Actions panel).
 */
export const HostUnreachable: Story = {
  name: 'Error: host unreachable',
  args: { 'model-host': 'https://models.clinic.example' },
  render: provider({
    llm: { failWith: { code: 'model-host-unreachable' } },
    asr: { failWith: { code: 'model-host-unreachable' } },
    load: true,
  }),
};

/**
 * `device="webgpu"` where the browser has no WebGPU: the load fails at once with
 * `webgpu-unavailable` rather than falling back. (Scripted, so it shows on any machine.)
 */
export const WebGpuUnavailable: Story = {
  name: 'WebGPU unavailable',
  args: { device: 'webgpu' },
  render: provider({
    llm: { failWith: { code: 'webgpu-unavailable' } },
    asr: { failWith: { code: 'webgpu-unavailable' } },
    load: true,
  }),
};

/** A prompt answered through `provider.engine.generate()`, streamed token by token, as any element inside the provider would. */
export const Generate: Story = {
  args: { asr: '' },
  render: (args) => {
    let running: AbortController | null = null;
    const form = (event: Event) => (event.target as HTMLElement).closest('form')!;
    const submit = async (event: SubmitEvent) => {
      event.preventDefault();
      const ui = form(event);
      const engine = ui.closest<SlmProvider>('slm-provider')!.engine;
      const output = ui.querySelector('output')!;
      const stats = ui.querySelector('.stats')!;
      const prompt = ui.querySelector('textarea')!.value;
      running?.abort();
      const controller = (running = new AbortController());
      ui.toggleAttribute('data-running', true);
      output.textContent = '';
      stats.textContent = 'Reading the prompt…';
      try {
        const result = await engine.generate([{ role: 'user', content: prompt }], {
          signal: controller.signal,
          onToken: (token) => {
            output.textContent += token;
            stats.textContent = 'Writing…';
          },
        });
        const { completionTokens, decodeTokensPerSecond, timeToFirstTokenMs } = result.stats;
        stats.textContent = `${completionTokens} tokens · ${decodeTokensPerSecond.toFixed(1)} tokens/s · first token after ${Math.round(timeToFirstTokenMs)} ms`;
      } catch (error) {
        stats.textContent = isAbort(error) ? 'Stopped.' : `Failed: ${(error as Error).message}`;
      } finally {
        if (running === controller) ui.toggleAttribute('data-running', false);
      }
    };
    const stop = () => running?.abort();
    return html`
      <style>
        .prompt {
          display: grid;
          gap: 0.5rem;
          margin-top: 1rem;
          font-family: system-ui, sans-serif;
          max-width: 40rem;
        }
        .prompt textarea {
          font: inherit;
          min-height: 4rem;
        }
        .prompt output {
          min-height: 3rem;
          white-space: pre-wrap;
          line-height: 1.5;
        }
        .prompt .stats {
          color: #59636e;
          font-size: 0.875rem;
        }
        .prompt:not([data-running]) .stop,
        .prompt[data-running] .go {
          display: none;
        }
      </style>
      ${provider(
        { llm: { downloadSeconds: 2, compileMs: 300, warmupMs: 200 }, load: true },
        html`
          <form class="prompt" @submit=${submit}>
            <label for="prompt">Prompt</label>
            <textarea id="prompt">Summarise the visit in two sentences for the referral letter.</textarea>
            <div>
              <button class="go" type="submit">Generate</button>
              <button class="stop" type="button" @click=${stop}>Stop</button>
            </div>
            <output for="prompt" aria-live="polite"></output>
            <div class="stats"></div>
          </form>
        `,
      )(args)}
    `;
  },
};

/** Restyled through its custom properties and parts. */
export const Themed: Story = {
  render: (args) => html`
    <style>
      .themed slm-provider {
        --slm-color-accent: #2e7d32;
        --slm-color-surface: #eef6ee;
        --slm-radius: 12px;
      }
      .themed slm-provider::part(device) {
        font-style: italic;
      }
    </style>
    <div class="themed">${provider({ llm: { downloadSeconds: 240, progress: 'files' }, asr: { downloadSeconds: 200, progress: 'files' }, load: true })(args)}</div>
  `,
};
