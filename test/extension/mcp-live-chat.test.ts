import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { replayBackend } from '../../src/core/chat-session/backends.js';
import { ChatSession, type ChatBackend } from '../../src/core/chat-session/chat-session.js';
import { loadDemoSessions, type DemoSessions } from '../../src/core/chat-session/demo-sessions.js';
import { normaliseSettings } from '../../src/core/chat-session/settings.js';
import { createSpeculationSetup } from '../../src/core/engine/speculation-setup.js';
import { LocalEndpoint } from '../../src/core/endpoint/local-endpoint.js';
import type { ChatEvent } from '../../src/shared/protocol.js';
import { ToolSet, withStandIns } from '../../src/extension/tool-set.js';

// The chat of test/e2e/mcp-e2e.mjs without VS Code: the embedded endpoint serving the fixture
// session, the fixture MCP server as the user would configure it, and the shipped rules.
const SESSIONS = join(process.cwd(), 'test', 'fixtures', 'mcp-e2e-sessions');
const SERVER = join(process.cwd(), 'test', 'fixtures', 'mcp-e2e-server.mjs');

describe('a live chat against the embedded endpoint with an MCP server configured', () => {
  let demo: DemoSessions;
  let endpoint: LocalEndpoint;
  let dir: string;

  before(async () => {
    demo = await loadDemoSessions(SESSIONS);
    assert.deepEqual(demo.problems, []);
    endpoint = await LocalEndpoint.start({ sessions: demo.sessions, tokensPerSecond: 400 });
    dir = await mkdtemp(join(tmpdir(), 'foresight-mcp-chat-'));
  });
  after(async () => {
    await endpoint.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function chat(trusted: string[]) {
    const callLog = join(dir, `calls-${trusted.length}.jsonl`);
    const { settings } = normaliseSettings(
      (key) =>
        ({
          'mcp.servers': [{ name: 'orders', type: 'stdio', command: process.execPath, args: [SERVER, callLog] }],
          'mcp.trustedServers': trusted,
          'tools.workspace': false,
          'tools.codeRunner': false,
        })[key as string],
    );
    const tools = new ToolSet(settings, {
      trusted: true,
      root: undefined,
      confirm: () => Promise.resolve(false),
      confirmCode: () => Promise.resolve(false),
      diagnostics: () => Promise.resolve([]),
      log: () => {},
    });
    try {
      const base = replayBackend(endpoint, demo.sessions);
      const { setup } = createSpeculationSetup(settings.speculation, [{ name: 'default.sniff', text: readFileSync(join(process.cwd(), 'media', 'rules', 'default.sniff'), 'utf8') }], undefined);
      const events: ChatEvent[] = [];
      const openBackend = async (signal: AbortSignal): Promise<ChatBackend> => {
        const listing = await tools.list(signal);
        return { ...base, tools: withStandIns(listing.tools, base.tools), openWorldTools: listing.openWorldAllowed };
      };
      const reason = await new ChatSession().send(demo.suggestions[0] ?? '', openBackend, { maxSteps: 6, temperature: null, extraBody: {}, versions: { foresight: 'test' }, speculation: setup }, (_id, e) => events.push(e));
      const ends = new Map(events.flatMap((e) => (e.type === 'toolEnd' ? [[e.name, e] as const] : [])));
      const calls = (await readFile(callLog, 'utf8')).trim().split('\n').map((l) => (JSON.parse(l) as { tool: string }).tool);
      return { reason, ends, calls };
    } finally {
      tools.dispose();
    }
  }

  it('serves the trusted read-only closed-world tool early and runs the others only when called, each once, from the server', async () => {
    const { reason, ends, calls } = await chat(['orders']);
    assert.equal(reason, 'answer');
    // Served from its early run, finished (hit) or still running (partial) on a busy machine.
    assert.ok(ends.get('lookup_order')?.speculative, 'lookup_order served early');
    assert.equal(ends.get('count_words')?.speculative, undefined);
    assert.equal(ends.get('delete_ticket')?.speculative, undefined);
    for (const name of ['lookup_order', 'count_words', 'delete_ticket']) {
      assert.equal(ends.get(name)?.server, 'orders', name);
      assert.equal(ends.get(name)?.recorded, false, name);
    }
    assert.deepEqual([...calls].sort(), ['count_words', 'delete_ticket', 'lookup_order']);
  });

  it('runs nothing early when the same server is not trusted', async () => {
    const { reason, ends, calls } = await chat([]);
    assert.equal(reason, 'answer');
    assert.deepEqual([...ends.values()].map((e) => e.speculative), [undefined, undefined, undefined]);
    assert.equal(calls.length, 3);
  });
});
