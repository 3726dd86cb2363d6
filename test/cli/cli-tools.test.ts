import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { splitCommandLine } from '../../src/cli/tools-command.js';
import { startHttpFixture } from '../core/tools/mcp/mcp-fixture-servers.js';

const STDIO = 'node --import tsx test/fixtures/mcp/stdio-server.ts';

// Asynchronous, so the HTTP fixture in this process's care is never starved.
function cli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'tools', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

interface Row {
  name: string;
  server: string | null;
  readOnly: boolean;
  openWorld: boolean;
  trusted: boolean;
  speculative: boolean;
}

describe('foresight tools (the CLI)', () => {
  let http: Awaited<ReturnType<typeof startHttpFixture>>;
  before(async () => {
    http = await startHttpFixture('tickets');
  });
  after(() => http.stop());

  it('prints every offered tool as JSON, judged by trust, annotations and the user\'s globs', async () => {
    const run = await cli(['--mcp-stdio', `orders=${STDIO} orders`, '--mcp-http', `tickets=${http.url}`, '--trust', 'orders', '--readonly', 'count_*', '--root', 'test', '--json']);
    assert.equal(run.status, 0, run.stderr);
    const { tools } = JSON.parse(run.stdout) as { tools: Row[] };
    const row = (name: string) => {
      const r = tools.find((t) => t.name === name);
      assert.ok(r, name);
      const { server, readOnly, openWorld, trusted, speculative } = r;
      return { server, readOnly, openWorld, trusted, speculative };
    };
    assert.equal(tools.length, 2 + 12);
    assert.deepEqual(row('read_file'), { server: null, readOnly: true, openWorld: false, trusted: true, speculative: true });
    assert.deepEqual(row('orders__lookup_order'), { server: 'orders', readOnly: true, openWorld: false, trusted: true, speculative: true });
    assert.deepEqual(row('orders__search_weather'), { server: 'orders', readOnly: true, openWorld: true, trusted: true, speculative: false });
    assert.deepEqual(row('orders__delete_ticket'), { server: 'orders', readOnly: false, openWorld: true, trusted: true, speculative: false });
    assert.deepEqual(row('tickets__lookup_order'), { server: 'tickets', readOnly: false, openWorld: true, trusted: false, speculative: false });
    assert.deepEqual(row('tickets__count_words'), { server: 'tickets', readOnly: true, openWorld: true, trusted: false, speculative: false });
  });

  it('lets --allow-open-world run a trusted server\'s open-world reads early', async () => {
    const run = await cli(['--mcp-http', http.url, '--trust', '127.0.0.1', '--allow-open-world', '--json']);
    assert.equal(run.status, 0, run.stderr);
    const { tools } = JSON.parse(run.stdout) as { tools: Row[] };
    assert.deepEqual(tools.find((t) => t.name === 'search_weather'), { name: 'search_weather', server: '127.0.0.1', readOnly: true, openWorld: true, trusted: true, speculative: true, reason: 'read-only, open-world allowed' });
  });

  it('runs one tool with --call and prints its result', async () => {
    const run = await cli(['--mcp-stdio', `${STDIO} orders`, '--call', 'lookup_order', '{"order_id": "E-5"}']);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, 'order E-5 from orders: shipped\n');
  });

  it('exits 1 with a sentence for an unknown tool, arguments that are not JSON, and a server that fails', async () => {
    const [unknown, badJson, crash, ghost] = await Promise.all([
      cli(['--mcp-http', http.url, '--call', 'lookup_invoice', '{}']),
      cli(['--mcp-http', http.url, '--call', 'lookup_order', '{"order_id": ']),
      cli(['--mcp-stdio', `${STDIO} orders`, '--call', 'crash_server']),
      cli(['--mcp-stdio', 'ghost=/nonexistent/mcp-server', '--json']),
    ]);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /no tool named "lookup_invoice"; offered: lookup_order, search_weather/);
    assert.equal(badJson.status, 1);
    assert.match(badJson.stderr, /the arguments for lookup_order are not valid JSON/);
    assert.equal(crash.status, 1);
    assert.match(crash.stderr, /crash_server failed: Error: MCP server "node" stopped while running crash_server/);
    assert.equal(ghost.status, 1);
    assert.match(ghost.stderr, /warning: MCP server "ghost" \(\/nonexistent\/mcp-server\) could not be started/);
    assert.deepEqual(JSON.parse(ghost.stdout), { tools: [] });
  });

  it('fails with a usage error when --trust names no configured server', async () => {
    const run = await cli(['--mcp-http', http.url, '--trust', 'weather']);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /--trust names no configured server: weather \(servers: 127\.0\.0\.1\)/);
  });
});

describe('splitCommandLine (the --mcp-stdio value)', () => {
  const rows: [string, string[]][] = [
    ['npx -y weather-server', ['npx', '-y', 'weather-server']],
    ['node "my server.js" --city \'New York\'', ['node', 'my server.js', '--city', 'New York']],
    ['run a\\ b "say \\"hi\\"" \'\'', ['run', 'a b', 'say "hi"', '']],
  ];
  for (const [line, words] of rows) {
    it(`splits ${line} as a shell would`, () => assert.deepEqual(splitCommandLine(line), words));
  }
  it('refuses an unclosed quote', () => assert.throws(() => splitCommandLine('node "server.js'), /unclosed "/));
});
