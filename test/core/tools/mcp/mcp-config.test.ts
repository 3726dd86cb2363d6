import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyTrust, mergeServerConfigs, parseForesightServers, parseWorkspaceMcpJson } from '../../../../src/core/tools/mcp/mcp-config.js';

const WORKSPACE_FILE = `{
  // servers for this repository
  "inputs": [{ "type": "promptString", "id": "token", "password": true }],
  "servers": {
    "orders": { "type": "stdio", "command": "node", "args": ["\${workspaceFolder}/orders.js", "--url=http://x//y"], "env": { "LEVEL": "debug", "RETRIES": 2 }, },
    /* a remote one */
    "tickets": { "url": "https://tickets.example.com/mcp", "headers": { "X-Team": "support" } },
    "secret": { "type": "http", "url": "https://secret.example.com/mcp", "headers": { "Authorization": "Bearer \${input:token}" } },
    "legacy": { "type": "sse", "url": "https://old.example.com/sse" },
  },
}`;

describe('MCP server configs', () => {
  it('reads a workspace mcp.json with comments and trailing commas, never trusting it', () => {
    const { servers, problems } = parseWorkspaceMcpJson(WORKSPACE_FILE, '/ws/.vscode/mcp.json', { workspaceFolder: '/ws' });
    assert.deepEqual(
      servers.map((s) => [s.name, s.type, s.trusted, s.allowOpenWorld]),
      [
        ['orders', 'stdio', false, false],
        ['tickets', 'http', false, false],
      ],
    );
    assert.deepEqual(servers[0]?.args, ['/ws/orders.js', '--url=http://x//y']);
    assert.deepEqual(servers[0]?.env, { LEVEL: 'debug', RETRIES: '2' });
    assert.deepEqual(servers[1]?.headers, { 'X-Team': 'support' });
    assert.equal(problems.length, 2);
    assert.match(problems[0] ?? '', /mcp\.json: MCP server "secret" uses \$\{input:token\}/);
    assert.match(problems[1] ?? '', /"legacy" has type "sse"/);
  });

  it('names the file, line and column of a syntax error', () => {
    const { servers, problems } = parseWorkspaceMcpJson('{\n  "servers": {\n    "a": { "command": "x" \n  }\n', '/ws/.vscode/mcp.json');
    assert.equal(servers.length, 0);
    assert.match(problems[0] ?? '', /^\/ws\/\.vscode\/mcp\.json: not valid JSON \(.* at line \d+, column \d+\)\.$/);
  });

  it('reads Foresight\'s own list with its trust settings and skips bad entries with a reason', () => {
    const { servers, problems } = parseForesightServers([
      { name: 'weather', type: 'http', url: 'http://127.0.0.1:9/mcp', trusted: true, allowOpenWorld: true },
      { name: 'files', type: 'stdio', command: 'files-server', args: ['--root', '.'] },
      { name: 'broken', type: 'stdio' },
      { type: 'http', url: 'http://x' },
    ]);
    assert.deepEqual(
      servers.map((s) => [s.name, s.trusted, s.allowOpenWorld]),
      [
        ['weather', true, true],
        ['files', false, false],
      ],
    );
    assert.deepEqual(problems, ['settings: MCP server "broken" is "stdio" but has no "command".', 'settings: MCP server #4 needs a "name".']);
  });

  it('lets the user trust a workspace server by name, and a workspace file never replaces a configured server', () => {
    const own = parseForesightServers([{ name: 'orders', type: 'stdio', command: 'mine' }]);
    const workspace = parseWorkspaceMcpJson(WORKSPACE_FILE, 'mcp.json', { workspaceFolder: '/ws' });
    const merged = mergeServerConfigs(own, workspace);
    assert.deepEqual(merged.servers.map((s) => [s.name, s.command ?? s.url]), [['orders', 'mine'], ['tickets', 'https://tickets.example.com/mcp']]);
    assert.ok(merged.problems.some((p) => /"orders" is already configured in settings/.test(p)));
    const trusted = applyTrust(merged.servers, { trusted: ['tickets'], allowOpenWorld: 'all' });
    assert.deepEqual(trusted.map((s) => [s.name, s.trusted, s.allowOpenWorld]), [['orders', false, true], ['tickets', true, true]]);
  });
});
