import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Session } from '../../../../src/core/session/format.js';
import { sessionSpans, type SpanDraft } from '../../../../src/core/trace/otlp/session-spans.js';

const metrics = { intents: 2, fired: 2, hits: 1, partialHits: 0, misses: 0, misfires: 1, stale: 0, blocked: 0, warmups: 0, wastedMs: 200, savedMs: 300, ttaMs: 0, ttaWithoutMs: 300, calls: 1, crossTurnHits: 0 };
const intent = (tool: string, canonical: string, ruleId: string, probability: number) =>
  ({ type: 'speculation', event: { type: 'intent', intent: { kind: 'call', tool, args: JSON.parse(canonical) as Record<string, unknown>, canonical, source: 'rule', ruleId, confidence: probability, span: { start: 0, end: 5 }, at: 5 }, decision: 'fired', probability } }) as const;

/** A ticket lookup as the chat records it: the reasoning names it, the lookup runs early and is claimed; a second guess runs for nothing. */
function recordedSession(): Session {
  return {
    header: { kind: 'header', format: 'foresight-session', version: 1, id: 'conv-7', createdAt: '2026-11-30T10:00:00.000Z', model: 'tiny-reasoner', endpoint: 'https://nim.example.com:8443/v1', tools: [{ type: 'function', function: { name: 'get_ticket', parameters: { type: 'object', properties: { id: { type: 'string' } } } } }], versions: { foresight: '9.9.9' }, timing: 'recorded' },
    turns: [
      {
        index: 0,
        startedAt: 1000,
        toolResultsAt: [900],
        request: [
          { role: 'system', content: 'You help with tickets.' },
          { role: 'user', content: 'What is the state of ticket T-12?' },
        ],
        chunks: [
          { t: 20, chunk: { id: 'resp-1', model: 'tiny-reasoner-v2', choices: [{ delta: { reasoning_content: 'I will look up ticket "T-12" with get_ticket.' } }] } },
          { t: 600, chunk: { choices: [{ delta: { tool_calls: [{ index: 0, id: 'call-1', function: { name: 'get_ticket', arguments: '{"id":"T-12"}' } }] } }] } },
          { t: 610, chunk: { choices: [{ finish_reason: 'tool_calls', delta: {} }], usage: { prompt_tokens: 50, completion_tokens: 30, completion_tokens_details: { reasoning_tokens: 22 } } } },
        ],
        toolResults: [{ type: 'toolResult', callId: 'call-1', name: 'get_ticket', arguments: '{"id":"T-12"}', output: '{"state":"open"}', isError: false, durationMs: 5, speculative: { outcome: 'hit', savedMs: 300 } }],
        speculation: [
          { t: 100, event: { type: 'speculation', event: { type: 'specStart', specId: 1, tool: 'get_ticket', canonical: '{"id":"T-12"}', ruleId: 'tickets', at: 100 } } },
          { t: 100, event: intent('get_ticket', '{"id":"T-12"}', 'tickets', 0.8) },
          { t: 150, event: intent('get_ticket', '{"id":"T-13"}', 'guess', 0.4) },
          { t: 150, event: { type: 'speculation', event: { type: 'specStart', specId: 2, tool: 'get_ticket', canonical: '{"id":"T-13"}', ruleId: 'guess', at: 150 } } },
          { t: 400, event: { type: 'speculation', event: { type: 'specEnd', specId: 1, tool: 'get_ticket', canonical: '{"id":"T-12"}', status: 'done', durationMs: 300, at: 400 } } },
          { t: 350, event: { type: 'speculation', event: { type: 'specEnd', specId: 2, tool: 'get_ticket', canonical: '{"id":"T-13"}', status: 'done', durationMs: 200, at: 350 } } },
          { t: 610, event: { type: 'speculation', event: { type: 'claim', callId: 'call-1', tool: 'get_ticket', canonical: '{"id":"T-12"}', outcome: 'hit', specId: 1, savedMs: 300, ttaMs: 0, at: 610 } } },
          { t: 620, event: { type: 'speculation', event: { type: 'misfire', specId: 2, tool: 'get_ticket', canonical: '{"id":"T-13"}', ruleId: 'guess', wastedMs: 200, reason: 'unclaimed' } } },
          { t: 620, event: { type: 'turnMetrics', metrics } },
        ],
      },
    ],
  };
}

const byKey = (spans: SpanDraft[], key: string): SpanDraft => {
  const span = spans.find((s) => s.key === key);
  assert.ok(span, `no span ${key} among ${spans.map((s) => s.key).join(', ')}`);
  return span;
};
const T0 = Date.parse('2026-11-30T10:00:00.000Z');

