import { SlmError } from '../../errors/slm-error.js';
import { integrityError, splitModelUrl, type FileExpectation } from './integrity.js';
import { Sha256 } from './sha256.js';

/** How a model file download is retried: attempts after the first, and the backoff between them. */
export interface RetryPolicy {
  /** Retries after the first try, for one request and again for each resume of one file. */
  attempts: number;
  /** The first wait; each next one doubles, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** The longest `Retry-After` honoured; a host asking for more is retried after this. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: Readonly<RetryPolicy> = { attempts: 4, baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 30_000 };

export interface ModelFetchOptions {
  /** The fetch underneath; default the global one. */
  fetch?: typeof fetch;
  retry?: Partial<RetryPolicy>;
  /** What a file URL must be (its pin), or null for no pin. */
  expect?: (url: string) => Promise<FileExpectation | null>;
  /** How to wait; tests may pass a faster one. */
  sleep?: (ms: number, signal?: AbortSignal | null) => Promise<void>;
  /** Told of each download whose bytes matched its pinned hash, just before its body ends. */
  onVerified?: (url: string, integrity: string) => void;
  /** Told each time a request failed and is about to be tried again, before the wait. */
  onRetry?: (retry: DownloadRetry) => void;
}

/** A failed request about to be tried again. */
export interface DownloadRetry {
  url: string;
  /** Which retry this is, from 1. */
  attempt: number;
  /** Retries allowed in all (`RetryPolicy.attempts`). */
  of: number;
  /** The wait before it. */
  delayMs: number;
}

/** Statuses worth another try: the host is busy or briefly broken, not wrong. */
const TRANSIENT = new Set([408, 425, 429, 500, 502, 503, 504]);

const wait = (ms: number, signal?: AbortSignal | null) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });

/**
 * A `fetch` for model files (Transformers.js's `env.fetch`): transient failures (network errors,
 * 5xx, 429 with its `Retry-After`) are retried with backoff; a download cut off half-way resumes
 * with `Range: bytes=N-` where the host answers 206, and otherwise starts over, skipping what
 * was already delivered, so progress never goes backwards. A file with a pin is hashed as it
 * arrives (incrementally: no copy of it is held) and refused (`model-integrity`) if it does not match; the refusal errors the body, so
 * the library never caches it. Requests the library makes with a `Range` of its own (its size
 * probes) are only retried.
 */
export function createModelFetch(options: ModelFetchOptions = {}): typeof fetch {
  const base = options.fetch ?? globalThis.fetch.bind(globalThis);
  const policy = { ...DEFAULT_RETRY, ...options.retry };
  const sleep = options.sleep ?? wait;
  const delay = (attempt: number, response?: Response) => {
    const asked = retryAfterMs(response?.headers.get('retry-after') ?? null);
    if (asked !== null) return Math.min(asked, policy.maxRetryAfterMs);
    const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
    return backoff * (0.5 + Math.random() / 2);
  };

  const retryAfter = (url: string, attempt: number, delayMs: number, signal?: AbortSignal | null) => {
    options.onRetry?.({ url, attempt, of: policy.attempts, delayMs });
    return sleep(delayMs, signal);
  };

  /** One request, tried again while it fails transiently; the last answer (or error) when tries run out. */
  const request = async (url: string, init: RequestInit): Promise<Response> => {
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await base(url, init);
      } catch (error) {
        // Offline is no blip: the load fails at once and says why, instead of after the backoff.
        if (init.signal?.aborted || attempt > policy.attempts || globalThis.navigator?.onLine === false) throw error;
        await retryAfter(url, attempt, delay(attempt), init.signal);
        continue;
      }
      if (!TRANSIENT.has(response.status) || attempt > policy.attempts) return response;
      await response.body?.cancel().catch(() => undefined);
      await retryAfter(url, attempt, delay(attempt, response), init.signal);
    }
  };

  return async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = (init.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const wholeFile = method === 'GET' && !new Headers(init.headers).has('range') && !(input instanceof Request && input.headers.has('range'));
    if (!wholeFile) return request(url, init);
    const first = await request(url, init);
    if (TRANSIENT.has(first.status)) {
      const file = splitModelUrl(url)?.file ?? url;
      throw new SlmError('model-host-unreachable', `The model host answered ${first.status} for ${file} ${policy.attempts + 1} times; it is busy or failing. Try again later.`);
    }
    if (first.status !== 200 || !first.body) return first;
    const expectation = (await options.expect?.(url)) ?? null;
    const body = resumingBody(url, init, first, expectation, { request, sleep, delay, attempts: policy.attempts, onVerified: options.onVerified });
    return new Response(body, { status: 200, statusText: first.statusText, headers: first.headers });
  };
}

