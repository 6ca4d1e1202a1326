import '../src/elements/slm-provider/slm-provider.js';
import '../src/elements/slm-transcriber/slm-transcriber.js';
import '../src/elements/slm-note/slm-note.js';
import '../src/elements/slm-chat/slm-chat.js';
import '../src/elements/slm-visits/slm-visits.js';
import { loadModelRegistry, planPlacement, SlmError, type DeviceReport, type ModelPreset } from '../src/engine/index.js';
import type { SlmProvider } from '../src/elements/slm-provider/slm-provider.js';
import { formatBytes } from '../src/elements/slm-provider/format.js';

const provider = document.querySelector<SlmProvider>('#provider')!;
const modelsForm = document.querySelector<HTMLFormElement>('#models')!;
const promptForm = document.querySelector<HTMLFormElement>('#prompt')!;
const stopButton = document.querySelector<HTMLButtonElement>('#stop')!;
const answer = document.querySelector<HTMLOutputElement>('#answer')!;
const stats = document.querySelector<HTMLSpanElement>('#stats')!;
const events = document.querySelector<HTMLOListElement>('#events')!;
const modelsHint = document.querySelector<HTMLParagraphElement>('#models-hint')!;

const TEST_HOST = new URL('/models', location.href).href;

/** The picker says how big a model is and whether this device can run it, before anything loads. */
function option(preset: ModelPreset, report: DeviceReport): HTMLOptionElement {
  const size = preset.downloadBytes ? ` · ${formatBytes(preset.downloadBytes)}` : '';
  let where: string;
  try {
    const plan = planPlacement(report, { llm: preset.kind === 'llm' ? preset : null, asr: preset.kind === 'asr' ? preset : null, device: 'auto' });
    const placement = plan[preset.kind]!;
    where = ` · runs on ${placement.backend === 'webgpu' ? 'WebGPU' : placement.backend === 'wasm' ? 'CPU (WASM)' : 'WebNN'}`;
  } catch {
    where = ' · needs WebGPU';
  }
  const item = new Option(`${preset.label}${size}${where}`, preset.id);
  item.disabled = where === ' · needs WebGPU';
  return item;
}

async function fillPickers(): Promise<void> {
  const [registry, report] = await Promise.all([loadModelRegistry(), provider.engine.device()]);
  const test = modelsForm.source.value === 'test';
  for (const kind of ['llm', 'asr'] as const) {
    const select = modelsForm.elements.namedItem(kind) as HTMLSelectElement;
    const presets = registry.presets(kind).filter((p) => p.id.startsWith('test-') === test);
    select.replaceChildren(...presets.map((preset) => option(preset, report)));
    select.value = test ? `test-${kind}` : kind === 'llm' ? 'qwen2.5-0.5b' : 'whisper-base';
  }
  // A fast model for the words that appear while someone speaks (see asr-preview in the README).
  const preview = modelsForm.elements.namedItem('asrPreview') as HTMLSelectElement;
  const fast = registry.presets('asr').filter((p) => p.id.startsWith('test-') === test && p.id.includes('moonshine'));
  preview.replaceChildren(new Option('the speech model', ''), ...fast.map((preset) => option(preset, report)));
}

let pickersFilled: Promise<void> = Promise.resolve();

