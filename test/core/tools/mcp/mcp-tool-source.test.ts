import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Tool } from '../../../../src/core/chat/tool.js';
import type { McpServerConfig } from '../../../../src/core/tools/mcp/mcp-config.js';
import { McpToolSource, type McpListing, type McpToolSourceOptions } from '../../../../src/core/tools/mcp/mcp-tool-source.js';
import { startHttpFixture, stdioFixture } from './mcp-fixture-servers.js';

// Generous for a busy machine; the hang tests pass their own short call timeout.
const OPTIONS: McpToolSourceOptions = { startTimeoutMs: 60_000, callTimeoutMs: 60_000, backoffMs: () => 0 };
const never = () => new AbortController().signal;

function find(listing: McpListing, name: string): Tool {
  const info = listing.tools.find((t) => t.tool.name === name);
  assert.ok(info, `${name} is offered; offered: ${listing.tools.map((t) => t.tool.name).join(', ')}`);
  return info.tool;
}

function judged(listing: McpListing): Record<string, string> {
  return Object.fromEntries(listing.tools.map((t) => [t.tool.name, `${t.tool.readOnly ? 'read-only' : 'not read-only'}, ${t.tool.openWorld ? 'open' : 'closed'}, ${t.decision.speculative ? 'early' : 'never early'}`]));
}


async function withHttp(name: string, extra: Partial<McpServerConfig>, stops: (() => void)[]): Promise<McpServerConfig> {
  const http = await startHttpFixture(name);
  stops.push(http.stop);
  return http.config(extra);
}

