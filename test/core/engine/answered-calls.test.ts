import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatMessage, JsonSchema, ToolSpec } from '../../../src/core/chat/types.js';
import { markAnsweredCalls } from '../../../src/core/engine/answered-calls.js';
import { ArgumentNormalizer, type NormalizedArguments } from '../../../src/core/schema/argument-normalizer.js';
import { intentKey } from '../../../src/core/sniff/intent.js';
import { SpeculationCache } from '../../../src/core/speculation/speculation-cache.js';

/** The real normalizer, counting how often it is asked to read a call's arguments. */
class CountingNormalizer extends ArgumentNormalizer {
  reads = 0;
  override normalizeText(schema: JsonSchema | undefined, text: string): NormalizedArguments {
    this.reads++;
    return super.normalizeText(schema, text);
  }
}

const tools: ToolSpec[] = [
  { type: 'function', function: { name: 'find_room', parameters: { type: 'object', properties: { floor: { type: 'integer' }, wing: { type: 'string' } }, required: ['floor'] } } },
];

const call = (id: string, args: string): ChatMessage => ({ role: 'assistant', content: null, tool_calls: [{ id, type: 'function', function: { name: 'find_room', arguments: args } }] });
const answer = (id: string): ChatMessage => ({ role: 'tool', tool_call_id: id, content: 'room 12' });
const keyOf = (canonical: string) => intentKey('find_room', canonical);

describe('markAnsweredCalls', () => {
  it('marks the calls that have an answer, by their canonical arguments, and not those still waiting', () => {
    const cache = new SpeculationCache();
    const messages: ChatMessage[] = [{ role: 'user', content: 'Where can we meet?' }, call('c1', '{"wing":"east","floor":2}'), answer('c1'), call('c2', '{"floor":5}')];
    markAnsweredCalls(cache, messages, tools, new ArgumentNormalizer());
    assert.equal(cache.wasAnswered(keyOf('{"floor":2,"wing":"east"}')), true);
    assert.equal(cache.wasAnswered(keyOf('{"floor":5}')), false, 'c2 has no tool message yet');
  });

  it('reads each answered call once per session, however many later turns repeat it', () => {
    const cache = new SpeculationCache();
    const normalizer = new CountingNormalizer();
    const conversation: ChatMessage[] = [{ role: 'user', content: 'Find rooms on every floor.' }];
    for (let turn = 0; turn < 6; turn++) {
      conversation.push(call(`c${turn}`, `{"floor":${turn}}`), answer(`c${turn}`));
      // Each turn's request carries the whole conversation so far.
      markAnsweredCalls(cache, conversation, tools, normalizer);
    }
    assert.equal(normalizer.reads, 6, 'one read per call, not one per call per later turn');
    for (let turn = 0; turn < 6; turn++) assert.equal(cache.wasAnswered(keyOf(`{"floor":${turn}}`)), true);
  });

  it('marks a later call that reuses an earlier call id with other arguments', () => {
    const cache = new SpeculationCache();
    const normalizer = new ArgumentNormalizer();
    const first: ChatMessage[] = [call('call_0', '{"floor":1}'), answer('call_0')];
    markAnsweredCalls(cache, first, tools, normalizer);
    markAnsweredCalls(cache, [...first, call('call_0', '{"floor":3}'), answer('call_0')], tools, normalizer);
    assert.equal(cache.wasAnswered(keyOf('{"floor":1}')), true);
    assert.equal(cache.wasAnswered(keyOf('{"floor":3}')), true, 'a server that numbers calls per response reuses call_0');
  });
});