function applyModels(): void {
  const data = new FormData(modelsForm);
  const mirror = String(data.get('mirror') ?? '').trim();
  provider.modelHost = data.get('source') === 'test' ? TEST_HOST : mirror || 'https://huggingface.co';
  // Until the pickers are filled they have no value: no model rather than a model called "null".
  provider.llm = (data.get('llm') as string | null) || null;
  provider.asr = (data.get('asr') as string | null) || null;
  provider.asrPreview = (data.get('asrPreview') as string | null) || null;
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

const cacheBody = document.querySelector<HTMLTableSectionElement>('#cache tbody')!;
const cacheStatus = document.querySelector<HTMLParagraphElement>('#cache-status')!;

/** Checks every cached file of a model (length, and hash where pinned) and fetches the damaged ones again. */
async function repairCached(modelId: string): Promise<void> {
  cacheStatus.textContent = `Checking ${modelId}…`;
  const report = await provider.engine.cache.repair(modelId);
  const count = (status: string) => report.files.filter((f) => f.status === status).length;
  cacheStatus.textContent = report.damaged
    ? `${modelId}: ${report.damaged} of ${report.files.length} files were damaged; ${count('repaired')} fetched again, ${count('deleted')} deleted (fetched on the next load), ${count('failed')} could not be fetched.`
    : `${modelId}: all ${report.files.length} files are sound.`;
  await showCache();
}
async function showCache(): Promise<void> {
  const models = await provider.engine.cache.list();
  cacheBody.replaceChildren(
    ...(models.length
      ? models.map((model) => {
          const row = cacheBody.insertRow();
          row.insertCell().textContent = model.modelId;
          row.insertCell().textContent = String(model.files);
          row.insertCell().textContent = formatBytes(model.bytes);
          const remove = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Delete' });
          remove.setAttribute('aria-label', `Delete ${model.modelId} from this device`);
          remove.addEventListener('click', () => void provider.engine.cache.delete(model.modelId).then(showCache));
          const repair = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Check and repair' });
          repair.setAttribute('aria-label', `Check ${model.modelId}'s files and fetch damaged ones again`);
          repair.addEventListener('click', () => void repairCached(model.modelId));
          row.insertCell().append(repair, ' ', remove);
          return row;
        })
      : [Object.assign(document.createElement('tr'), { innerHTML: '<td colspan="4" class="muted">No models kept yet.</td>' })]),
  );
}
document.querySelector('#cache-refresh')!.addEventListener('click', () => void showCache());
// The provider's forgetModels(): unloads every model first, and is refused while a recording is transcribed.
document.querySelector('#cache-forget')!.addEventListener('click', () => {
  cacheStatus.textContent = 'Forgetting every model…';
  provider
    .forgetModels()
    .then(({ models, freedBytes }) => (cacheStatus.textContent = `Forgot ${models.length} models (${formatBytes(freedBytes)} freed); the next load downloads them again.`))
    .catch((error: unknown) => (cacheStatus.textContent = error instanceof Error ? error.message : String(error)))
    .finally(() => void showCache());
});
provider.addEventListener('slm-ready', () => void showCache());
void showCache();

const benchStatus = document.querySelector<HTMLSpanElement>('#bench-status')!;
const benchChart = document.querySelector<SVGSVGElement>('#bench-chart')!;
document.querySelector<HTMLButtonElement>('#bench-run')!.addEventListener('click', async (event) => {
  const button = event.currentTarget as HTMLButtonElement;
  button.disabled = true;
  const rates: number[] = [];
  try {
    for (let run = 0; run < 5; run++) {
      benchStatus.textContent = `Run ${run + 1} of 5…`;
      const result = await provider.engine.generate([{ role: 'user', content: 'Write three short sentences about a dry cough.' }], { maxTokens: 64, priority: 'background' });
      rates.push(result.stats.decodeTokensPerSecond);
      drawBars(rates);
    }
    const sorted = [...rates].sort((a, b) => a - b);
    benchStatus.textContent = `Median ${sorted[2].toFixed(1)} tokens/s over 5 runs of 64 tokens.`;
  } catch (error) {
    benchStatus.textContent = error instanceof SlmError ? `${error.code}: ${error.message}` : String(error);
  } finally {
    button.disabled = false;
  }
});

/** One bar per run, scaled to the fastest, with its value written on it. */
function drawBars(rates: number[]): void {
  benchChart.removeAttribute('hidden');
  const max = Math.max(...rates, 1);
  const ns = 'http://www.w3.org/2000/svg';
  benchChart.replaceChildren(
    ...rates.flatMap((rate, i) => {
      const height = (rate / max) * 110;
      const bar = document.createElementNS(ns, 'rect');
      Object.entries({ x: 20 + i * 90, y: 120 - height, width: 60, height, fill: '#0b6bcb', rx: 3 }).forEach(([k, v]) => bar.setAttribute(k, String(v)));
      const label = document.createElementNS(ns, 'text');
      Object.entries({ x: 50 + i * 90, y: 135, 'text-anchor': 'middle', 'font-size': 12, fill: 'currentColor' }).forEach(([k, v]) => label.setAttribute(k, String(v)));
      label.textContent = `${rate.toFixed(0)} tok/s`;
      return [bar, label];
    }),
  );
}

for (const type of ['slm-ready', 'slm-error'] as const) {
  // Errors of the transcriber bubble through the provider too.
  provider.addEventListener(type, (event) => {
    const item = document.createElement('li');
    const { detail } = event as CustomEvent;
    item.textContent = `${type}: ${type === 'slm-error' ? detail.message : detail.placement.modelId}`;
    if (type === 'slm-error' && (detail.code === 'model-host-unreachable' || detail.code === 'model-file-missing')) {
      // Said beside the model pickers, where the fix is, not only in the log at the bottom.
      const hint = `${detail.message} Offline? Switch to the test models above, or enter a self-hosted mirror.`;
      item.textContent = `${type}: ${hint}`;
      modelsHint.textContent = hint;
      modelsHint.hidden = false;
    }
    if (type === 'slm-ready') modelsHint.hidden = true;
    events.prepend(item);
  });
}

pickersFilled = fillPickers().then(applyModels);
await pickersFilled;
