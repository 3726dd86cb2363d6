import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChunkParser } from '../../../src/core/stream/chunk-parser.js';
import type { StreamEvent } from '../../../src/core/stream/events.js';
import type { RawChunk, RawDelta } from '../../../src/core/stream/raw-chunk.js';
import { collect } from './collect.js';

const chunk = (delta: RawDelta, finish: string | null = null): RawChunk => ({
  id: 'c1',
  object: 'chat.completion.chunk',
  choices: [{ index: 0, delta, finish_reason: finish }],
});

function parse(chunks: RawChunk[], end = true): StreamEvent[] {
  const p = new ChunkParser();
  const out: StreamEvent[] = [];
  for (const c of chunks) out.push(...p.push(c));
  if (end) out.push(...p.end());
  return out;
}

/** Cuts a string into pieces at the given positions. */
function cut(text: string, at: number[]): string[] {
  const out: string[] = [];
  let prev = 0;
  for (const i of at) {
    out.push(text.slice(prev, i));
    prev = i;
  }
  out.push(text.slice(prev));
  return out.filter((s) => s.length > 0);
}

describe('ChunkParser', () => {
  it('reads reasoning from delta.reasoning_content (DeepSeek API, older vLLM)', () => {
    const got = collect(parse([chunk({ role: 'assistant', content: '' }), chunk({ reasoning_content: 'think ' }), chunk({ reasoning_content: 'more' }), chunk({ content: 'Hi' }), chunk({}, 'stop')]));
    assert.equal(got.reasoning, 'think more');
    assert.equal(got.content, 'Hi');
    assert.equal(got.finish, 'stop');
    assert.deepEqual(got.errors, []);
  });

  it('reads reasoning from delta.reasoning (newer vLLM, NIM 2.x)', () => {
    const got = collect(parse([chunk({ reasoning: 'a' }), chunk({ reasoning: 'b', content: null }), chunk({ content: 'c' }), chunk({}, 'stop')]));
    assert.equal(got.reasoning, 'ab');
    assert.equal(got.content, 'c');
  });

  it('takes one copy when a server sends the same text in both reasoning fields', () => {
    const got = collect(parse([chunk({ reasoning: 'x', reasoning_content: 'x' }), chunk({}, 'stop')]));
    assert.equal(got.reasoning, 'x');
  });

  it('splits inline think tags cut at every character across chunks (hosted R1)', () => {
    const text = '<think>Call lookup with id "A7".</think>\n\nFound it.';
    for (let i = 1; i < text.length; i++) {
      for (const j of [i + 1, i + 3]) {
        if (j >= text.length) continue;
        const chunks = cut(text, [i, j]).map((t) => chunk({ content: t }));
        const got = collect(parse([...chunks, chunk({}, 'stop')]));
        assert.equal(got.reasoning, 'Call lookup with id "A7".', `cut at ${i},${j}`);
        assert.equal(got.content, 'Found it.', `cut at ${i},${j}`);
      }
    }
  });

  it('treats text before a lone </think> as reasoning, split at every position', () => {
    const text = 'The user wants X.</think>Here is X.';
    for (let i = 1; i < text.length; i++) {
      const got = collect(parse([...cut(text, [i]).map((t) => chunk({ content: t })), chunk({}, 'stop')]));
      assert.equal(got.reasoning, 'The user wants X.', `cut at ${i}`);
      assert.equal(got.content, 'Here is X.', `cut at ${i}`);
    }
  });

  it('joins tool call deltas by index and seals each when the next starts', () => {
    const events = parse([
      chunk({ reasoning_content: 'need two lookups' }),
      chunk({ tool_calls: [{ index: 0, id: 'a', type: 'function', function: { name: 'get', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"id":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '"1"}' } }] }),
      chunk({ tool_calls: [{ index: 1, id: 'b', type: 'function', function: { name: 'get', arguments: '{"id":"2"}' } }] }),
      chunk({}, 'tool_calls'),
    ]);
    const got = collect(events);
    assert.deepEqual(got.sealed, [
      { id: 'a', name: 'get', arguments: '{"id":"1"}' },
      { id: 'b', name: 'get', arguments: '{"id":"2"}' },
    ]);
    // The first call is sealed as soon as the second starts, before finish_reason.
    const firstSeal = events.findIndex((e) => e.type === 'toolCallSealed');
    const secondStart = events.findIndex((e) => e.type === 'toolCallStarted' && e.id === 'b');
    assert.ok(firstSeal < secondStart + 1 && firstSeal > 0);
    assert.equal(got.finish, 'tool_calls');
  });

  it('splits calls by id where a server reuses index 0', () => {
    const got = collect(
      parse([
        chunk({ tool_calls: [{ index: 0, id: 'x', function: { name: 'a', arguments: '{}' } }] }),
        chunk({ tool_calls: [{ index: 0, id: 'y', function: { name: 'b', arguments: '{"k":1}' } }] }),
        chunk({}, 'tool_calls'),
      ]),
    );
    assert.deepEqual(
      got.sealed.map((c) => [c.id, c.name, c.arguments]),
      [
        ['x', 'a', '{}'],
        ['y', 'b', '{"k":1}'],
      ],
    );
  });

  it('keeps one call when a server repeats the same id on every delta', () => {
    const got = collect(
      parse([
        chunk({ tool_calls: [{ index: 0, id: 'x', function: { name: 'a', arguments: '{"q":' } }] }),
        chunk({ tool_calls: [{ index: 0, id: 'x', function: { arguments: '"z"}' } }] }),
        chunk({}, 'tool_calls'),
      ]),
    );
    assert.deepEqual(got.sealed, [{ id: 'x', name: 'a', arguments: '{"q":"z"}' }]);
  });

  it('seals calls at any finish reason, not only tool_calls', () => {
    const got = collect(parse([chunk({ tool_calls: [{ index: 0, id: 'x', function: { name: 'a', arguments: '{}' } }] }), chunk({}, 'stop')]));
    assert.equal(got.sealed.length, 1);
  });

  it('reports a stream cut in the middle of a tool call and does not seal it', () => {
    const got = collect(parse([chunk({ tool_calls: [{ index: 0, id: 'x', function: { name: 'a', arguments: '{"q":' } }] })]));
    assert.equal(got.sealed.length, 0);
    assert.equal(got.errors.length, 1);
    assert.match(got.errors[0] ?? '', /middle of a tool call/);
  });

  it('reports a stream that ends without a finish reason', () => {
    const got = collect(parse([chunk({ content: 'partial' })]));
    assert.match(got.errors[0] ?? '', /before the model finished/);
  });

  it('reports interleaved tool call deltas instead of dropping arguments', () => {
    const got = collect(
      parse([
        chunk({ tool_calls: [{ index: 0, id: 'a', function: { name: 'f', arguments: '{"x":' } }] }),
        chunk({ tool_calls: [{ index: 1, id: 'b', function: { name: 'g', arguments: '{}' } }] }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '1}' } }] }),
      ], false),
    );
    assert.match(got.errors[0] ?? '', /interleaved/);
  });

  it('reports usage from the final chunk with empty choices', () => {
    const events = parse([chunk({ content: 'x' }, 'stop'), { choices: [], usage: { prompt_tokens: 5, completion_tokens: 7, completion_tokens_details: { reasoning_tokens: 3 } } }]);
    const usage = events.find((e) => e.type === 'usage');
    assert.deepEqual(usage, { type: 'usage', usage: { promptTokens: 5, completionTokens: 7, reasoningTokens: 3 } });
  });

  it('emits content held as a partial tag before a following tool call', () => {
    const events = parse([chunk({ content: 'ok <' }), chunk({ tool_calls: [{ index: 0, id: 'a', function: { name: 'f', arguments: '{}' } }] }), chunk({}, 'tool_calls')]);
    const got = collect(events);
    assert.equal(got.content, 'ok <');
    assert.ok(got.order.indexOf('content') < got.order.indexOf('toolCallStarted'));
  });
});

describe('ChunkParser with tool calls left in the text', () => {
  it('reports a Hermes block in the answer as a sealed call, and the rest as answer', () => {
    const text = '<think>use the tool</think>Let me check.<tool_call>{"name":"get_weather","arguments":{"city":"Oslo"}}</tool_call>';
    for (let i = 1; i < text.length; i += 3) {
      const got = collect(parse([chunk({ content: text.slice(0, i) }), chunk({ content: text.slice(i) }), chunk({}, 'stop')]));
      assert.equal(got.reasoning, 'use the tool');
      assert.equal(got.content, 'Let me check.');
      assert.deepEqual(got.sealed.map((c) => [c.name, c.arguments]), [['get_weather', '{"city":"Oslo"}']], `cut at ${i}`);
    }
  });
});
