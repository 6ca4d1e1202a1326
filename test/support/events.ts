/** Resolves with the next event of a type, or rejects after a timeout so a test fails clearly. */
export function nextEvent<T extends Event = CustomEvent>(target: EventTarget, type: string, timeoutMs = 60_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} event within ${timeoutMs} ms`)), timeoutMs);
    target.addEventListener(
      type,
      (event) => {
        clearTimeout(timer);
        resolve(event as T);
      },
      { once: true },
    );
  });
}

/** Collects every event of the given types until `stop()` is called. */
export function recordEvents(target: EventTarget, ...types: string[]) {
  const events: CustomEvent[] = [];
  const listener = (event: Event) => events.push(event as CustomEvent);
  for (const type of types) target.addEventListener(type, listener);
  return {
    events,
    stop: () => types.forEach((type) => target.removeEventListener(type, listener)),
  };
}