interface Resume {
  request: (url: string, init: RequestInit) => Promise<Response>;
  sleep: (ms: number, signal?: AbortSignal | null) => Promise<void>;
  delay: (attempt: number) => number;
  attempts: number;
  onVerified?: (url: string, integrity: string) => void;
}

/** The body of one file, picked up again where it broke off. */
function resumingBody(url: string, init: RequestInit, first: Response, expectation: FileExpectation | null, resume: Resume): ReadableStream<Uint8Array> {
  const where = splitModelUrl(url);
  const file = where?.file ?? url;
  const modelId = where?.modelId ?? 'the model';
  // A compressed body's length header counts compressed bytes; its decoded length is unknown.
  const total = first.headers.get('content-encoding') ? null : lengthOf(first.headers.get('content-length'));
  const etag = first.headers.get('etag');
  // Hashed as it passes: nothing of the file is kept here, whatever its size.
  const hash = expectation?.integrity ? new Sha256() : null;
  let reader = first.body!.getReader();
  let received = 0;
  let breaks = 0;
  /** Bytes still to drop from a response that started over from the beginning. */
  let skip = 0;

  if (expectation?.size !== undefined && total !== null && total !== expectation.size) {
    const refused = integrityError(file, modelId, `${total} bytes where ${expectation.size} were pinned`);
    void reader.cancel();
    return new ReadableStream({ start: (controller) => controller.error(refused) });
  }

  const reopen = async (why: string) => {
    breaks++;
    if (breaks > resume.attempts) {
      throw new SlmError('model-host-unreachable', `The download of ${file} of ${modelId} broke off ${breaks} times (${why}); check the network, then try again.`, { modelId });
    }
    void reader.cancel().catch(() => undefined);
    await resume.sleep(resume.delay(breaks), init.signal);
    const headers = new Headers(init.headers);
    headers.set('range', `bytes=${received}-`);
    const next = await resume.request(url, { ...init, headers, cache: 'no-store' });
    const changed = etag !== null && next.headers.get('etag') !== null && next.headers.get('etag') !== etag;
    if (changed) throw new SlmError('model-load-failed', `${file} of ${modelId} changed on the model host during its download; try again.`, { modelId });
    const start = /^bytes (\d+)-/.exec(next.headers.get('content-range') ?? '')?.[1];
    if (next.status === 206 && (start === undefined || Number(start) === received)) skip = 0;
    else if (next.status === 200) skip = received;
    else throw new SlmError('model-host-unreachable', `The download of ${file} of ${modelId} could not be resumed (the host answered ${next.status}); try again.`, { modelId });
    reader = next.body!.getReader();
  };

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        let next: ReadableStreamReadResult<Uint8Array>;
        try {
          next = await reader.read();
        } catch (error) {
          if (init.signal?.aborted) throw error;
          await reopen(error instanceof Error ? error.message : String(error));
          continue;
        }
        if (next.done) {
          if (total !== null && received < total) {
            await reopen(`${received} of ${total} bytes`);
            continue;
          }
          verify(received, hash, expectation, file, modelId);
          if (hash && expectation?.integrity) resume.onVerified?.(url, expectation.integrity);
          controller.close();
          return;
        }
        let value = next.value;
        if (skip > 0) {
          const dropped = Math.min(skip, value.length);
          skip -= dropped;
          value = value.subarray(dropped);
          if (!value.length) continue;
        }
        received += value.length;
        hash?.update(value);
        controller.enqueue(value);
        return;
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

function verify(received: number, hash: Sha256 | null, expectation: FileExpectation | null, file: string, modelId: string): void {
  if (!expectation) return;
  if (expectation.size !== undefined && received !== expectation.size) throw integrityError(file, modelId, `${received} bytes where ${expectation.size} were pinned`);
  if (!hash || !expectation.integrity) return;
  const actual = hash.integrity();
  if (actual !== expectation.integrity) throw integrityError(file, modelId, `its SHA-256 is ${actual}, the pin ${expectation.integrity}`);
}

function lengthOf(header: string | null): number | null {
  const value = Number(header);
  return header !== null && Number.isFinite(value) && value >= 0 ? value : null;
}

/** `Retry-After` in milliseconds: seconds, or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}
