import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { synthesizeTurnChunks } from '../../../src/core/session/synthesize-chunks.js';

describe('synthesizeTurnChunks', () => {
  it('emits role, reasoning, content, each call opened then filled, and the finish, in that order', () => {
    const chunks = synthesizeTurnChunks({
      id: 'x',
      model: 'm',
      reasoning: 'think',
      content: 'say',
      toolCalls: [
        { id: 'a', name: 'f', arguments: '{"n":1}' },
        { id: 'b', name: 'g', arguments: '{}' },
      ],
      finishReason: 'tool_calls',
    });
    assert.deepEqual(
      chunks.map((c) => c.choices?.[0]?.delta),
      [
        { role: 'assistant' },
        { reasoning_content: 'think' },
        { content: 'say' },
        { tool_calls: [{ index: 0, id: 'a', type: 'function', function: { name: 'f', arguments: '' } }] },
        { tool_calls: [{ index: 0, function: { arguments: '{"n":1}' } }] },
        { tool_calls: [{ index: 1, id: 'b', type: 'function', function: { name: 'g', arguments: '' } }] },
        { tool_calls: [{ index: 1, function: { arguments: '{}' } }] },
        {},
      ],
    );
    assert.deepEqual(
      chunks.map((c) => c.choices?.[0]?.finish_reason),
      [null, null, null, null, null, null, null, 'tool_calls'],
    );
    assert.ok(chunks.every((c) => c.object === 'chat.completion.chunk' && c.id === 'x' && c.model === 'm'));
  });

  it('leaves out empty reasoning and content', () => {
    const chunks = synthesizeTurnChunks({ id: 'x', model: 'm', reasoning: '', toolCalls: [], finishReason: 'stop' });
    assert.equal(chunks.length, 2);
  });
});