for (const kind of ['stdio', 'http'] as const) {
  describe(`MCP tools over ${kind === 'stdio' ? 'stdio' : 'Streamable HTTP'}`, () => {
    const stops: (() => void)[] = [];
    const sources: McpToolSource[] = [];
    const config = (name: string, extra: Partial<McpServerConfig> = {}) => (kind === 'stdio' ? Promise.resolve(stdioFixture(name, extra)) : withHttp(name, extra, stops));
    const source = async (configs: McpServerConfig[], options: McpToolSourceOptions = {}) => {
      const s = new McpToolSource(configs, { ...OPTIONS, ...options });
      sources.push(s);
      return s;
    };
    let trusted: McpListing;
    let trustedSource: McpToolSource;
    const logs: string[] = [];

    before(async () => {
      trustedSource = await source([await config('orders', { trusted: true })], { onLog: (m) => logs.push(m) });
      trusted = await trustedSource.list(never());
    });
    after(async () => {
      await Promise.all(sources.map((s) => s.close()));
      for (const stop of stops) stop();
    });

    it('lists every tool across pages, with its schema, annotations and server', () => {
      assert.deepEqual(trusted.problems, []);
      assert.deepEqual(trusted.tools.map((t) => t.tool.name), ['lookup_order', 'search_weather', 'delete_ticket', 'count_words', 'crash_server', 'wait_forever']);
      const lookup = trusted.tools[0]!;
      assert.deepEqual(lookup.tool.parameters, { type: 'object', properties: { order_id: { type: 'string', description: 'Order id such as A-100.' } }, required: ['order_id'] });
      assert.equal(lookup.tool.description, 'Look up an order in the local order book by its id.');
      assert.deepEqual(lookup.hints, { readOnlyHint: true, openWorldHint: false });
      assert.deepEqual(lookup.tool.source, { kind: 'mcp', server: 'orders', destructive: false });
      assert.equal(trusted.tools.find((t) => t.serverToolName === 'count_words')?.hints, undefined);
    });

    it('runs a tool and hands back its text, structured content and own errors', async () => {
      assert.deepEqual(await find(trusted, 'lookup_order').run({ order_id: 'A-100' }, never()), { output: 'order A-100 from orders: shipped', isError: false });
      assert.deepEqual(await find(trusted, 'count_words').run({ text: 'three little words' }, never()), { output: '{"words":3}', isError: false });
      assert.deepEqual(await find(trusted, 'lookup_order').run({ order_id: 'missing' }, never()), { output: 'no order missing', isError: true });
    });

    it('lets a trusted server\'s closed-world reads run early, and nothing else', () => {
      assert.deepEqual(judged(trusted), {
        lookup_order: 'read-only, closed, early',
        search_weather: 'read-only, open, never early',
        delete_ticket: 'not read-only, open, never early',
        count_words: 'not read-only, open, never early',
        crash_server: 'read-only, closed, early',
        wait_forever: 'read-only, closed, early',
      });
      assert.deepEqual(trusted.openWorldAllowed, []);
    });

    it('believes none of an untrusted server\'s hints, and the user\'s globs never free a destructive tool', async () => {
      const s = await source([await config('tickets')], { readOnlyGlobs: ['*_ticket', 'count_*'] });
      const listing = await s.list(never());
      assert.deepEqual(judged(listing), {
        lookup_order: 'not read-only, open, never early',
        search_weather: 'not read-only, open, never early',
        delete_ticket: 'not read-only, open, never early',
        count_words: 'read-only, open, never early',
        crash_server: 'not read-only, open, never early',
        wait_forever: 'not read-only, open, never early',
      });
      assert.equal(find(listing, 'delete_ticket').source?.destructive, true);
    });

    it('lets open-world reads run early where the server allows them, and names them for the speculator', async () => {
      const s = await source([await config('weather', { trusted: true, allowOpenWorld: true })]);
      const listing = await s.list(never());
      assert.equal(judged(listing).search_weather, 'read-only, open, early');
      assert.equal(judged(listing).count_words, 'not read-only, open, never early');
      assert.deepEqual(listing.openWorldAllowed, ['search_weather']);
    });

    it('namespaces tools only where two servers offer the same name, and each goes to its own server', async () => {
      const s = await source([await config('east'), await config('west')], { reservedNames: ['read_file'] });
      const listing = await s.list(never());
      assert.ok(listing.tools.every((t) => t.tool.name === `${t.server}__${t.serverToolName}`));
      assert.equal(listing.tools.length, 12);
      assert.equal((await find(listing, 'west__lookup_order').run({ order_id: 'B-7' }, never())).output, 'order B-7 from west: shipped');
      assert.equal((await find(listing, 'east__lookup_order').run({ order_id: 'B-7' }, never())).output, 'order B-7 from east: shipped');
      const alone = await (await source([await config('solo')], { reservedNames: ['count_words'] })).list(never());
      assert.deepEqual(alone.tools.map((t) => t.tool.name), ['lookup_order', 'search_weather', 'delete_ticket', 'solo__count_words', 'crash_server', 'wait_forever']);
    });

    it('turns a crash mid-call into an error result, and the next call works on a restarted server', async () => {
      const crashed = await find(trusted, 'crash_server').run({}, never());
      assert.equal(crashed.isError, true);
      assert.match(crashed.output, /^Error: MCP server "orders" stopped while running crash_server.*restarted on the next call\.$/);
      if (kind === 'stdio') assert.match(crashed.output, /crashing on purpose/);
      const starts = () => logs.filter((l) => /^MCP server "orders" started/.test(l)).length;
      assert.equal(starts(), 1);
      await find(trusted, 'lookup_order').warm?.(never());
      assert.equal(starts(), 2, 'warming brought the server back without running a tool');
      assert.deepEqual(await find(trusted, 'lookup_order').run({ order_id: 'C-3' }, never()), { output: 'order C-3 from orders: shipped', isError: false });
    });

    it('times a hanging call out with an error result instead of waiting forever', async () => {
      // A source of its own, so no other test's call has this short a timeout.
      const impatient = await (await source([await config('slow', { trusted: true })], { callTimeoutMs: 1000 })).list(never());
      const result = await find(impatient, 'wait_forever').run({}, never());
      assert.equal(result.isError, true);
      assert.match(result.output, /did not finish running wait_forever within 1 s; the request was cancelled/);
    });

    it('stops a hanging call when its signal aborts, and the server still answers', async () => {
      const controller = new AbortController();
      const running = find(trusted, 'wait_forever').run({}, controller.signal);
      controller.abort(new Error('the user stopped'));
      await assert.rejects(running, /the user stopped/);
      assert.equal((await find(trusted, 'lookup_order').run({ order_id: 'D-4' }, never())).isError, false);
    });
  });
}

describe('MCP servers that fail', () => {
  it('reports a server that cannot start and still offers the others\' tools', async () => {
    const s = new McpToolSource([{ name: 'ghost', type: 'stdio', command: '/nonexistent/mcp-server', trusted: true, allowOpenWorld: false, origin: 'test' }, stdioFixture('orders')], OPTIONS);
    try {
      const listing = await s.list(never());
      assert.equal(listing.tools.length, 6);
      assert.equal(listing.problems.length, 1);
      assert.match(listing.problems[0] ?? '', /^MCP server "ghost" \(\/nonexistent\/mcp-server\) could not be started: /);
    } finally {
      await s.close();
    }
  });

  it('gives up after the bounded number of restarts, with a sentence saying so', async () => {
    const s = new McpToolSource([{ name: 'ghost', type: 'http', url: 'http://127.0.0.1:1/mcp', trusted: false, allowOpenWorld: false, origin: 'test' }], { ...OPTIONS, maxRestarts: 2 });
    try {
      const problems: string[] = [];
      for (let i = 0; i < 4; i++) problems.push(...(await s.start(never())));
      assert.match(problems[0] ?? '', /could not be started/);
      assert.match(problems[3] ?? '', /failed 3 times in a row and is not restarted again/);
    } finally {
      await s.close();
    }
  });
});
