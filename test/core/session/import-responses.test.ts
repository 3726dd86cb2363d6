import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ChatMessage } from '../../../src/core/chat/types.js';
import type { Session } from '../../../src/core/session/format.js';
import { CONVERSATION_TITLE_CHARS, conversationTitle } from '../../../src/core/session/import-common.js';
import { importResponsesRollout, NO_OUTPUT_RECORDED } from '../../../src/core/session/import-responses.js';
import { conversationKey } from '../../../src/core/session/message-key.js';
import { readSessionFile } from '../../../src/core/session/session-reader.js';
import { CORPUS_DIR } from '../../fixtures/corpus.js';
import { answerOf } from './answer-of.js';

// The rollouts are data, not part of the repository: read them where they are shared. A
// missing corpus fails these tests rather than skipping them, since CI always has it.
const corpus = CORPUS_DIR;
const FILES = ['conversational_tool_use_simulation.jsonl', 'deepswe.jsonl', 'gdpval.jsonl'] as const;

type Item = Record<string, unknown>;

/** The raw rollouts of a corpus file, parsed without the importer. */
function rawRollouts(file: string): { output: Item[] }[] {
  return readFileSync(join(corpus, file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const rollout = JSON.parse(line) as { response: { output: Item[] } };
      return { output: rollout.response.output };
    });
}

/**
 * Model calls counted straight from the items: each run of adjacent function calls is one,
 * and so is each assistant message not followed by a call (it ends its turn).
 */
function expectedTurns(output: Item[]): number {
  let turns = 0;
  output.forEach((item, i) => {
    const next = output[i + 1];
    if (item.type === 'function_call' && next?.type !== 'function_call') turns++;
    if (item.type === 'message' && item.role === 'assistant' && next?.type !== 'function_call') turns++;
  });
  return turns;
}

const sessionsOf = async (file: string): Promise<Session[]> => {
  const { sessions, problems } = await readSessionFile(join(corpus, file));
  assert.deepEqual(problems, []);
  return sessions;
};

