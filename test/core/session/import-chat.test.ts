import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { importChatTranscript } from '../../../src/core/session/import-chat.js';
import { answerOf } from './answer-of.js';

const transcript = {
  model: 'deepseek-ai/deepseek-r1',
  title: 'Reading a file',
  demo: true,
  tools: [{ type: 'function', function: { name: 'read_file', description: 'Reads a file', parameters: { type: 'object' } } }],
  messages: [
    { role: 'system', content: 'You help.' },
    { role: 'user', content: [{ type: 'text', text: 'What is in a.ts?' }] },
    {
      role: 'assistant',
      content: '',
      reasoning_content: 'I should read a.ts.',
      tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'read_file', arguments: { path: 'a.ts' } } }],
    },
    { role: 'tool', tool_call_id: 'call_1', content: 'export {}', x_latency_ms: 42 },
    { role: 'assistant', content: 'It exports nothing.', reasoning: 'Empty module.' },
    { role: 'user', content: 'Thanks' },
    { role: 'assistant', content: 'You are welcome.' },
  ],
};

describe('importChatTranscript', () => {
  const session = importChatTranscript(transcript, { file: '/somewhere/demo.json' });

  it('makes one turn per assistant message whose request is every message before it', () => {
    assert.equal(session.turns.length, 3);
    assert.deepEqual(
      session.turns.map((t) => t.request.length),
      [2, 4, 6],
    );
    assert.deepEqual(session.turns[0]?.request[1], { role: 'user', content: 'What is in a.ts?' });
  });

  it('streams the reasoning and calls but leaves reasoning fields out of later requests', () => {
    const first = answerOf(session.turns[0]!);
    assert.equal(first.reasoning, 'I should read a.ts.');
    assert.deepEqual(first.calls, [{ id: 'call_1', name: 'read_file', arguments: '{"path":"a.ts"}' }]);
    assert.equal(first.finishReason, 'tool_calls');
    assert.equal(answerOf(session.turns[1]!).reasoning, 'Empty module.');
    assert.equal(answerOf(session.turns[1]!).finishReason, 'stop');
    for (const message of session.turns[2]?.request ?? []) {
      assert.ok(!('reasoning_content' in message) && !('reasoning' in message));
      assert.ok(!('x_latency_ms' in message));
    }
  });

  it('records the tool messages after an assistant message as its results, with their stated latency', () => {
    assert.deepEqual(session.turns[0]?.toolResults, [
      {
        type: 'toolResult',
        callId: 'call_1',
        name: 'read_file',
        arguments: '{"path":"a.ts"}',
        output: 'export {}',
        isError: false,
        durationMs: 42,
        recorded: true,
      },
    ]);
    assert.deepEqual(session.turns[1]?.toolResults, []);
  });

  it('takes model, tools, title and demo from the transcript', () => {
    assert.equal(session.header.model, 'deepseek-ai/deepseek-r1');
    assert.equal(session.header.title, 'Reading a file');
    assert.equal(session.header.demo, true);
    assert.deepEqual(session.header.recordedTools, ['read_file']);
    assert.deepEqual(session.header.source, { kind: 'chat-transcript', file: '/somewhere/demo.json' });
    assert.equal(session.header.timing, 'none');
  });

  it('assumes 300 ms for a tool result without a latency and infers tools when none are declared', () => {
    const bare = importChatTranscript(
      {
        messages: [
          { role: 'user', content: 'go' },
          { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'ls', arguments: '{"dir":"."}' } }] },
          { role: 'tool', tool_call_id: 'c', content: 'a.ts' },
        ],
      },
      { file: 'bare.jsonl', line: 3 },
    );
    assert.equal(bare.turns[0]?.toolResults[0]?.durationMs, 300);
    assert.equal(bare.header.model, 'unknown');
    assert.equal(bare.header.title, 'go', 'a transcript without a title is named by its first user message');
    assert.deepEqual(bare.header.tools, [
      { type: 'function', function: { name: 'ls', parameters: { type: 'object', properties: { dir: { type: 'string' } } } } },
    ]);
  });

  it('refuses a transcript with a message it cannot read, saying which', () => {
    assert.throws(() => importChatTranscript({ messages: [{ role: 'narrator', content: 'x' }] }, { file: 'f' }), /message 1/);
    assert.throws(() => importChatTranscript({ turns: [] }, { file: 'f' }), /messages/);
  });
});
