import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import type { RecordedExchange } from '../../../src/core/endpoint/exchange-table.js';
import { LocalEndpoint } from '../../../src/core/endpoint/local-endpoint.js';
import { weatherSession } from '../../fixtures/weather-transcript.js';

const ASK = [{ role: 'user' as const, content: 'Is the 9:40 train to Porto on time?' }];
const EXCHANGES: RecordedExchange[] = [
  {
    model: 'rail-judge',
    messages: ASK,
    answer: {
      content: '6',
      logprobs: [{ token: '6', logprob: -0.3, top_logprobs: [{ token: '6', logprob: -0.3 }, { token: '5', logprob: -1.7 }, { token: '9', logprob: -3 }] }],
    },
  },
  {
    model: 'rail-judge',
    messages: [...ASK, { role: 'assistant', content: '<think>\nThe user asks about one train.' }],
    continuation: true,
    answer: { reasoning: ' I need its live status.\n\n', content: 'Checking.' },
  },
];

async function post(endpoint: LocalEndpoint, body: Record<string, unknown>): Promise<{ status: number; json: Record<string, any> }> {
  const res = await fetch(`${endpoint.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}

describe('the local endpoint serving recorded exchanges', () => {
  let endpoint: LocalEndpoint;
  before(async () => {
    endpoint = await LocalEndpoint.start({ sessions: [weatherSession()], exchanges: EXCHANGES, tokensPerSecond: null });
  });
  after(() => endpoint.close());

  it('lists the exchanges\' models beside the sessions\'', () => {
    assert.ok(endpoint.models.includes('rail-judge'));
    assert.ok(endpoint.models.includes('test-reasoner'));
  });

  it('answers logprobs only when asked, with no more alternatives than top_logprobs', async () => {
    const asked = await post(endpoint, { model: 'rail-judge', messages: ASK, logprobs: true, top_logprobs: 2, max_tokens: 1 });
    assert.equal(asked.status, 200);
    const entry = asked.json.choices[0].logprobs.content[0];
    assert.equal(entry.token, '6');
    assert.deepEqual(
      entry.top_logprobs.map((t: { token: string }) => t.token),
      ['6', '5'],
    );
    const plain = await post(endpoint, { model: 'rail-judge', messages: ASK });
    assert.equal(plain.json.choices[0].logprobs, null);
    assert.equal(plain.json.choices[0].message.content, '6');
  });

  it('leaves logprobs out when told to imitate a server without them', async () => {
    const bare = await LocalEndpoint.start({ sessions: [], exchanges: EXCHANGES, exchangeFeatures: { logprobs: false }, tokensPerSecond: null });
    try {
      const res = await post(bare, { model: 'rail-judge', messages: ASK, logprobs: true, top_logprobs: 5 });
      assert.equal(res.status, 200);
      assert.equal(res.json.choices[0].logprobs, null);
    } finally {
      await bare.close();
    }
  });

  it('streams a continuation through the SDK only to a request that continues the prefill', async () => {
    const client = new OpenAI({ baseURL: endpoint.baseUrl, apiKey: 'local', maxRetries: 0 });
    const messages = EXCHANGES[1]!.messages;
    const stream = await client.chat.completions.create({
      model: 'rail-judge',
      messages: messages as OpenAI.Chat.Completions.ChatCompletionMessageParam[],
      stream: true,
      // Extra keys of the params object travel in the body as they are.
      ...({ continue_final_message: true, add_generation_prompt: false } as Record<string, unknown>),
    });
    let reasoning = '';
    let content = '';
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta as { reasoning_content?: string; content?: string | null } | undefined;
      reasoning += delta?.reasoning_content ?? '';
      content += delta?.content ?? '';
    }
    assert.equal(reasoning, ' I need its live status.\n\n');
    assert.equal(content, 'Checking.');
    const notContinuing = await post(endpoint, { model: 'rail-judge', messages });
    assert.equal(notContinuing.status, 404);
  });

  it('refuses a continuation whose last message is not the assistant\'s, as vLLM does', async () => {
    const res = await post(endpoint, { model: 'rail-judge', messages: ASK, continue_final_message: true, add_generation_prompt: false });
    assert.equal(res.status, 400);
    assert.match(res.json.error.message, /continue_final_message/);
  });

  it('answers 400 to the continuation fields when told to imitate a server that rejects them', async () => {
    const strict = await LocalEndpoint.start({ sessions: [], exchanges: EXCHANGES, exchangeFeatures: { continuation: false }, tokensPerSecond: null });
    try {
      const res = await post(strict, { model: 'rail-judge', messages: EXCHANGES[1]!.messages, continue_final_message: true, add_generation_prompt: false });
      assert.equal(res.status, 400);
      assert.equal(res.json.error.param, 'continue_final_message');
    } finally {
      await strict.close();
    }
  });

  it('still serves the recorded sessions beside the exchanges', async () => {
    const session = weatherSession();
    const res = await post(endpoint, { model: session.header.model, messages: session.turns[0]!.request });
    assert.equal(res.status, 200);
  });
});
