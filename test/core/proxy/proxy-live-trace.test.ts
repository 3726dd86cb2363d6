import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import OpenAI from 'openai';
import type { ChatMessage } from '../../../src/core/chat/types.js';
import { LocalEndpoint } from '../../../src/core/endpoint/local-endpoint.js';
import { ProxyLiveTrace } from '../../../src/core/proxy/proxy-live-trace.js';
import { ProxyRecorder } from '../../../src/core/proxy/proxy-recorder.js';
import { inlineRecorder } from '../../../src/core/proxy/recorder-link.js';
import type { ProxyLiveEvent } from '../../../src/core/proxy/recorder-messages.js';
import { RecordingProxy } from '../../../src/core/proxy/recording-proxy.js';
import { parseRules } from '../../../src/core/rules/rule-parser.js';
import type { ShadowTurn } from '../../../src/core/proxy/shadow-speculation.js';
import type { Intent } from '../../../src/core/sniff/intent.js';
import type { TraceEvent } from '../../../src/shared/protocol.js';
import { TraceModel } from '../../../webview/trace/trace-model.js';
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
      // The intent is shown as the reasoning streams, before the next request; its run and claim
      // only once turn 1's request brings the call's result, and the intent is not shown twice.
      const intents = of('intent', 0).filter((e) => e.tool === 'lookup_order' && e.canonical === '{"order_id":"A-1042"}');
      assert.equal(intents.length, 1, JSON.stringify(of('intent', 0)));
      assert.equal(intents[0]!.prediction, true);
      const turn1 = events.findIndex((e) => e.type === 'turnStart' && e.turn === 1);
      assert.ok(events.indexOf(intents[0]!) < turn1);
      assert.ok(events.indexOf(of('claim', 0)[0]!) > turn1);
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

  it('shows an intent sniffed live once: the shadow outcome adds its run, claim and figures to it', () => {
    const intent: Intent = { kind: 'call', tool: 'lookup_order', args: { order_id: 'A-1042' }, canonical: '{"order_id":"A-1042"}', source: 'rule', ruleId: 'r', confidence: 0.9, span: { start: 10, end: 40 }, at: 40 };
    const other: Intent = { ...intent, args: { order_id: 'B-7' }, canonical: '{"order_id":"B-7"}', span: { start: 50, end: 70 }, at: 70 };
    const trace = new ProxyLiveTrace(() => 0);
    const live = [
      ...trace.live([{ type: 'turnStart', turn: 0, messages: [] }, { type: 'stream', turn: 0, event: { type: 'reasoning', text: 'x'.repeat(80) } }]),
      ...trace.live([{ type: 'intent', turn: 0, event: { type: 'intent', intent, decision: 'fired', probability: 0.9 } }]),
    ];
    const found: ShadowTurn = {
      turn: 0,
      events: [
        { type: 'specStart', specId: 1, tool: intent.tool, canonical: intent.canonical, ruleId: 'r', at: 0 },
        { type: 'intent', intent, decision: 'fired', probability: 0.9 },
        { type: 'intent', intent: other, decision: 'low-confidence', probability: 0.2 },
        { type: 'specEnd', specId: 1, tool: intent.tool, canonical: intent.canonical, status: 'done', durationMs: 5, at: 5 },
        { type: 'claim', callId: 'call_order', tool: intent.tool, canonical: intent.canonical, outcome: 'hit', specId: 1, savedMs: 120, ttaMs: 0, at: 9 },
      ],
      metrics: { intents: 2, fired: 1, hits: 1, partialHits: 0, misses: 0, misfires: 0, stale: 0, blocked: 0, warmups: 0, wastedMs: 0, savedMs: 120, ttaMs: 0, ttaWithoutMs: 120, calls: 1, crossTurnHits: 0 },
      calls: [],
    };
    const shadow = trace.shadow(found);
    assert.deepEqual(shadow.map((e) => e.type), ['specStart', 'intent', 'specEnd', 'claim', 'figures']);
    assert.equal((shadow[1] as Extract<TraceEvent, { type: 'intent' }>).canonical, other.canonical, 'only the intent not shown live');
    const model = new TraceModel();
    model.apply([...live, ...shadow]);
    const bars = model.intents.filter((i) => i.canonical === intent.canonical);
    assert.equal(bars.length, 1);
    assert.equal(bars[0]!.prediction, true);
    assert.equal(bars[0]!.outcome, 'hit');
    assert.equal(bars[0]!.callId, 'call_order');
    assert.equal(model.bars[0]!.intentId, bars[0]!.id);
  });

  it('emits an intent of a turn while its reasoning streams, before the answer ends', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'foresight-proxy-live-intent-'));
    let sawIntent: (events: ProxyLiveEvent[]) => void = () => {};
    const intent = new Promise<ProxyLiveEvent[]>((resolve) => (sawIntent = resolve));
    const recorder = new ProxyRecorder({ sessionsDir: dir, upstream: 'http://127.0.0.1:9/v1', shadow: { rules }, live: true }, (o) => {
      if (o.type === 'live' && o.events.some((e) => e.type === 'intent')) sawIntent(o.events);
    });
    const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
    const reasoning = (text: string) => bytes(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { reasoning_content: text }, finish_reason: null }] })}\n\n`);
    try {
      recorder.take({ type: 'request', id: 1, body: bytes(JSON.stringify({ model: ORDER_TRANSCRIPT.model, messages: ORDER_PROMPT, tools: ORDER_TOOLS, stream: true })), at: 0 });
      recorder.take({ type: 'begin', id: 1, status: 200, contentType: 'text/event-stream', at: 1 });
      // The model is still thinking: no call, no answer and no end yet.
      const words = `${ORDER_TRANSCRIPT.messages[2]!.reasoning_content} Then I will say when it arrives, in one short sentence, without any detail it did not ask for.`.split(/(?<= )/);
      words.forEach((w, i) => recorder.take({ type: 'bytes', id: 1, bytes: reasoning(w), at: 2 + i }));
      const events = await intent;
      const found = events.filter((e): e is Extract<ProxyLiveEvent, { type: 'intent' }> => e.type === 'intent').map((e) => [e.turn, e.event.intent.tool, e.event.intent.canonical, e.event.decision]);
      assert.deepEqual(found[0], [0, 'lookup_order', '{"order_id":"A-1042"}', 'fired']);
      recorder.take({ type: 'end', id: 1, at: 100 });
      await recorder.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
