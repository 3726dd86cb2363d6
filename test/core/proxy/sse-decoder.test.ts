import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SseDecoder } from '../../../src/core/proxy/sse-decoder.js';

const stream = 'data: {"choices":[{"index":0,"delta":{"content":"héllo"}}]}\n\n: keep-alive\n\nevent: x\r\ndata: {"a":\ndata: 1}\r\n\r\ndata: not json\n\ndata: [DONE]\n\n';

describe('SseDecoder', () => {
  it('reads the same events whatever the byte boundaries, even inside a UTF-8 character', () => {
    const bytes = Buffer.from(stream, 'utf8');
    const whole = new SseDecoder();
    const expected = [...whole.push(bytes), ...whole.end()];
    assert.deepEqual(expected.map((e) => e.kind), ['chunk', 'chunk', 'unreadable', 'done']);
    assert.deepEqual(expected[1], { kind: 'chunk', chunk: { a: 1 } });
    for (let size = 1; size <= 7; size++) {
      const d = new SseDecoder();
      const got = [];
      for (let i = 0; i < bytes.length; i += size) got.push(...d.push(bytes.subarray(i, i + size)));
      got.push(...d.end());
      assert.deepEqual(got, expected, `pieces of ${size} bytes`);
    }
  });

  it('counts an event cut off without its blank line when the stream ends', () => {
    const d = new SseDecoder();
    assert.deepEqual(d.push(Buffer.from('data: {"x":2}')), []);
    assert.deepEqual(d.end(), [{ kind: 'chunk', chunk: { x: 2 } }]);
  });
});
