import type { InitProgressReport } from '@mlc-ai/web-llm';
import type { BackendProgress } from './backend.js';

/**
 * WebLLM reports loading as one fraction plus a line of text. The text says which step it
 * is on ("Fetching param cache[3/50]…", "Loading model from cache[…]", "Loading GPU shader
 * modules[…]", "Finish loading on …"), which is how the phase is told apart.
 */
export function phaseFromWebLlmReport(report: InitProgressReport): Extract<BackendProgress, { type: 'phase' }> {
  const text = report.text ?? '';
  const fraction = Math.min(1, Math.max(0, report.progress ?? 0));
  if (/^Finish loading/i.test(text)) return { type: 'phase', phase: 'warmup', fraction: 1, text };
  if (/shader modules/i.test(text)) return { type: 'phase', phase: 'compile', fraction, text };
  return { type: 'phase', phase: 'download', fraction, text };
}
