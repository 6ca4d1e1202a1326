import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '../src/elements/slm-provider/slm-provider.js';
import '../src/elements/slm-transcriber/slm-transcriber.js';
import '../src/elements/slm-note/slm-note.js';
import '../src/elements/slm-chat/slm-chat.js';

const meta: Meta = {
  title: 'Live/Real models',
  parameters: {
    docs: {
      description: {
        component:
          'The elements with real models from the Hugging Face hub (or the mirror you enter): Qwen2.5 0.5B (about 280 MB on WebGPU through WebLLM, or its ONNX build on WASM) and Whisper base (about 80 MB). Nothing downloads until you press Load in the provider panel; files are kept in Cache Storage for the next time. Needs a network connection to the model host.',
      },
    },
  },
  args: { modelHost: 'https://huggingface.co', llm: 'qwen2.5-0.5b', asr: 'whisper-base' },
};
export default meta;

/** Press “Load”, then Record, and watch the note and ask the chat. */
export const ClinicDictation: StoryObj = {
  render: (args) => html`
    <slm-provider llm=${String(args.llm)} asr=${String(args.asr)} model-host=${String(args.modelHost)}>
      <div style="display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:1.5rem;align-items:start">
        <slm-transcriber></slm-transcriber>
        <slm-note></slm-note>
      </div>
      <slm-chat style="margin-top:1rem"></slm-chat>
    </slm-provider>
  `,
};