describe('importing the NeMo Gym rollouts', () => {
  for (const file of FILES) {
    it(`gives ${file} one session per rollout with the calls, results and turns its items imply`, async () => {
      const raw = rawRollouts(file);
      const sessions = await sessionsOf(file);
      assert.equal(sessions.length, raw.length);
      sessions.forEach((session, i) => {
        const output = raw[i]?.output ?? [];
        const calls = output.filter((item) => item.type === 'function_call');
        const answers = session.turns.map(answerOf);
        assert.equal(session.turns.length, expectedTurns(output), `turns of rollout ${i + 1}`);
        assert.deepEqual(
          answers.flatMap((a) => a.calls.map((c) => [c.id, c.name, c.arguments])),
          calls.map((c) => [c.call_id, c.name, c.arguments]),
          `calls of rollout ${i + 1}`,
        );
        assert.deepEqual(
          session.turns.flatMap((t) => t.toolResults.map((r) => r.callId)),
          calls.map((c) => c.call_id),
          `every call has a result, rollout ${i + 1}`,
        );
        for (const answer of answers) {
          assert.equal(answer.finishReason, answer.calls.length > 0 ? 'tool_calls' : 'stop');
        }
        assert.equal(session.header.source?.line, i + 1);
        // Named by what was asked, not by the file: the first user message the model was sent.
        const asked = conversationTitle(session.turns.at(-1)?.request ?? []);
        assert.equal(session.header.title, asked ?? `${file} #${i + 1}`);
        assert.ok((session.header.title ?? '').length <= CONVERSATION_TITLE_CHARS);
        assert.equal(session.header.timing, 'none');
        assert.ok(session.turns.every((t) => t.chunks.every((c) => c.t === 0)));
      });
    });

    it(`makes each request of ${file} extend the one before it`, async () => {
      for (const session of await sessionsOf(file)) {
        session.turns.forEach((turn, k) => {
          const previous = session.turns[k - 1];
          if (!previous) return;
          assert.ok(turn.request.length > previous.request.length);
          assert.deepEqual(turn.request.slice(0, previous.request.length), previous.request);
        });
      }
    });
  }

  it('gives a reasoning item listed after its call to that call’s turn (conversational rollout 1)', async () => {
    const [session] = await sessionsOf('conversational_tool_use_simulation.jsonl');
    assert.ok(session);
    const turn = session.turns.find((t) => answerOf(t).calls.some((c) => c.name === 'request_accessibility'));
    assert.ok(turn);
    assert.ok(answerOf(turn).reasoning.startsWith('I need to help this user with two requests'));
    // The reasoning after the tool output belongs to the answer that follows it.
    const next = session.turns[turn.index + 1];
    assert.ok(next && answerOf(next).reasoning.startsWith('I can see that the ASL interpreter request'));
  });

  it('puts the system and user messages of a gdpval rollout’s output into its first request', async () => {
    const raw = rawRollouts('gdpval.jsonl')[0]?.output ?? [];
    const [session] = await sessionsOf('gdpval.jsonl');
    const request = session?.turns[0]?.request ?? [];
    const text = (item: Item | undefined): unknown => (item?.content as string | undefined) ?? null;
    assert.deepEqual(
      request.map((m) => m.role),
      ['system', 'user'],
    );
    assert.equal(request[0]?.content, text(raw[0]));
    assert.equal(request[1]?.content, text(raw[1]));
  });

  it('keeps gdpval’s inline think block in the streamed content but not in the next request', async () => {
    const [session] = await sessionsOf('gdpval.jsonl');
    const [first, second] = session?.turns ?? [];
    assert.ok(first && second);
    assert.match(answerOf(first).content, /^<think>/);
    const repeated = second.request[2];
    assert.equal(repeated?.role, 'assistant');
    assert.ok(repeated.content && !repeated.content.includes('<think>') && repeated.content === repeated.content.trim());
    assert.equal(repeated.tool_calls?.[0]?.id, answerOf(first).calls[0]?.id);
    assert.deepEqual(second.request[3], { role: 'tool', tool_call_id: repeated.tool_calls?.[0]?.id, content: NO_OUTPUT_RECORDED });
    assert.equal(first.toolResults[0]?.output, NO_OUTPUT_RECORDED);
    assert.equal(first.toolResults[0]?.recorded, true);
    assert.equal(first.toolResults[0]?.durationMs, 300);
  });

  it('declares tools from the request, or from the calls made when the request lists none', async () => {
    const [conversational] = await sessionsOf('conversational_tool_use_simulation.jsonl');
    assert.equal(conversational?.header.tools.length, 18);
    assert.deepEqual(conversational?.header.recordedTools, conversational?.header.tools.map((t) => t.function.name));
    const [deepswe] = await sessionsOf('deepswe.jsonl');
    assert.deepEqual(deepswe?.header.tools, [
      {
        type: 'function',
        function: { name: 'bash', parameters: { type: 'object', properties: { command: { type: 'string' } } } },
      },
    ]);
    assert.deepEqual(deepswe?.header.recordedTools, ['bash']);
  });

  it('derives the same session id from the same file and line', async () => {
    const a = await sessionsOf('deepswe.jsonl');
    const b = await sessionsOf('deepswe.jsonl');
    assert.deepEqual(
      a.map((s) => s.header.id),
      b.map((s) => s.header.id),
    );
    assert.equal(new Set(a.map((s) => s.header.id)).size, a.length);
  });
});

