// An agent of your own with Foresight inside it, run against Foresight's local replay endpoint
// so it needs no key and no network: `node --import tsx examples/library-agent.ts`.
// In your project, import from 'foresight' (this package's `exports`) instead of ../src/lib.
import OpenAI from 'openai';
import { LocalEndpoint } from '../src/core/endpoint/local-endpoint.js';
import { importChatTranscript } from '../src/core/session/import-chat.js';
import { createForesightAgent, type AgentTool } from '../src/lib/index.js';

// What the local endpoint will answer: a recorded conversation about a bookshop's stock.
const RECORDING = {
  model: 'shop-reasoner',
  tools: [{ type: 'function', function: { name: 'check_stock', description: 'Copies of a book in stock, by ISBN.', parameters: { type: 'object', properties: { isbn: { type: 'string' } }, required: ['isbn'] } } }],
  messages: [
    { role: 'user', content: 'Do you have ISBN 978-0-14-044913-6 in stock?' },
    {
      role: 'assistant',
      reasoning_content:
        'The customer asks about one book. I will call check_stock with isbn "978-0-14-044913-6". If there are copies I tell them how many; if not, I offer to order it, which usually takes a few days from the distributor.',
      content: null,
      tool_calls: [{ id: 'call_stock', type: 'function', function: { name: 'check_stock', arguments: '{"isbn":"978-0-14-044913-6"}' } }],
    },
    { role: 'tool', tool_call_id: 'call_stock', content: '{"copies":3}' },
    { role: 'assistant', reasoning_content: 'Three copies.', content: 'Yes: we have 3 copies of it.' },
  ],
};

// Your own tool: here it waits 300 ms, as a database or an API would.
const checkStock: AgentTool = {
  name: 'check_stock',
  description: 'Copies of a book in stock, by ISBN.',
  parameters: { type: 'object', properties: { isbn: { type: 'string' } }, required: ['isbn'] },
  readOnly: true,
  run: (args, signal) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => resolve(JSON.stringify({ copies: args.isbn === '978-0-14-044913-6' ? 3 : 0 })), 300);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(new Error('cancelled'));
      });
    }),
};

async function main(): Promise<void> {
  const endpoint = await LocalEndpoint.start({ sessions: [importChatTranscript(RECORDING, { file: 'example' })], tokensPerSecond: 40 });
  try {
    const agent = createForesightAgent({ client: new OpenAI({ baseURL: endpoint.baseUrl, apiKey: 'not-needed-locally' }), model: 'shop-reasoner', tools: [checkStock] });
    const run = agent.run([{ role: 'user', content: RECORDING.messages[0]!.content as string }]);
    for await (const event of run) {
      if (event.type === 'speculation' && event.event.type === 'specStart') console.log(`early run: ${event.event.tool} ${event.event.canonical}`);
      if (event.type === 'toolEnd') console.log(`${event.call.name} served ${event.speculative ? `from the early run (${event.speculative.outcome}, ${event.speculative.savedMs.toFixed(0)} ms saved)` : 'by running it now'}`);
    }
    const { stopReason, messages, served, metrics } = await run.result;
    const last = messages[messages.length - 1];
    console.log(`answer: ${last?.role === 'assistant' ? last.content : ''}`);
    console.log(`result: ${JSON.stringify({ stopReason, served: served.map((s) => ({ tool: s.call.name, speculative: s.speculative?.outcome ?? null })), hits: metrics.hits, partialHits: metrics.partialHits, savedMs: Math.round(metrics.savedMs) })}`);
  } finally {
    await endpoint.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
