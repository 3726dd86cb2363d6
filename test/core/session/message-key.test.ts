import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AssistantMessage, ChatMessage } from '../../../src/core/chat/types.js';
import { conversationKey, describeConversation, stripThinkBlocks } from '../../../src/core/session/message-key.js';

const call = (id: string, args: string): AssistantMessage => ({
  role: 'assistant',
  content: null,
  tool_calls: [{ id, type: 'function', function: { name: 'read_file', arguments: args } }],
});

describe('conversationKey', () => {
  it('ignores tool call ids, tool_call_id and reasoning fields', () => {
    const a: ChatMessage[] = [
      { role: 'user', content: 'Read it' },
      { ...call('call_1', '{"path":"a.ts"}'), reasoning_content: 'I should read a.ts' },
      { role: 'tool', tool_call_id: 'call_1', content: 'text of a' },
    ];
    const b: ChatMessage[] = [
      { role: 'user', content: 'Read it' },
      call('chatcmpl-tool-99', '{"path":"a.ts"}'),
      { role: 'tool', tool_call_id: 'chatcmpl-tool-99', content: 'text of a' },
    ];
    assert.equal(conversationKey(a), conversationKey(b));
  });

  it('ignores think blocks and surrounding space in assistant text', () => {
    const withThink: ChatMessage[] = [{ role: 'assistant', content: '<think>Let me look.</think>\n\nDone. ' }];
    const plain: ChatMessage[] = [{ role: 'assistant', content: 'Done.' }];
    assert.equal(conversationKey(withThink), conversationKey(plain));
  });

  it('counts developer messages as system messages', () => {
    assert.equal(
      conversationKey([{ role: 'developer', content: 'Be brief.' }]),
      conversationKey([{ role: 'system', content: 'Be brief.' }]),
    );
  });

  it('distinguishes different tool call arguments', () => {
    assert.notEqual(conversationKey([call('x', '{"path":"a.ts"}')]), conversationKey([call('x', '{"path":"b.ts"}')]));
  });

  it('does not care about key order or spacing in the arguments', () => {
    assert.equal(
      conversationKey([call('x', '{"path":"a.ts","limit":{"to":2,"from":1}}')]),
      conversationKey([call('y', '{ "limit": { "from": 1, "to": 2 }, "path": "a.ts" }')]),
    );
  });

  it('compares arguments that are not JSON as raw text', () => {
    assert.equal(conversationKey([call('x', '{"path":')]), conversationKey([call('y', '{"path":')]));
    assert.notEqual(conversationKey([call('x', '{"path":')]), conversationKey([call('x', '{"path": ')]));
  });

  it('treats content given as text parts like the same text given as a string', () => {
    const parts = [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }] as unknown as ChatMessage[];
    assert.equal(conversationKey(parts), conversationKey([{ role: 'user', content: 'Hello' }]));
  });

  it('distinguishes different tool output, roles and message order', () => {
    const tool = (content: string): ChatMessage => ({ role: 'tool', tool_call_id: 'c', content });
    assert.notEqual(conversationKey([tool('1')]), conversationKey([tool('2')]));
    assert.notEqual(conversationKey([{ role: 'user', content: 'x' }]), conversationKey([{ role: 'system', content: 'x' }]));
    const u1: ChatMessage = { role: 'user', content: 'one' };
    const u2: ChatMessage = { role: 'user', content: 'two' };
    assert.notEqual(conversationKey([u1, u2]), conversationKey([u2, u1]));
  });
});

describe('stripThinkBlocks', () => {
  it('removes closed blocks, text before a lone closing tag and an unclosed block', () => {
    assert.equal(stripThinkBlocks('<think>a</think>b<think>c</think> d'), 'b d');
    assert.equal(stripThinkBlocks('reasoning without an opening tag</think>\nanswer'), 'answer');
    assert.equal(stripThinkBlocks('answer <think>still thinking'), 'answer');
  });
});

describe('describeConversation', () => {
  it('names the roles and how the last user message starts', () => {
    const text = describeConversation([
      { role: 'system', content: 'You help.' },
      { role: 'user', content: 'first question' },
      { role: 'assistant', content: 'answer' },
      { role: 'user', content: 'Please book two tickets for the panel on December tenth at noon' },
    ]);
    assert.match(text, /4 messages/);
    assert.match(text, /2 user/);
    assert.match(text, /"Please book two tickets for the panel on…"/);
  });

  it('says when the conversation is empty', () => {
    assert.equal(describeConversation([]), 'an empty conversation');
  });
});
