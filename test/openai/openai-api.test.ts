import { expect, html } from '@open-wc/testing';
import OpenAI from 'openai';
import type { ChatCompletionRequest } from '@mlc-ai/web-llm';
import { serveOpenAIRoute } from '../../src/engine/openai/openai-route.js';
import { browserRequests } from '../support/model-host.js';
import { providerWithFakeWebLlm } from '../support/fake-webllm-provider.js';
import { chunk } from '../support/scripted-note-model.js';

const ANSWER = 'Viral bronchitis is most likely.';

async function setUp() {
  const { provider, engines } = await providerWithFakeWebLlm('qwen2.5-0.5b', { script: chunk(ANSWER) }, html``);
  const requests = () => engines.flatMap((e) => e.calls.filter((c) => c.method === 'chatCompletion').map((c) => c.args[0] as ChatCompletionRequest));
  return { engine: provider.engine, requests };
}

describe('OpenAI-compatible API in the page', () => {
  it('answers chat.completions.create in OpenAI’s shapes, streaming or not', async () => {
    const { engine } = await setUp();
    const completion = await engine.openai.chat.completions.create({ model: 'qwen2.5-0.5b', messages: [{ role: 'user', content: 'Likely cause?' }] });
    expect(completion.object).to.equal('chat.completion');
    expect(completion.choices[0].message).to.deep.equal({ role: 'assistant', content: ANSWER, refusal: null });
    expect(completion.choices[0].finish_reason).to.equal('stop');
    expect(completion.usage.completion_tokens).to.be.greaterThan(0);

    const stream = await engine.openai.chat.completions.create({ messages: [{ role: 'user', content: 'Likely cause?' }], stream: true, stream_options: { include_usage: true } });
    const chunks = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks[0].choices[0].delta.role).to.equal('assistant');
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).to.equal(ANSWER);
    expect(chunks.at(-2)!.choices[0].finish_reason).to.equal('stop');
    expect(chunks.at(-1)!.choices).to.deep.equal([]);
    expect(chunks.at(-1)!.usage!.total_tokens).to.be.greaterThan(0);
  });

  it('serves the official openai client through engine.openai.fetch, and sends nothing anywhere', async () => {
    const { engine, requests } = await setUp();
    await browserRequests(true);
    const client = new OpenAI({ apiKey: 'not-used', baseURL: 'https://api.openai.com/v1', fetch: engine.openai.fetch, dangerouslyAllowBrowser: true, maxRetries: 0 });
    const completion = await client.chat.completions.create({
      model: 'qwen2.5-0.5b',
      messages: [
        { role: 'developer', content: 'Answer in JSON.' },
        { role: 'user', content: 'Diagnosis?' },
      ],
      response_format: { type: 'json_schema', json_schema: { name: 'dx', schema: { type: 'object', properties: { dx: { type: 'string' } } } } },
    });
    expect(completion.choices[0].message.content).to.equal(ANSWER);
    // The schema reached WebLLM's grammar; the developer message became the system message.
    const sent = requests().at(-1)!;
    expect(JSON.parse((sent.response_format as { schema: string }).schema)).to.deep.equal({ type: 'object', properties: { dx: { type: 'string' } } });
    expect(sent.messages[0]).to.deep.include({ role: 'system', content: 'Answer in JSON.' });

    const stream = await client.chat.completions.create({ model: 'qwen2.5-0.5b', messages: [{ role: 'user', content: 'Again' }], stream: true });
    let streamed = '';
    for await (const part of stream) streamed += part.choices[0]?.delta?.content ?? '';
    expect(streamed).to.equal(ANSWER);

    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).to.deep.equal(['qwen2.5-0.5b']);

    let status = 0;
    try {
      await client.chat.completions.create({ model: 'x', messages: [] });
    } catch (error) {
      status = (error as { status: number }).status;
    }
    expect(status).to.equal(400);
    expect((await browserRequests()).filter((url) => url.includes('openai.com'))).to.deep.equal([]);
  });

  it('answers an unmodified client at /v1/chat/completions through the service-worker route', async () => {
    const { engine } = await setUp();
    const route = await serveOpenAIRoute(engine);
    try {
      const client = new OpenAI({ apiKey: 'not-used', baseURL: `${location.origin}/v1`, dangerouslyAllowBrowser: true, maxRetries: 0 });
      const completion = await client.chat.completions.create({ model: 'qwen2.5-0.5b', messages: [{ role: 'user', content: 'Through the worker?' }] });
      expect(completion.choices[0].message.content).to.equal(ANSWER);
      const stream = await client.chat.completions.create({ model: 'qwen2.5-0.5b', messages: [{ role: 'user', content: 'Streamed?' }], stream: true });
      let streamed = '';
      for await (const part of stream) streamed += part.choices[0]?.delta?.content ?? '';
      expect(streamed).to.equal(ANSWER);
    } finally {
      await route.unregister();
    }
  });
});
