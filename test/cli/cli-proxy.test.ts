import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import OpenAI from 'openai';
import type { ChatMessage } from '../../src/core/chat/types.js';
import { ORDER_PROMPT, ORDER_RESULT, ORDER_TOOLS, ORDER_TRANSCRIPT } from '../core/proxy/order-transcript.js';

const KEY = 'sk-cli-proxy-0c9d8e7f6a5b4c3d';
const dir = mkdtempSync(join(tmpdir(), 'foresight-cli-proxy-'));
const transcript = join(dir, 'orders.json');
writeFileSync(transcript, JSON.stringify(ORDER_TRANSCRIPT));
const children: ChildProcess[] = [];
after(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

/** Starts a CLI command and resolves with its stdout's first line once it prints one, and the process. */
function start(args: string[]): Promise<{ line: string; child: ChildProcess; stderr: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve({ line: out.slice(0, nl), child, stderr: () => err });
    });
    child.once('exit', (code) => reject(new Error(`${args[0]} exited with ${code} before printing: ${err}`)));
  });
}

const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', resolve)));

describe('foresight proxy (the CLI)', () => {
  it('prints exactly one listening line, records a conversation eval then reads, and never writes or prints the key', async () => {
    const upstream = await start(['serve', '--sessions', transcript, '--tokens-per-second', '400']);
    const upstreamUrl = `${upstream.line.replace(/^listening /, '')}/v1`;
    const sessions = join(dir, 'sessions');
    const proxy = await start(['proxy', '--upstream', upstreamUrl, '--sessions-dir', sessions]);
    assert.match(proxy.line, /^listening http:\/\/127\.0\.0\.1:\d+$/);
    const client = new OpenAI({ baseURL: `${proxy.line.replace(/^listening /, '')}/v1`, apiKey: KEY, maxRetries: 0 });
    const first = await client.chat.completions.create({ model: ORDER_TRANSCRIPT.model, messages: ORDER_PROMPT as never, tools: ORDER_TOOLS as never });
    const calls = first.choices[0]?.message.tool_calls ?? [];
    assert.equal(calls.length, 1);
    const messages: ChatMessage[] = [...ORDER_PROMPT, { role: 'assistant', content: null, tool_calls: calls as never }, ORDER_RESULT];
    const second = await client.chat.completions.create({ model: ORDER_TRANSCRIPT.model, messages: messages as never, tools: ORDER_TOOLS as never, stream: true });
    for await (const _chunk of second) {
      // Read to the end, as an agent does.
    }
    // The proxy writes what is left on its way out.
    proxy.child.kill('SIGTERM');
    assert.equal(await exited(proxy.child), 0);
    upstream.child.kill('SIGTERM');
    assert.doesNotMatch(proxy.stderr(), new RegExp(KEY));
    assert.match(proxy.stderr(), /shadow: turn 0 lookup_order: exact/);
    const files = readdirSync(sessions);
    assert.equal(files.length, 1);
    assert.ok(!readFileSync(join(sessions, files[0]!), 'utf8').includes(KEY));
    const evaluated = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'eval', join(sessions, files[0]!), '--readonly', 'lookup_order', '--json', '--calls'], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(evaluated.status, 0, evaluated.stderr);
    const report = JSON.parse(evaluated.stdout) as { turns: number; perCall: { tool: string; exact: boolean }[] };
    assert.equal(report.turns, 2);
    assert.deepEqual(report.perCall.map((c) => [c.tool, c.exact]), [['lookup_order', true]]);
  });

  it('refuses to start without --upstream, with a usage error', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'proxy'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /--upstream/);
  });
});
