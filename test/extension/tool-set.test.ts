import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Tool } from '../../src/core/chat/tool.js';
import { normaliseSettings, type ChatSettings, type SettingKey } from '../../src/core/chat-session/settings.js';
import type { CodeRunner } from '../../src/core/tools/code-runner.js';
import { configuredServers, ToolSet, UNTRUSTED_NOTICE, withStandIns, type ToolSetHost } from '../../src/extension/tool-set.js';
import { stdioFixture } from '../core/tools/mcp/mcp-fixture-servers.js';

function settingsOf(raw: Partial<Record<SettingKey, unknown>>): ChatSettings {
  const { settings, problems } = normaliseSettings((key) => raw[key]);
  assert.deepEqual(problems, []);
  return settings;
}

/** The fixture server as it would be written in foresight.mcp.servers. */
function serverEntry(name: string): Record<string, unknown> {
  const { command, args } = stdioFixture(name);
  return { name, type: 'stdio', command, args };
}

const MCP_JSON = JSON.stringify({ servers: { shop: { type: 'stdio', command: 'shop-server' }, orders: { type: 'stdio', command: 'impostor' } } });

/** A code runner that records what it was asked to do and runs nothing. */
function fakeRunner(log: string[]): CodeRunner {
  return {
    name: 'run_code',
    description: 'Run a program.',
    parameters: { type: 'object', properties: { language: { type: 'string' }, code: { type: 'string' } } },
    readOnly: false,
    languages: ['javascript'],
    run: (args) => {
      log.push(`run ${String(args.code)}`);
      return Promise.resolve({ output: 'exit 0', isError: false });
    },
    warm: () => {
      log.push('warm');
      return Promise.resolve();
    },
    warmLanguage: () => Promise.resolve(),
    warmLanguages: () => [],
    dispose: () => Promise.resolve(),
  };
}

interface HostRecord {
  host: ToolSetHost;
  log: string[];
  asked: string[];
}

function hostOf(extra: Partial<ToolSetHost> & { answer?: boolean } = {}): HostRecord {
  const log: string[] = [];
  const asked: string[] = [];
  const host: ToolSetHost = {
    trusted: true,
    root: undefined,
    confirm: (request) => {
      asked.push(request.kind);
      return Promise.resolve(extra.answer ?? false);
    },
    confirmCode: (language) => {
      asked.push(`run_code ${language}`);
      return Promise.resolve(extra.answer ?? false);
    },
    diagnostics: () => Promise.resolve([]),
    log: (level, line) => log.push(`${level}: ${line}`),
    createCodeRunner: () => Promise.resolve(fakeRunner(log)),
    mcpOptions: { startTimeoutMs: 60_000, callTimeoutMs: 60_000, backoffMs: () => 0, maxRestarts: 0 },
    ...extra,
  };
  return { host, log, asked };
}

const names = (tools: readonly Tool[]) => tools.map((t) => t.name);
const signal = () => new AbortController().signal;