describe('a recorded session as GenAI spans', () => {
  it('has an invoke_agent root, a chat span per model call with its usage, and an execute_tool span per tool run', () => {
    const { spans } = sessionSpans(recordedSession());
    const root = byKey(spans, 'agent');
    assert.equal(root.name, 'invoke_agent Foresight');
    assert.equal(root.attributes['gen_ai.conversation.id'], 'conv-7');
    const chat = byKey(spans, 'chat:0');
    assert.equal(chat.name, 'chat tiny-reasoner');
    assert.equal(chat.parent, 'agent');
    assert.equal(chat.kind, 'client');
    assert.equal(chat.startMs, T0 + 1000);
    assert.equal(chat.endMs, T0 + 1610);
    assert.equal(chat.attributes['gen_ai.operation.name'], 'chat');
    assert.equal(chat.attributes['gen_ai.response.model'], 'tiny-reasoner-v2');
    assert.equal(chat.attributes['gen_ai.response.id'], 'resp-1');
    assert.deepEqual(chat.attributes['gen_ai.response.finish_reasons'], ['tool_calls']);
    assert.equal(chat.attributes['gen_ai.usage.input_tokens'], 50);
    assert.equal(chat.attributes['gen_ai.usage.output_tokens'], 30);
    assert.equal(chat.attributes['gen_ai.usage.reasoning.output_tokens'], 22);
    assert.equal(chat.attributes['server.address'], 'nim.example.com');
    assert.equal(chat.attributes['server.port'], 8443);
    const tool = byKey(spans, 'tool:0:0');
    assert.equal(tool.name, 'execute_tool get_ticket');
    assert.equal(tool.attributes['gen_ai.tool.call.id'], 'call-1');
    assert.equal(tool.endMs, T0 + 1900);
    assert.equal(tool.startMs, T0 + 1895);
  });

  it('draws the early run under the chat span and links the formal call to it, with outcome, rule, probability, lead and saving', () => {
    const { spans } = sessionSpans(recordedSession());
    const run = byKey(spans, 'spec:0:1');
    assert.equal(run.parent, 'chat:0');
    assert.equal(run.attributes['foresight.speculative'], true);
    assert.equal(run.startMs, T0 + 1100);
    assert.equal(run.endMs, T0 + 1400);
    assert.equal(run.attributes['foresight.speculation.outcome'], 'hit');
    assert.equal(run.attributes['foresight.speculation.probability'], 0.8, 'the intent reported after its run still gives the run its probability');
    const tool = byKey(spans, 'tool:0:0');
    assert.deepEqual(tool.links.map((l) => l.key), ['spec:0:1']);
    assert.equal(tool.attributes['foresight.speculation.outcome'], 'hit');
    assert.equal(tool.attributes['foresight.speculation.rule'], 'tickets');
    assert.equal(tool.attributes['foresight.speculation.probability'], 0.8);
    assert.equal(tool.attributes['foresight.speculation.saved_ms'], 300);
    assert.equal(tool.attributes['foresight.speculation.lead_ms'], 510, 'sealed when the stream finished at 610, started at 100');
  });

  it('marks a run nobody claimed as a misfire with what it wasted, and links nothing to it', () => {
    const { spans } = sessionSpans(recordedSession());
    const run = byKey(spans, 'spec:0:2');
    assert.equal(run.attributes['foresight.speculation.outcome'], 'misfire');
    assert.equal(run.attributes['foresight.speculation.wasted_ms'], 200);
    assert.equal(run.attributes['foresight.speculation.probability'], 0.4);
    assert.ok(spans.every((s) => s.links.every((l) => l.key !== 'spec:0:2')));
  });

  it('leaves messages, reasoning, arguments and results out unless content capture is on', () => {
    const without = JSON.stringify(sessionSpans(recordedSession()).spans);
    for (const secretish of ['state of ticket', 'I will look up', '"state":"open"', 'You help with tickets']) assert.ok(!without.includes(secretish), secretish);
    const { spans } = sessionSpans(recordedSession(), { captureContent: true });
    const chat = byKey(spans, 'chat:0');
    const output = JSON.parse(String(chat.attributes['gen_ai.output.messages'])) as { role: string; parts: { type: string; content?: string; name?: string; arguments?: unknown }[]; finish_reason?: string }[];
    assert.deepEqual(output[0]?.parts.map((p) => p.type), ['reasoning', 'tool_call']);
    assert.equal(output[0]?.parts[0]?.content, 'I will look up ticket "T-12" with get_ticket.');
    assert.deepEqual(output[0]?.parts[1]?.arguments, { id: 'T-12' });
    assert.equal(output[0]?.finish_reason, 'tool_calls');
    const input = JSON.parse(String(chat.attributes['gen_ai.input.messages'])) as { role: string }[];
    assert.deepEqual(input.map((m) => m.role), ['user'], 'the system message goes to gen_ai.system_instructions');
    assert.match(String(chat.attributes['gen_ai.system_instructions']), /You help with tickets/);
    assert.equal(byKey(spans, 'tool:0:0').attributes['gen_ai.tool.call.result'], '{"state":"open"}');
  });

  it('paces a session imported without timing, turn after turn, tools after the call that asked for them', () => {
    const session = recordedSession();
    session.header.timing = 'none';
    const { spans } = sessionSpans(session);
    const chat = byKey(spans, 'chat:0');
    const tool = byKey(spans, 'tool:0:0');
    assert.equal(chat.startMs, T0, 'an imported session starts its first turn at its start');
    assert.ok(tool.startMs >= chat.endMs, 'the tool runs after the model call');
    assert.equal(tool.endMs - tool.startMs, 5);
  });

  it('marks a failed model call and a failed tool as errors', () => {
    const session = recordedSession();
    const turn = session.turns[0];
    assert.ok(turn);
    turn.chunks = turn.chunks.slice(0, 1);
    turn.toolResults = [{ ...turn.toolResults[0]!, isError: true, speculative: undefined }];
    const { spans } = sessionSpans(session);
    assert.equal(byKey(spans, 'chat:0').status.code, 'error', 'a stream cut short is an error');
    assert.equal(byKey(spans, 'tool:0:0').status.code, 'error');
    assert.equal(byKey(spans, 'tool:0:0').attributes['error.type'], 'tool_error');
  });
});
