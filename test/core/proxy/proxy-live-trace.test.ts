import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import OpenAI from 'openai';
import type { ChatMessage } from '../../../src/core/chat/types.js';
import { LocalEndpoint } from '../../../src/core/endpoint/local-endpoint.js';
import { ProxyLiveTrace } from '../../../src/core/proxy/proxy-live-trace.js';
import { inlineRecorder } from '../../../src/core/proxy/recorder-link.js';
import { RecordingProxy } from '../../../src/core/proxy/recording-proxy.js';
import { parseRules } from '../../../src/core/rules/rule-parser.js';
import type { TraceEvent } from '../../../src/shared/protocol.js';
import { ORDER_PROMPT, ORDER_RESULT, ORDER_TOOLS, ORDER_TRANSCRIPT, orderSession } from './order-transcript.js';

const rules = parseRules(readFileSync(join(process.cwd(), 'media/rules/default.sniff'), 'utf8')).rules;

describe('the live trace of a proxied session', () => {
  it('streams each turn as it is recorded and puts what shadow speculation found under the turn it belongs to', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'foresight-proxy-live-'));
    const upstream = await LocalEndpoint.start({ sessions: [orderSession()], tokensPerSecond: 400 });
    const traces = new Map<string, ProxyLiveTrace>();
    const traceOf = (file: string) => traces.get(file) ?? traces.set(file, new ProxyLiveTrace()).get(file)!;
    const proxy = await RecordingProxy.start({
      upstream: upstream.baseUrl,
      sessionsDir: dir,
      shadow: { rules },
      recorder: inlineRecorder(),
      onLive: (file, events) => traceOf(file).live(events),
      onShadow: (turn, file) => traceOf(file).shadow(turn),
    });
    try {
      const client = new OpenAI({ baseURL: proxy.baseUrl, apiKey: 'sk-none', maxRetries: 0 });
      const first = await client.chat.completions.create({ model: ORDER_TRANSCRIPT.model, messages: ORDER_PROMPT as never, tools: ORDER_TOOLS as never, stream: true });
      const calls: { id: string; name: string; arguments: string }[] = [];
      for await (const chunk of first) {
        for (const d of chunk.choices[0]?.delta.tool_calls ?? []) {
          if (d.id) calls.push({ id: d.id, name: d.function?.name ?? '', arguments: '' });
          const last = calls.at(-1);
          if (last && d.function?.arguments) last.arguments += d.function.arguments;
        }
      }
      const messages: ChatMessage[] = [...ORDER_PROMPT, { role: 'assistant', content: null, tool_calls: calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })) }, ORDER_RESULT];
      const second = await client.chat.completions.create({ model: ORDER_TRANSCRIPT.model, messages: messages as never, tools: ORDER_TOOLS as never, stream: true });
      for await (const _chunk of second) {
        // Read to the end, as an agent does.
      }
      await proxy.settled();
      const [file] = readdirSync(dir);
      assert.deepEqual([...traces.keys()], [join(dir, file!)]);
      const events = traces.get(join(dir, file!))!.events;
      const of = <K extends TraceEvent['type']>(type: K, turn: number) => events.filter((e): e is Extract<TraceEvent, { type: K }> => e.type === type && e.turn === turn);
      assert.deepEqual(events.filter((e) => e.type === 'turnStart').map((e) => e.turn), [0, 1]);
      assert.equal(of('reasoning', 0).map((e) => e.text).join(''), ORDER_TRANSCRIPT.messages[2]!.reasoning_content);
      assert.deepEqual(of('seal', 0).map((e) => e.tool), ['lookup_order']);
      assert.match(of('answer', 1).map((e) => e.text).join(''), /arrive on Thursday/);
      // Turn 0's calls are known only once turn 1's request brings their results.
      const intents = of('intent', 0);
      assert.ok(intents.some((e) => e.tool === 'lookup_order'));
      assert.ok(events.indexOf(intents[0]!) > events.findIndex((e) => e.type === 'turnStart' && e.turn === 1));
      for (let i = 1; i < events.length; i++) assert.ok(events[i]!.t >= events[i - 1]!.t, 'times never decrease');
    } finally {
      await proxy.close();
      await upstream.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports nothing live when no one asked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'foresight-proxy-quiet-'));
    const upstream = await LocalEndpoint.start({ sessions: [orderSession()], tokensPerSecond: null });
    const outputs: string[] = [];
    const proxy = await RecordingProxy.start({ upstream: upstream.baseUrl, sessionsDir: dir, recorder: (setup, emit) => {
      assert.equal(setup.live, undefined);
      return inlineRecorder()(setup, (o) => {
        outputs.push(o.type);
        emit(o);
      });
    } });
    try {
      const client = new OpenAI({ baseURL: proxy.baseUrl, apiKey: 'sk-none', maxRetries: 0 });
      await client.chat.completions.create({ model: ORDER_TRANSCRIPT.model, messages: ORDER_PROMPT as never, tools: ORDER_TOOLS as never });
      await proxy.settled();
      assert.ok(outputs.includes('session'));
      assert.ok(!outputs.includes('live'));
    } finally {
      await proxy.close();
      await upstream.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
