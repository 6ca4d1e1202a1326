import type { ReactiveElement } from 'lit';
import type { SlmEngine } from '../../engine/slm-engine.js';

/**
 * Re-renders `host` on each of the engine's state changes (a notice that follows `llm-endpoint`
 * being set or removed later). Returns how to stop, or null without an engine.
 */
export function renderOnEngineChange(host: ReactiveElement, engine: SlmEngine | undefined): (() => void) | null {
  host.requestUpdate();
  if (!engine) return null;
  const update = () => host.requestUpdate();
  engine.addEventListener('slm-state-change', update);
  return () => engine.removeEventListener('slm-state-change', update);
}
