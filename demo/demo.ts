import '../src/elements/slm-provider/slm-provider.js';
import '../src/elements/slm-transcriber/slm-transcriber.js';
import '../src/elements/slm-note/slm-note.js';
import '../src/elements/slm-chat/slm-chat.js';
import '../src/elements/slm-visits/slm-visits.js';
import { loadModelRegistry, SlmError, type ModelPreset } from '../src/engine/index.js';
import type { SlmProvider } from '../src/elements/slm-provider/slm-provider.js';
import { formatBytes } from '../src/elements/slm-provider/format.js';

const provider = document.querySelector<SlmProvider>('#provider')!;
const modelsForm = document.querySelector<HTMLFormElement>('#models')!;
const promptForm = document.querySelector<HTMLFormElement>('#prompt')!;
const stopButton = document.querySelector<HTMLButtonElement>('#stop')!;
const answer = document.querySelector<HTMLOutputElement>('#answer')!;
const stats = document.querySelector<HTMLSpanElement>('#stats')!;
const events = document.querySelector<HTMLOListElement>('#events')!;

const TEST_HOST = new URL('/models', location.href).href;

function option(preset: ModelPreset): HTMLOptionElement {
  const size = preset.downloadBytes ? ` · ${formatBytes(preset.downloadBytes)}` : '';
  return new Option(`${preset.label}${size}`, preset.id);
}

async function fillPickers(): Promise<void> {
  const registry = await loadModelRegistry();
  const test = modelsForm.source.value === 'test';
  for (const kind of ['llm', 'asr'] as const) {
    const select = modelsForm.elements.namedItem(kind) as HTMLSelectElement;
    const presets = registry.presets(kind).filter((p) => p.id.startsWith('test-') === test);
    select.replaceChildren(...presets.map(option));
    select.value = test ? `test-${kind}` : kind === 'llm' ? 'qwen2.5-0.5b' : 'whisper-base';
  }
}

let pickersFilled: Promise<void> = Promise.resolve();

function applyModels(): void {
  const data = new FormData(modelsForm);
  const mirror = String(data.get('mirror') ?? '').trim();
  provider.modelHost = data.get('source') === 'test' ? TEST_HOST : mirror || 'https://huggingface.co';
  // Until the pickers are filled they have no value: no model rather than a model called "null".
  provider.llm = (data.get('llm') as string | null) || null;
  provider.asr = (data.get('asr') as string | null) || null;
  provider.device = data.get('device') as SlmProvider['device'];
}

modelsForm.addEventListener('change', (event) => {
  if ((event.target as HTMLInputElement).name === 'source') pickersFilled = fillPickers().then(applyModels);
  else applyModels();
});
modelsForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  await pickersFilled;
  applyModels();
  provider.load().catch(() => undefined);
});

let running: AbortController | null = null;
promptForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  running?.abort();
  running = new AbortController();
  stopButton.disabled = false;
  answer.textContent = '';
  stats.textContent = 'Generating…';
  try {
    const result = await provider.engine.generate([{ role: 'user', content: promptForm.querySelector('textarea')!.value }], {
      maxTokens: 64,
      signal: running.signal,
      onToken: (text) => (answer.textContent += text),
    });
    const s = result.stats;
    stats.textContent = `${s.completionTokens} tokens · ${s.decodeTokensPerSecond.toFixed(1)} tokens/s · first token after ${Math.round(s.timeToFirstTokenMs)} ms`;
  } catch (error) {
    stats.textContent = error instanceof SlmError ? `${error.code}: ${error.message}` : String(error);
  } finally {
    stopButton.disabled = true;
  }
});
stopButton.addEventListener('click', () => running?.abort());

const note = document.querySelector('slm-note')!;
document.querySelector<HTMLSelectElement>('#note-template')!.addEventListener('change', (event) => (note.template = (event.target as HTMLSelectElement).value));

for (const type of ['slm-ready', 'slm-error'] as const) {
  // Errors of the transcriber bubble through the provider too.
  provider.addEventListener(type, (event) => {
    const item = document.createElement('li');
    const { detail } = event as CustomEvent;
    item.textContent = `${type}: ${type === 'slm-error' ? detail.message : detail.placement.modelId}`;
    if (type === 'slm-error' && (detail.code === 'model-host-unreachable' || detail.code === 'model-file-missing')) {
      item.textContent += ' Offline? Switch to the test models above, or enter a self-hosted mirror.';
    }
    events.prepend(item);
  });
}

pickersFilled = fillPickers().then(applyModels);
await pickersFilled;
