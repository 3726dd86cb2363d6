import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { runAgent } from '../../../src/core/agent/agent-loop.js';
import type { ChatMessage } from '../../../src/core/chat/types.js';
import { LocalEndpoint } from '../../../src/core/endpoint/local-endpoint.js';
import type { Session } from '../../../src/core/session/format.js';
import { loadSessions } from '../../../src/core/session/load-sessions.js';
import { createRecordedTools } from '../../../src/core/tools/recorded-tools.js';
import { CORPUS_DIR } from '../../fixtures/corpus.js';


/** Turns that open a segment: the first turn, or one whose request ends with a new user message. */
function segmentStarts(session: Session): number[] {
  return session.turns.filter((t, i) => i === 0 || t.request[t.request.length - 1]?.role === 'user').map((t) => t.index);
}

/**
 * How many turns a segment runs (up to and including the next turn that ends in an answer),
 * and whether the recording stops after tool calls instead.
 */
function segment(session: Session, start: number): { length: number; endsInAnswer: boolean } {
  let length = 0;
  for (const turn of session.turns.slice(start)) {
    length++;
    const last = turn.chunks[turn.chunks.length - 1]?.chunk.choices?.[0]?.finish_reason;
    if (last !== 'tool_calls') return { length, endsInAnswer: true };
  }
  return { length, endsInAnswer: false };
}

describe('replaying the real corpus through the agent loop and the endpoint', () => {
  let sessions: Session[];
  let endpoint: LocalEndpoint;

  before(async () => {
    const loaded = await loadSessions([CORPUS_DIR]);
    assert.deepEqual(loaded.problems, []);
    sessions = loaded.sessions;
    endpoint = await LocalEndpoint.start({ sessions, tokensPerSecond: 1_000_000 });
  });
  after(async () => endpoint?.close());

  it('follows every recorded segment turn after turn, each request matching the recording', async () => {
    const client = new OpenAI({ baseURL: endpoint.baseUrl, apiKey: 'unused', maxRetries: 0 });
    let segments = 0;
    let turnsServed = 0;
    for (const session of sessions) {
      const tools = createRecordedTools([session], { latencyMs: 0 });
      for (const start of segmentStarts(session)) {
        const request = session.turns[start]?.request as ChatMessage[];
        const expected = segment(session, start);
        let turns = 0;
        let done: { reason: string; error?: { message: string } } | undefined;
        for await (const e of runAgent({ client, model: session.header.model, messages: request, tools, maxSteps: 100 })) {
          if (e.type === 'turnStart') turns++;
          if (e.type === 'done') done = e;
        }
        const where = `${session.header.title} from turn ${start}`;
        if (expected.endsInAnswer) {
          assert.equal(done?.reason, 'answer', `${where}: ${done?.error?.message}`);
          assert.equal(turns, expected.length, where);
        } else {
          // One more request after the last recorded tool calls, answered "recording ended".
          assert.equal(done?.reason, 'error', where);
          assert.match(done?.error?.message ?? '', /ends after these tool calls/, where);
          assert.equal(turns, expected.length + 1, where);
        }
        segments++;
        turnsServed += expected.length;
      }
    }
    const totalTurns = sessions.reduce((n, s) => n + s.turns.length, 0);
    assert.equal(turnsServed, totalTurns, 'every recorded turn was served exactly once');
    assert.ok(segments >= 13);
  });
});

describe('a client that sends exactly the rollout input', () => {
  it('gets the first turn of a rollout whose input is empty (its messages are in the output)', async () => {
    const { sessions } = await loadSessions([`${CORPUS_DIR}/gdpval.jsonl`]);
    const endpoint = await LocalEndpoint.start({ sessions, tokensPerSecond: 1_000_000 });
    try {
      const res = await fetch(`${endpoint.baseUrl}/chat/completions`, { method: 'POST', body: JSON.stringify({ model: sessions[0]!.header.model, messages: [] }) });
      assert.equal(res.status, 200);
      const body = (await res.json()) as { choices: { message: { tool_calls?: { function: { name: string } }[] } }[] };
      assert.equal(body.choices[0]?.message.tool_calls?.[0]?.function.name, 'code_exec');
    } finally {
      await endpoint.close();
    }
  });
});
