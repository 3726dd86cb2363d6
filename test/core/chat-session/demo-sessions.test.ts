import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { firstUserPrompt, loadDemoSessions } from '../../../src/core/chat-session/demo-sessions.js';
import { canonicalArguments } from '../../../src/core/session/message-key.js';

const DEMO_DIR = join(__dirname, '..', '..', '..', 'media', 'demo-sessions');

describe('the shipped demo sessions', () => {
  it('all load without a problem, as hand-written demos of foresight-demo with a title', async () => {
    const demo = await loadDemoSessions(DEMO_DIR);
    assert.deepEqual(demo.problems, []);
    assert.equal(demo.sessions.length, 5);
    for (const s of demo.sessions) {
      assert.equal(s.header.demo, true);
      assert.equal(s.header.model, 'foresight-demo');
      assert.ok(s.header.title && s.header.title.length > 0);
    }
  });

  it('offer their first user messages as suggestions, in file-name order', async () => {
    const demo = await loadDemoSessions(DEMO_DIR);
    assert.deepEqual(demo.suggestions, [
      'Do I need an umbrella in Lisbon tomorrow?',
      'How do I turn on automatic retries in the Larkspur HTTP client?',
      'Where are my orders A-1042 and A-1057?',
      'Ticket HD-4821 is waiting on the customer now: set its status and ask them for their router model.',
      "What's the median response time in logs/latency.csv?",
    ]);
  });

  it('name every call of a read-only tool and its argument values in the reasoning before the call', async () => {
    const demo = await loadDemoSessions(DEMO_DIR);
    let checked = 0;
    for (const session of demo.sessions) {
      const mutating = new Set(session.header.mutatingTools ?? []);
      session.turns.forEach((turn, i) => {
        const next = session.turns[i + 1];
        // A turn's own assistant message is the last message of the next turn's request.
        const assistant = [...(next?.request ?? [])].reverse().find((m) => m.role === 'assistant');
        for (const call of assistant?.role === 'assistant' ? (assistant.tool_calls ?? []) : []) {
          // A write (the ticket update) or a script cannot be told in full before it is made, and never runs early anyway.
          if (mutating.has(call.function.name)) continue;
          const reasoning = turn.chunks.map((c) => c.chunk.choices?.[0]?.delta?.reasoning_content ?? '').join('');
          assert.match(reasoning, new RegExp(`call ${call.function.name} with`), `${session.header.title} turn ${i}`);
          checked++;
          const args = JSON.parse(call.function.arguments) as Record<string, unknown>;
          for (const value of Object.values(args)) {
            assert.ok(reasoning.includes(typeof value === 'string' ? `"${value}"` : String(value)), `${call.function.name} ${String(value)}`);
          }
        }
      });
    }
    assert.equal(checked, 7, 'one forecast call, a search and a fetch, two order lookups, a ticket lookup, a file read');
  });

  it('declare a JSON schema for every tool they call, and one turn makes two calls at once', async () => {
    const demo = await loadDemoSessions(DEMO_DIR);
    let parallel = 0;
    for (const session of demo.sessions) {
      const declared = new Map(session.header.tools.map((t) => [t.function.name, t.function.parameters]));
      for (const turn of session.turns) {
        for (const r of turn.toolResults) {
          const schema = declared.get(r.name);
          assert.equal(schema?.type, 'object', r.name);
          assert.notEqual(canonicalArguments(r.arguments), '');
        }
        if (turn.toolResults.length >= 2) parallel++;
      }
    }
    assert.equal(parallel, 1);
  });
});

describe('loadDemoSessions', () => {
  it('reports a broken file as a problem and still loads the others', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'foresight-demo-'));
    await writeFile(join(dir, 'a.json'), JSON.stringify({ messages: [{ role: 'user', content: 'Hi?' }, { role: 'assistant', content: 'Hello.' }] }));
    await writeFile(join(dir, 'b.json'), '{ not json');
    await writeFile(join(dir, 'notes.txt'), 'ignored');
    const demo = await loadDemoSessions(dir);
    assert.equal(demo.sessions.length, 1);
    assert.deepEqual(demo.suggestions, ['Hi?']);
    assert.equal(demo.problems.length, 1);
    assert.match(demo.problems[0]?.file ?? '', /b\.json$/);
  });

  it('gives no suggestion for a session without a user message', () => {
    assert.equal(
      firstUserPrompt({ header: {} as never, turns: [{ index: 0, request: [{ role: 'system', content: 'x' }], chunks: [], toolResults: [] }] }),
      undefined,
    );
  });
});
