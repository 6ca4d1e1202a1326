import { expect } from '@open-wc/testing';
import { serveOpenAIRoute, type OpenAIRoute, type OpenAIRouteOptions } from '../../src/engine/openai/openai-route.js';
import { check } from '../../src/engine/openai/route-guard.js';
import { DEFAULT_ROUTE_LIMITS } from '../../src/engine/openai/route-protocol.js';
import type { SlmEngine } from '../../src/engine/slm-engine.js';
import { recordFault } from '../support/faults.js';

const API = `${location.origin}/v1/chat/completions`;
const BODY = JSON.stringify({ model: 'local', messages: [{ role: 'user', content: 'Hello' }] });

/** An engine whose OpenAI fetch answers at once and records what reached the page. */
function recordingEngine() {
  const seen: string[] = [];
  const engine = {
    openai: {
      fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
        const request = new Request(input, init);
        seen.push(await request.text());
        return new Response(JSON.stringify({ ok: true }), { headers: { 'content-type': 'application/json' } });
      },
    },
  } as unknown as SlmEngine;
  return { engine, seen };
}

async function errorOf(response: Response) {
  return ((await response.json()) as { error: { code: string; type: string; param: string | null; message: string } }).error;
}

function loadFrame(frame: HTMLIFrameElement): Promise<void> {
  return new Promise((resolve) => frame.addEventListener('load', () => resolve(), { once: true }));
}

describe('the /v1/chat/completions service-worker route refuses what a page’s script did not send as JSON', () => {
  let route: OpenAIRoute | undefined;
  const frames: HTMLElement[] = [];
  async function serve(options: OpenAIRouteOptions = {}) {
    const { engine, seen } = recordingEngine();
    route = await serveOpenAIRoute(engine, options);
    return seen;
  }
  afterEach(async () => {
    frames.splice(0).forEach((frame) => frame.remove());
    await route?.unregister();
    route = undefined;
  });

  it('passes a JSON request from this page to this page', async () => {
    const seen = await serve();
    const response = await fetch(API, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body: BODY });
    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.equal({ ok: true });
    expect(seen).to.deep.equal([BODY]);
  });

  it('refuses a navigation (address bar, link or cross-site form) with 403', async () => {
    const seen = await serve();
    const frame = Object.assign(document.createElement('iframe'), { name: `nav-${crypto.randomUUID()}` });
    frames.push(frame);
    document.body.append(frame);
    let loaded = loadFrame(frame);
    frame.src = API;
    await loaded;
    const opened = JSON.parse(frame.contentDocument!.body.textContent!) as { error: { code: string; type: string } };

    // A form may post text/plain to any site without CORS: it navigates, and is refused too.
    const form = Object.assign(document.createElement('form'), { method: 'post', action: API, enctype: 'text/plain', target: frame.name });
    form.append(Object.assign(document.createElement('input'), { name: '{"messages":[{"role":"user","content":"x"}],"x":"', value: '"}' }));
    frames.push(form);
    document.body.append(form);
    loaded = loadFrame(frame);
    form.submit();
    await loaded;
    const posted = JSON.parse(frame.contentDocument!.body.textContent!) as { error: { code: string } };

    expect(opened.error).to.include({ code: 'navigation_refused', type: 'invalid_request_error' });
    expect(posted.error.code).to.equal('navigation_refused');
    expect(seen).to.deep.equal([]);
    await recordFault('the OpenAI route is opened or posted to by navigation', 'navigation_refused', { code: posted.error.code, lost: null });
  });

  it('refuses a body that is not JSON: 415 for another content type, 400 for broken JSON', async () => {
    const seen = await serve();
    const asText = await fetch(API, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: BODY });
    const asForm = await fetch(API, { method: 'POST', body: new URLSearchParams({ messages: 'x' }) });
    const broken = await fetch(API, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"messages": [' });
    const notObject = await fetch(API, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[1]' });

    expect(asText.status).to.equal(415);
    expect(await errorOf(asText)).to.include({ code: 'unsupported_media_type', type: 'invalid_request_error' });
    expect(asForm.status).to.equal(415);
    expect(broken.status).to.equal(400);
    expect((await errorOf(broken)).code).to.equal('invalid_json');
    expect(notObject.status).to.equal(400);
    expect(seen).to.deep.equal([]);
    await recordFault('the OpenAI route gets a body that is not JSON', 'unsupported_media_type', { code: (await errorOf(asForm)).code, lost: null });
  });

  it('caps max_tokens and max_completion_tokens (default 4096, or the route’s maxTokens)', async () => {
    const seen = await serve({ maxTokens: 256 });
    const post = (extra: object) => fetch(API, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...JSON.parse(BODY), ...extra }) });

    const tooMany = await post({ max_tokens: 257 });
    const tooManyCompletion = await post({ max_completion_tokens: 100_000 });
    const negative = await post({ max_tokens: -1 });
    const atCap = await post({ max_tokens: 256 });

    expect(tooMany.status).to.equal(400);
    expect(await errorOf(tooMany)).to.include({ code: 'max_tokens_exceeded', param: 'max_tokens' });
    expect((await errorOf(tooManyCompletion)).param).to.equal('max_completion_tokens');
    expect(negative.status).to.equal(400);
    expect(atCap.status).to.equal(200);
    expect(seen).to.have.length(1);
    expect(DEFAULT_ROUTE_LIMITS.maxTokens).to.equal(4096);
    await recordFault('the OpenAI route is asked for more tokens than its cap', 'max_tokens_exceeded', { code: 'max_tokens_exceeded', lost: null });
  });

  it('answers 503 when the page that sent the request does not take it', async () => {
    const seen = await serve({ answerTimeoutMs: 300 });
    route!.close(); // the page stops serving, the worker stays

    const response = await fetch(API, { method: 'POST', headers: { 'content-type': 'application/json' }, body: BODY });

    expect(response.status).to.equal(503);
    expect(await errorOf(response)).to.include({ code: 'no_answer', type: 'server_error' });
    expect(seen).to.deep.equal([]);
    await recordFault('no page answers the OpenAI route', 'no_answer', { code: 'no_answer', lost: null });
  });

  it('refuses a request without a client instead of asking any open window', async () => {
    const request = new Request(API, { method: 'POST', headers: { 'content-type': 'application/json' }, body: BODY });

    const refused = await check(request, '', DEFAULT_ROUTE_LIMITS);

    expect(refused).to.deep.include({ status: 403 });
    expect((refused as { body: { error: { code: string } } }).body.error.code).to.equal('no_client');
    await recordFault('an OpenAI route request comes without a client', 'no_client', { code: 'no_client', lost: null });
  });
});
