import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AssistantMessage, ChatMessage } from '../../../src/core/chat/types.js';
import { continues } from '../../../src/core/proxy/conversation-match.js';

const request: ChatMessage[] = [
  { role: 'system', content: 'You file support tickets.' },
  { role: 'user', content: 'Open a ticket for the broken printer.' },
];
const answer: AssistantMessage = {
  role: 'assistant',
  content: null,
  reasoning_content: 'I will call create_ticket with title "broken printer".',
  tool_calls: [{ id: 'call_t1', type: 'function', function: { name: 'create_ticket', arguments: '{"title":"broken printer"}' } }],
};
const result: ChatMessage = { role: 'tool', tool_call_id: 'call_t1', content: '{"ticket":"T-7"}' };

describe('continues', () => {
  it('takes a request that extends the last one with its answer and the tool results', () => {
    assert.equal(continues({ request, answer }, [...request, { ...answer, reasoning_content: undefined } as AssistantMessage, result]), true);
  });

  it('takes an answer the agent rewrote when it carries the same call ids', () => {
    const rewritten: AssistantMessage = { role: 'assistant', content: 'Filing it.', tool_calls: [{ id: 'call_t1', type: 'function', function: { name: 'create_ticket', arguments: '{ "title": "broken printer", "priority": 2 }' } }] };
    assert.equal(continues({ request, answer }, [...request, rewritten, result]), true);
  });

  it('refuses another conversation, a request that skips the answer and one that changed history', () => {
    assert.equal(continues({ request, answer }, [{ role: 'user', content: 'Hello' }]), false);
    assert.equal(continues({ request, answer }, [...request, result]), false);
    assert.equal(continues({ request, answer }, [request[0]!, { role: 'user', content: 'Something else.' }, answer, result]), false);
    assert.equal(continues({ request, answer }, request), false);
  });

  it('after a failed request, takes its retry as the same conversation', () => {
    assert.equal(continues({ request }, request), true);
    assert.equal(continues({ request }, request.slice(0, 1)), false);
  });
});
