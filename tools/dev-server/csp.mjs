/**
 * The Content-Security-Policy the demo runs under, and the one to copy for an app: the exact
 * headers for the page and for its workers, in one place. The dev server (`npm start`) sends
 * them; the privacy audit (`npm run audit:privacy`) checks that the demo runs under them with
 * no violation, and that a request elsewhere is blocked.
 *
 * Why two policies: a worker started from a URL does not inherit the page's policy, it takes
 * the one on its own script's response. The model workers run onnxruntime and WebLLM, which
 * compile WebAssembly, so only the worker policy has `'wasm-unsafe-eval'`. Neither has
 * `'unsafe-inline'` or `'unsafe-eval'`; Lit's styles are constructed stylesheets
 * (`adoptedStyleSheets`), which style-src does not govern.
 */

/** Every host the Hugging Face hub serves model files from (it redirects large files to its CDNs). */
export const HUB_CONNECT_SOURCES = ['https://huggingface.co', 'https://*.huggingface.co', 'https://*.hf.co'];

/** Where WebLLM's compiled model libraries come from when the model host is the hub. */
export const WEBLLM_LIB_SOURCES = ['https://raw.githubusercontent.com'];

/**
 * `connect-src` for a model host: its origin, or for the hub its CDNs and GitHub too. A
 * same-origin host (`/models`) needs nothing beyond `'self'`.
 * @param {string | null | undefined} modelHost
 * @param {string} [pageOrigin]
 */
export function modelHostSources(modelHost, pageOrigin) {
  if (!modelHost) return [];
  const origin = new URL(modelHost, pageOrigin ?? 'http://localhost').origin;
  if (origin === 'https://huggingface.co') return [...HUB_CONNECT_SOURCES, ...WEBLLM_LIB_SOURCES];
  if (pageOrigin && origin === new URL(pageOrigin).origin) return [];
  return [origin];
}

const serialise = (directives) =>
  Object.entries(directives)
    .map(([name, values]) => [name, ...values].join(' '))
    .join('; ');

/**
 * The page's policy (`Content-Security-Policy` on the HTML response).
 * @param {{ connect?: string[], reportUri?: string }} [options] `connect`: model hosts beyond
 * `'self'` (see `modelHostSources`); `reportUri`: a same-origin path that is sent each violation.
 */
export function pagePolicy({ connect = [], reportUri } = {}) {
  return serialise({
    'default-src': ["'none'"],
    'script-src': ["'self'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'media-src': ["'self'", 'blob:'],
    'font-src': ["'self'"],
    'connect-src': ["'self'", ...connect],
    'worker-src': ["'self'"],
    'manifest-src': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    'frame-src': ["'none'"],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    ...(reportUri ? { 'report-uri': [reportUri] } : {}),
  });
}

/**
 * A worker's policy (`Content-Security-Policy` on the worker script's response: dedicated,
 * shared and service workers, and the AudioWorklet's module). WebAssembly compiles under
 * `'wasm-unsafe-eval'`; nothing else is evaluated from strings.
 * @param {{ connect?: string[], reportUri?: string }} [options]
 */
export function workerPolicy({ connect = [], reportUri } = {}) {
  return serialise({
    'default-src': ["'none'"],
    'script-src': ["'self'", "'wasm-unsafe-eval'"],
    'connect-src': ["'self'", ...connect],
    'worker-src': ["'self'"],
    'base-uri': ["'none'"],
    ...(reportUri ? { 'report-uri': [reportUri] } : {}),
  });
}

/** Where the dev server's policies send violations; it logs each one. */
export const CSP_REPORT_PATH = '/__csp-report';

/** `Sec-Fetch-Dest` values of a worker script's request: these responses carry the worker policy. */
const WORKER_DESTINATIONS = new Set(['worker', 'sharedworker', 'serviceworker', 'audioworklet']);

/**
 * Dev-server middleware: the page policy on documents, the worker policy on worker scripts
 * (told apart by `Sec-Fetch-Dest`). `modelHosts`: the model hosts the page may fetch from;
 * default the hub (and GitHub, for WebLLM). `exclude`: page paths served without a policy;
 * default the Vue example, whose in-browser template compiler needs `'unsafe-eval'` (a
 * bundled Vue app compiles its templates at build time and runs under this policy).
 * `llmEndpoints`: the OpenAI-compatible servers of `llm-endpoint` the page may send text to,
 * read on every request (so a tool can configure one for a while). `SLM_CSP=off` turns it off.
 * @param {{ modelHosts?: string[], llmEndpoints?: () => string[], exclude?: string[] }} [options]
 */
export function contentSecurityPolicy({ modelHosts = ['https://huggingface.co'], llmEndpoints = () => [], exclude = ['/examples/vue/'] } = {}) {
  return async function contentSecurityPolicyMiddleware(ctx, next) {
    if (ctx.path === CSP_REPORT_PATH && ctx.method === 'POST') {
      let body = '';
      for await (const chunk of ctx.req) body += chunk;
      console.warn(`[csp] violation: ${body}`);
      ctx.status = 204;
      return;
    }
    await next();
    if (process.env.SLM_CSP === 'off') return;
    const endpoints = llmEndpoints().map((endpoint) => new URL(endpoint).origin);
    const connect = [...new Set([...modelHosts.flatMap((host) => modelHostSources(host, ctx.origin)), ...endpoints])];
    const options = { connect, reportUri: CSP_REPORT_PATH };
    const dest = ctx.get('Sec-Fetch-Dest');
    if (WORKER_DESTINATIONS.has(dest)) ctx.set('Content-Security-Policy', workerPolicy(options));
    else if (ctx.response.is('html') && !exclude.some((path) => ctx.path.startsWith(path))) ctx.set('Content-Security-Policy', pagePolicy(options));
  };
}