describe('ToolSet', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'foresight-toolset-'));
    await writeFile(join(root, 'notes.txt'), 'ship the order\n');
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('offers no tool at all in Restricted Mode, says why, and does not read the workspace servers', async () => {
    const settings = settingsOf({ 'mcp.servers': [serverEntry('orders')], 'mcp.trustedServers': ['orders'] });
    const { host } = hostOf({ trusted: false, root, workspaceMcpJson: { file: '/ws/.vscode/mcp.json', text: MCP_JSON, workspaceFolder: '/ws' } });
    const set = new ToolSet(settings, host);
    try {
      const listing = await set.list(signal());
      assert.deepEqual(listing.tools, []);
      assert.deepEqual(set.notices, [UNTRUSTED_NOTICE]);
      assert.deepEqual(set.servers.map((s) => s.name), ['orders']);
    } finally {
      set.dispose();
    }
  });

  it('offers the workspace tools over the root and run_code in a trusted workspace, and none of them when switched off', async () => {
    const on = new ToolSet(settingsOf({}), hostOf({ root }).host);
    const off = new ToolSet(settingsOf({ 'tools.workspace': false, 'tools.codeRunner': false }), hostOf({ root }).host);
    try {
      const offered = names((await on.list(signal())).tools);
      for (const name of ['read_file', 'list_directory', 'read_lines', 'find_files', 'search_text', 'git_status', 'git_diff', 'get_diagnostics', 'write_file', 'run_command', 'run_code']) {
        assert.ok(offered.includes(name), `${name} in ${offered.join(', ')}`);
      }
      assert.deepEqual(on.notices, []);
      assert.deepEqual((await off.list(signal())).tools, []);
    } finally {
      on.dispose();
      off.dispose();
    }
  });

  it('asks before run_code runs a program, runs nothing when refused, and warms without asking', async () => {
    const { host, log, asked } = hostOf({ answer: false });
    const set = new ToolSet(settingsOf({ 'tools.workspace': false }), host);
    try {
      const runCode = (await set.list(signal())).tools.find((t) => t.name === 'run_code');
      assert.ok(runCode);
      assert.equal(runCode.readOnly, false);
      await runCode.warm?.(signal());
      const refused = await runCode.run({ language: 'javascript', code: 'console.log(1)' }, signal());
      assert.equal(refused.isError, true);
      assert.match(refused.output, /declined/);
      assert.deepEqual(asked, ['run_code javascript']);
      assert.deepEqual(log.filter((l) => l === 'warm' || l.startsWith('run ')), ['warm']);
    } finally {
      set.dispose();
    }
  });

  it('lets the trusted server decide only its read-only closed-world tool; the destructive and unannotated ones run only when called', async () => {
    const settings = settingsOf({ 'mcp.servers': [serverEntry('orders')], 'mcp.trustedServers': ['orders'], 'tools.workspace': false, 'tools.codeRunner': false });
    const set = new ToolSet(settings, hostOf().host);
    try {
      const { tools, problems, openWorldAllowed } = await set.list(signal());
      assert.deepEqual(problems, []);
      const byName = new Map(tools.map((t) => [t.name, t]));
      assert.equal(byName.get('lookup_order')?.readOnly, true);
      assert.equal(byName.get('lookup_order')?.openWorld, false);
      assert.equal(byName.get('lookup_order')?.source?.server, 'orders');
      assert.equal(byName.get('delete_ticket')?.readOnly, false);
      assert.equal(byName.get('count_words')?.readOnly, false);
      // search_weather is read-only but open-world: it needs the server's separate opt-in.
      assert.equal(byName.get('search_weather')?.openWorld, true);
      assert.deepEqual(openWorldAllowed, []);
      const result = await byName.get('lookup_order')!.run({ order_id: 'B-7' }, signal());
      assert.deepEqual({ output: result.output, isError: result.isError }, { output: 'order B-7 from orders: shipped', isError: false });
    } finally {
      set.dispose();
    }
  });

  it("lets a trusted server's open-world reads run early only with its opt-in", async () => {
    const settings = settingsOf({ 'mcp.servers': [serverEntry('orders')], 'mcp.trustedServers': ['orders'], 'mcp.openWorldServers': ['orders'], 'tools.workspace': false, 'tools.codeRunner': false });
    const set = new ToolSet(settings, hostOf().host);
    try {
      assert.deepEqual((await set.list(signal())).openWorldAllowed, ['search_weather']);
    } finally {
      set.dispose();
    }
  });

  it('offers the tools of the servers that answered, says which did not, and tries that one again on the next listing', async () => {
    const settings = settingsOf({ 'mcp.servers': [{ name: 'ghost', type: 'stdio', command: '/nonexistent/mcp-server' }, serverEntry('orders')], 'tools.workspace': false, 'tools.codeRunner': false });
    const { host, log } = hostOf();
    const set = new ToolSet(settings, host);
    try {
      const first = await set.list(signal());
      assert.ok(names(first.tools).includes('lookup_order'));
      assert.equal(first.problems.length, 1);
      assert.match(first.problems[0] ?? '', /"ghost".*left out of this message/s);
      assert.ok(log.some((l) => l.startsWith('warn: ') && l.includes('ghost')));
      const second = await set.list(signal());
      assert.notEqual(second, first);
      assert.equal(second.problems.length, 1);
    } finally {
      set.dispose();
    }
  });
});

describe('configuredServers', () => {
  const file = { file: '/ws/.vscode/mcp.json', text: MCP_JSON, workspaceFolder: '/ws' };

  it("reads .vscode/mcp.json in a trusted workspace without trusting it, and never lets it replace the user's server", () => {
    const settings = settingsOf({ 'mcp.servers': [{ name: 'orders', type: 'stdio', command: 'mine' }] });
    const { servers, problems } = configuredServers(settings, { trusted: true, workspaceMcpJson: file });
    assert.deepEqual(servers.map((s) => [s.name, s.command, s.trusted]), [['orders', 'mine', false], ['shop', 'shop-server', false]]);
    assert.match(problems.join(' '), /"orders" is already configured/);
  });

  it("trusts a workspace file's server only when the user names it", () => {
    const settings = settingsOf({ 'mcp.trustedServers': ['shop'], 'mcp.openWorldServers': ['shop'] });
    const shop = configuredServers(settings, { trusted: true, workspaceMcpJson: file }).servers.find((s) => s.name === 'shop');
    assert.deepEqual([shop?.trusted, shop?.allowOpenWorld], [true, true]);
  });

  it('ignores .vscode/mcp.json in Restricted Mode', () => {
    assert.deepEqual(configuredServers(settingsOf({}), { trusted: false, workspaceMcpJson: file }).servers, []);
  });
});

describe('withStandIns', () => {
  const tool = (name: string, recorded: boolean): Tool => ({ name, description: '', parameters: { type: 'object' }, readOnly: true, recorded, run: () => Promise.resolve({ output: name, isError: false }) });

  it("lets a real tool answer for the recorded stand-in of its name and keeps the stand-ins no real tool replaces", () => {
    const offered = withStandIns([tool('lookup_order', false)], [tool('lookup_order', true), tool('get_forecast', true)]);
    assert.deepEqual(offered.map((t) => [t.name, t.recorded]), [['lookup_order', false], ['get_forecast', true]]);
  });
});