describe('importResponsesRollout', () => {
  const source = { file: '/tmp/x.jsonl', line: 7 };
  const fc = (id: string, name: string, args: string): Item => ({ type: 'function_call', call_id: id, name, arguments: args });
  const out = (id: string, output: string): Item => ({ type: 'function_call_output', call_id: id, output });
  const reasoning = (text: string): Item => ({ type: 'reasoning', summary: [{ type: 'summary_text', text }] });
  const say = (role: string, text: string): Item => ({ type: 'message', role, content: [{ type: 'output_text', text }] });

  it('keeps adjacent calls in one turn and gives their outputs back in call order', () => {
    const session = importResponsesRollout(
      {
        responses_create_params: { model: 'm', input: 'List both files.' },
        response: { output: [reasoning('Two reads.'), fc('a', 'read', '{"p":1}'), fc('b', 'read', '{"p":2}'), out('b', 'B'), out('a', 'A'), say('assistant', 'Done.')] },
      },
      source,
      { toolLatencyMs: 5 },
    );
    assert.equal(session.turns.length, 2);
    const [first, second] = session.turns;
    assert.deepEqual(answerOf(first!).calls.map((c) => c.id), ['a', 'b']);
    assert.deepEqual(first!.toolResults.map((r) => [r.callId, r.output, r.durationMs]), [['a', 'A', 5], ['b', 'B', 5]]);
    assert.deepEqual(second!.request.slice(2), [
      { role: 'tool', tool_call_id: 'a', content: 'A' },
      { role: 'tool', tool_call_id: 'b', content: 'B' },
    ]);
    assert.equal(session.header.model, 'm');
    assert.deepEqual(second!.request[0], { role: 'user', content: 'List both files.' });
  });

  it('gives reasoning after a call to the next turn when the call already had reasoning before it', () => {
    const session = importResponsesRollout(
      { response: { model: 'r', output: [reasoning('first'), fc('a', 't', '{}'), reasoning('second'), say('assistant', 'ok')] } },
      source,
    );
    assert.deepEqual(session.turns.map((t) => answerOf(t).reasoning), ['first', 'second']);
    assert.equal(session.header.model, 'r');
  });

  it('starts a new turn at a user message after an answer, with that message in its request', () => {
    const session = importResponsesRollout(
      { responses_create_params: { input: [say('user', 'hi')] }, response: { output: [say('assistant', 'Hello'), say('user', 'bye'), say('assistant', 'Bye')] } },
      source,
    );
    const requests = session.turns.map((t) => t.request);
    const expected: ChatMessage[] = [
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'Hello' },
      { role: 'user', content: 'bye' },
    ];
    assert.deepEqual(requests, [expected.slice(0, 1), expected]);
    assert.equal(session.header.model, 'unknown');
  });

  it('turns calls and outputs in the input into assistant tool calls and tool messages', () => {
    const session = importResponsesRollout(
      {
        responses_create_params: {
          input: [{ role: 'developer', content: 'rules' }, say('user', 'go'), say('assistant', 'Reading.'), fc('a', 'read', '{}'), out('a', 'text')],
        },
        response: { output: [say('assistant', 'Read it.')] },
      },
      source,
    );
    const request = session.turns[0]?.request ?? [];
    assert.deepEqual(request, [
      { role: 'developer', content: 'rules' },
      { role: 'user', content: 'go' },
      { role: 'assistant', content: 'Reading.', tool_calls: [{ id: 'a', type: 'function', function: { name: 'read', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'a', content: 'text' },
    ]);
    assert.equal(conversationKey(request), conversationKey(structuredClone(request)));
  });

  it('infers argument types from the values the calls passed', () => {
    const session = importResponsesRollout(
      { response: { output: [fc('a', 'find', '{"q":"x","n":1,"deep":true}'), fc('b', 'find', '{"n":1.5,"tags":["a"]}')] } },
      source,
    );
    assert.deepEqual(session.header.tools[0]?.function.parameters, {
      type: 'object',
      properties: { q: { type: 'string' }, n: { type: 'number' }, deep: { type: 'boolean' }, tags: { type: 'array' } },
    });
  });

  it('refuses an object that is not a rollout, saying what is missing', () => {
    assert.throws(() => importResponsesRollout({ messages: [] }, source), /response\.output/);
  });
});
