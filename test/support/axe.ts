/** axe-core in the test page: its own browser build, loaded once as a classic script (it sets `window.axe`). */
interface AxeResult {
  violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: unknown[] }> }>;
}
type AxeWindow = Window & { axe?: { run(context: Element, options: object): Promise<AxeResult> } };

export async function loadAxe(): Promise<void> {
  if ((window as AxeWindow).axe) return;
  const script = Object.assign(document.createElement('script'), { src: '/node_modules/axe-core/axe.min.js' });
  const loaded = new Promise((resolve, reject) => {
    script.addEventListener('load', resolve);
    script.addEventListener('error', reject);
  });
  document.head.append(script);
  await loaded;
}

/** WCAG 2.1 AA and best practices, as the e2e test checks the demo and the stories: one line per violation. */
export async function axeViolations(element: Element): Promise<string[]> {
  await loadAxe();
  const { violations } = await (window as AxeWindow).axe!.run(element, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] });
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => JSON.stringify(n.target)).slice(0, 3).join(', ')}`);
}
