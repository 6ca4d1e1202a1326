import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ref } from 'lit/directives/ref.js';
import '../src/elements/slm-provider/slm-provider.js';
import type { SlmProvider } from '../src/elements/slm-provider/slm-provider.js';
import { ScriptedAsrBackend, ScriptedLlmBackend, type ScriptedModel } from './support/scripted-backends.js';

/** Points the provider's engine at scripted models (no download, no GPU) and loads them. */
function scripted(llm: ScriptedModel, asr: ScriptedModel = llm, load = true) {
  return (provider: SlmProvider | null) => {
    if (!provider || provider.dataset.scripted) return;
    provider.dataset.scripted = 'true';
    provider.engine.useBackends({ llm: () => new ScriptedLlmBackend(llm), asr: () => new ScriptedAsrBackend(asr) });
    if (load) provider.load().catch(() => undefined);
  };
}

const meta: Meta = {
  title: 'Elements/slm-provider',
  component: 'slm-provider',
  args: { llm: 'qwen2.5-0.5b', asr: 'whisper-base', device: 'auto' },
  parameters: {
    docs: {
      description: {
        component:
          'Owns one engine and shares it with every element inside it. These stories drive the engine with scripted models, so nothing is downloaded; the device line is this browser’s real report.',
      },
    },
  },
};
export default meta;

type Story = StoryObj;

const render = (script: ScriptedModel, asrScript?: ScriptedModel, load = true) => (args: Record<string, unknown>) => html`
  <slm-provider
    llm=${String(args.llm)}
    asr=${String(args.asr)}
    device=${String(args.device)}
    ${refTo(scripted(script, asrScript ?? script, load))}
  ></slm-provider>
`;

const refTo = (callback: (provider: SlmProvider | null) => void) => ref((el) => callback((el as SlmProvider | undefined) ?? null));

/** Nothing loaded yet: models load on `load()`, on first use, or with `autoload`. */
export const Idle: Story = { render: render({}, {}, false) };

/** Downloading, with bytes, a progress bar and the time left. */
export const Loading: Story = { render: render({ downloadSeconds: 600 }, { downloadSeconds: 400, files: [{ file: 'onnx/encoder_model.onnx', bytes: 80_000_000 }, { file: 'onnx/decoder_model_merged_q4.onnx', bytes: 120_000_000 }] }) };

/** Both models ready, with where each runs. */
export const Ready: Story = { render: render({ downloadSeconds: 0.2 }) };

/** The model host cannot be reached: a clear message on the model's row, and an `slm-error` event. */
export const HostUnreachable: Story = {
  render: render({ downloadSeconds: 1, failWith: { code: 'model-host-unreachable', message: 'The model host could not be reached while loading onnx-community/Qwen2.5-0.5B-Instruct. Check the model-host URL and the network.' } }, { downloadSeconds: 0.2 }),
};

/** WebGPU was insisted on where there is none. */
export const WebGpuUnavailable: Story = {
  args: { device: 'webgpu' },
  render: render({ downloadSeconds: 0.1, failWith: { code: 'webgpu-unavailable', message: 'WebGPU was asked for (device="webgpu"), but this browser offers no WebGPU adapter. Use device="auto" to fall back to WASM, or device="wasm".' } }, { downloadSeconds: 0.1 }),
};

/** Streaming through `provider.engine.generate()`, as any element inside the provider would. */
export const Generate: Story = {
  render: (args) => {
    const run = async (event: Event) => {
      const button = event.currentTarget as HTMLButtonElement;
      const provider = button.closest('div')!.querySelector('slm-provider') as SlmProvider;
      const output = button.nextElementSibling as HTMLOutputElement;
      output.textContent = '';
      await provider.engine.generate([{ role: 'user', content: 'Summarise the visit.' }], { onToken: (t) => (output.textContent += t) });
    };
    return html`
      <div>
        ${render({ downloadSeconds: 0.2, tokenDelayMs: 80 })(args)}
        <button @click=${run}>Generate</button>
        <output style="display:block;margin-top:.5rem;white-space:pre-wrap"></output>
      </div>
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
    <div class="themed">${render({ downloadSeconds: 300 })(args)}</div>
  `,
};
