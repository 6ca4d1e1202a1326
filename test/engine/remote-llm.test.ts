import { expect } from '@open-wc/testing';
import { SlmEngine } from '../../src/engine/slm-engine.js';
import { RemoteLlmBackend } from '../../src/engine/backends/remote-backend.js';
import { SlmError } from '../../src/errors/slm-error.js';
import { faultStandIn, resetStandIn, scriptStandIn, standInRequests, standInUrl } from '../support/openai-stand-in.js';
import { recordFault } from '../support/faults.js';

// Against a stand-in (tools/dev-server/openai-stand-in.mjs), not a real vLLM or llama.cpp
// server: none installs and runs offline here. It streams exactly as OpenAI's API does.

const question = [{ role: 'user' as const, content: 'What was the temperature?' }];

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await read();
    if (ok(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const completions = async () => (await standInRequests()).filter((r) => r.path.endsWith('/chat/completions'));

describe('A language model on an OpenAI-compatible server (llm-endpoint)', () => {
  let engine: SlmEngine;
  let url: string;
  beforeEach(async () => {
    await resetStandIn();
    url = await standInUrl();
    engine = new SlmEngine({ llm: 'clinic-llm', smallLlm: 'clinic-small', llmEndpoint: url });
  });
  afterEach(async () => {
    await engine.dispose();
    await resetStandIn();
  });

  it('streams the answer token by token through the engine, and names where it runs', async () => {
    await scriptStandIn(['Temperature 38.4 degrees, taken orally.']);
    const tokens: string[] = [];
    const result = await engine.generate(question, { maxTokens: 64, temperature: 0.2, onToken: (t) => tokens.push(t) });
    expect(result.text).to.equal('Temperature 38.4 degrees, taken orally.');
    expect(tokens).to.deep.equal(['Temperature', ' 38.4', ' degrees,', ' taken', ' orally.']);
    expect(result.finishReason).to.equal('stop');
    expect(result.stats.completionTokens).to.equal(5);
    const [request] = await completions();
    expect(request.body).to.deep.include({ model: 'clinic-llm', messages: question, stream: true, stream_options: { include_usage: true }, max_tokens: 64, temperature: 0.2 });
    // Nothing of the page goes along: no cookies, no referrer.
    expect([request.cookie, request.referer, request.authorization]).to.deep.equal([null, null, null]);
    expect(request.origin).to.equal(location.origin);
    const placement = engine.state('llm').placement!;
    expect(placement).to.deep.include({ runtime: 'openai', backend: 'server', endpoint: url });
    expect(placement.reason).to.include(new URL(url).host);
    expect(engine.remoteHost).to.equal(new URL(url).host);
  });

  it('sends llmApiKey as a bearer token to the server, and a new key reconnects', async () => {
    await engine.dispose();
    engine = new SlmEngine({ llm: 'clinic-llm', llmEndpoint: url, llmApiKey: 'user-token-1' });
    await scriptStandIn(['first', 'second']);
    await engine.generate(question, { maxTokens: 8 });
    const sent = await standInRequests();
    expect(sent.map((r) => `${r.path} ${r.authorization}`)).to.deep.equal(['/v1/models Bearer user-token-1', '/v1/chat/completions Bearer user-token-1']);
    engine.configure({ llmApiKey: 'user-token-2' });
    expect(engine.state('llm').status, 'a new key unloads the connection').to.equal('idle');
    await engine.generate(question, { maxTokens: 8 });
    expect((await standInRequests()).slice(2).map((r) => r.authorization)).to.deep.equal(['Bearer user-token-2', 'Bearer user-token-2']);
  });

  it('sends the small model its own name, and reports a cut answer as length', async () => {
    await scriptStandIn(['one two three four five']);
    const result = await engine.generate(question, { model: 'small', maxTokens: 3 });
    expect(result).to.deep.include({ text: 'one two three', finishReason: 'length' });
    expect((await completions())[0].body!.model).to.equal('clinic-small');
  });

  it('asks for JSON with the schema as response_format', async () => {
    const schema = { type: 'object', properties: { temperature: { type: 'number' } }, required: ['temperature'], additionalProperties: false };
    await scriptStandIn(['{"temperature": 38.4}']);
    const result = await engine.generate(question, { jsonSchema: schema, priority: 'interactive' });
    expect(JSON.parse(result.text)).to.deep.equal({ temperature: 38.4 });
    expect((await completions())[0].body!.response_format).to.deep.equal({ type: 'json_schema', json_schema: { name: 'answer', schema, strict: true } });
  });

  it('stops at once on abort, and the server sees the client go', async () => {
    await scriptStandIn([Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ')], 30);
    const abort = new AbortController();
    let tokens = 0;
    const running = engine.generate(question, { signal: abort.signal, onToken: () => ++tokens === 3 && abort.abort() });
    const error = await running.then(() => null, (e: unknown) => e);
    expect(error).to.be.instanceOf(SlmError);
    expect((error as SlmError).code).to.equal('aborted');
    expect(tokens).to.be.lessThan(200);
    const [request] = await until(completions, (r) => r[0]?.aborted, 'the server to see the client go');
    expect(request.ended).to.equal(false);
  });

  it('goes through the scheduler: one answer at a time, interactive work first', async () => {
    await scriptStandIn(['first answer, a little slow', 'second', 'third'], 20);
    const order: string[] = [];
    const ask = (label: string, priority: 'interactive' | 'normal') =>
      engine.generate([{ role: 'user', content: label }], { priority }).then(() => order.push(label));
    const first = ask('chat one', 'normal');
    await until(completions, (r) => r.length === 1, 'the first request');
    const later = [ask('chat two', 'normal'), ask('note update', 'interactive')];
    await Promise.all([first, ...later]);
    expect(order).to.deep.equal(['chat one', 'note update', 'chat two']);
    const asked = (await completions()).map((r) => (r.body!.messages as Array<{ content: string }>)[0].content);
    expect(asked).to.deep.equal(['chat one', 'note update', 'chat two']);
  });

  it('reports a server that cannot be reached as llm-endpoint-unreachable, saying what to check', async () => {
    // Port 9 (discard) on this machine refuses connections.
    const offline = new SlmEngine({ llm: 'clinic-llm', llmEndpoint: 'http://127.0.0.1:9/v1' });
    const events: string[] = [];
    offline.addEventListener('slm-error', (e) => events.push(e.detail.code));
    const error = (await offline.load(['llm']).catch((e: unknown) => e)) as SlmError;
    expect(error.code).to.equal('llm-endpoint-unreachable');
    expect(error.message).to.include('127.0.0.1:9').and.include('/v1').and.include('Access-Control-Allow-Origin');
    expect(offline.state('llm').status).to.equal('error');
    expect(events).to.deep.equal(['llm-endpoint-unreachable']);
    await recordFault('the clinic’s LLM server cannot be reached', 'llm-endpoint-unreachable', { code: error.code, lost: null });
    await offline.dispose();
  });

  it('reports HTTP failures as llm-endpoint-failed with the status and the server\'s words', async () => {
    await faultStandIn({ status: 503, message: 'All GPUs are busy.' });
    const busy = (await engine.generate(question).catch((e: unknown) => e)) as SlmError;
    expect(busy.code).to.equal('llm-endpoint-failed');
    expect(busy.message).to.include('HTTP 503').and.include('All GPUs are busy.').and.include('try again');
    // The engine carries on: the next request is answered.
    expect((await engine.generate(question)).text).to.equal('You asked: What was the temperature?');
    await recordFault('the clinic’s LLM server answers HTTP 503', 'llm-endpoint-failed', { code: busy.code, lost: null });
  });

  it('refuses a model the server does not serve, naming those it does', async () => {
    const wrong = new SlmEngine({ llm: 'gpt-4o', llmEndpoint: url });
    const error = (await wrong.load(['llm']).catch((e: unknown) => e)) as SlmError;
    expect(error.code).to.equal('unknown-model');
    expect(error.message).to.include('clinic-llm').and.include('clinic-small');
    await wrong.dispose();
  });

  it('reports a stream that breaks off mid-answer, and one that goes silent', async () => {
    await faultStandIn({ crash: true });
    const broken = (await engine.generate(question).catch((e: unknown) => e)) as SlmError;
    expect(broken.code).to.equal('llm-endpoint-unreachable');
    expect(broken.message).to.include('broke off');
    await recordFault('the clinic’s LLM server drops the stream mid-answer', 'llm-endpoint-unreachable', { code: broken.code, lost: null });

    await faultStandIn({ stall: true });
    const backend = new RemoteLlmBackend(url, { stallMs: 300 });
    await backend.load({ placement: engine.state('llm').placement!, host: engine['hostConfig'](), onProgress: () => undefined });
    const silent = (await backend.generate(question).catch((e: unknown) => e)) as SlmError;
    expect(silent.code).to.equal('llm-endpoint-unreachable');
    expect(silent.message).to.include('sent nothing');
    await recordFault('the clinic’s LLM server goes silent mid-answer', 'llm-endpoint-unreachable', { code: silent.code, lost: null });
    await until(completions, (r) => r.at(-1)!.aborted, 'the silent stream to be cut');
  });

  it('refuses an endpoint that is not a web address', () => {
    expect(() => new SlmEngine({ llm: 'clinic-llm', llmEndpoint: 'llm.clinic.example' })).to.throw(SlmError, /llm-endpoint must be the web address/);
  });
});

