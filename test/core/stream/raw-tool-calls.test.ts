import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RawToolCallExtractor, type RawCallSegment } from '../../../src/core/stream/raw-tool-calls.js';

function run(pieces: string[]): { content: string; calls: { name: string; arguments: string }[]; malformed: number } {
  const x = new RawToolCallExtractor();
  const segs: RawCallSegment[] = [];
  for (const p of pieces) segs.push(...x.push(p));
  segs.push(...x.flush());
  return {
    content: segs.flatMap((s) => (s.kind === 'content' ? [s.text] : [])).join(''),
    calls: segs.flatMap((s) => (s.kind === 'call' ? [{ name: s.call.name, arguments: s.call.arguments }] : [])),
    malformed: segs.filter((s) => s.kind === 'malformed').length,
  };
}

function everySplit(text: string): string[][] {
  const out: string[][] = [[text]];
  for (let i = 1; i < text.length; i++) out.push([text.slice(0, i), text.slice(i)]);
  return out;
}

describe('RawToolCallExtractor', () => {
  it('turns a Hermes/Qwen block into a call, split anywhere', () => {
    const text = 'Checking.<tool_call>\n{"name": "get_weather", "arguments": {"city": "Lisbon"}}\n</tool_call>';
    for (const pieces of everySplit(text)) {
      const got = run(pieces);
      assert.equal(got.content, 'Checking.', JSON.stringify(pieces));
      assert.deepEqual(got.calls, [{ name: 'get_weather', arguments: '{"city":"Lisbon"}' }]);
    }
  });

  it('turns a DeepSeek block with two calls into two calls, split anywhere', () => {
    const call = (n: string, a: string) => `<｜tool▁call▁begin｜>function<｜tool▁sep｜>${n}\n\`\`\`json\n${a}\n\`\`\`<｜tool▁call▁end｜>`;
    const text = `<｜tool▁calls▁begin｜>${call('get_a', '{"x":1}')}${call('get_b', '{"y":2}')}<｜tool▁calls▁end｜>`;
    for (const pieces of everySplit(text)) {
      const got = run(pieces);
      assert.equal(got.content, '');
      assert.deepEqual(got.calls, [
        { name: 'get_a', arguments: '{"x":1}' },
        { name: 'get_b', arguments: '{"y":2}' },
      ]);
    }
  });

  it('gives a block it cannot read back as text and says so, losing nothing', () => {
    const got = run(['a<tool_call>not json</tool_call>b']);
    assert.equal(got.content, 'a<tool_call>not jsonb');
    assert.equal(got.malformed, 1);
    assert.deepEqual(got.calls, []);
  });

  it('leaves text that only looks like a marker alone', () => {
    assert.deepEqual(run(['x < y and <tool', '_callback> z']), { content: 'x < y and <tool_callback> z', calls: [], malformed: 0 });
  });

  it('gives an unclosed block back as text at the end of the stream', () => {
    const got = run(['<tool_call>{"name":"f"']);
    assert.equal(got.content, '<tool_call>{"name":"f"');
    assert.equal(got.malformed, 1);
  });
});
