import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatMessage } from '../../../src/core/chat/types.js';
import { settleHistory } from '../../../src/core/chat-session/history.js';

const user = (content: string): ChatMessage => ({ role: 'user', content });
const answer = (content: string): ChatMessage => ({ role: 'assistant', content });
const calls = (...ids: string[]): ChatMessage => ({
  role: 'assistant',
  content: null,
  tool_calls: ids.map((id) => ({ id, type: 'function', function: { name: 'f', arguments: '{}' } })),
});
const result = (id: string): ChatMessage => ({ role: 'tool', tool_call_id: id, content: 'ok' });

describe('settleHistory', () => {
  const before = [user('a'), answer('A')];

  it('keeps a run that ended with an answer whole', () => {
    const after = [...before, user('b'), calls('1'), result('1'), answer('B')];
    assert.deepEqual(settleHistory(before, after), after);
  });

  it('cuts a turn whose tool calls were not all answered', () => {
    const after = [...before, user('b'), calls('1'), result('1'), calls('2', '3'), result('2')];
    assert.deepEqual(settleHistory(before, after), [...before, user('b'), calls('1'), result('1')]);
  });

  it('drops a run that left only its user message', () => {
    assert.deepEqual(settleHistory(before, [...before, user('b')]), before);
    assert.deepEqual(settleHistory(before, [...before, user('b'), calls('1')]), before);
  });

  it('never touches the history before the run', () => {
    const odd = [user('a'), calls('x')];
    assert.deepEqual(settleHistory(odd, [...odd, user('b')]), odd);
  });
});
