import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { LocalEndpoint } from '../../src/core/endpoint/local-endpoint.js';
import { ORDER_PROMPT, ORDER_TOOLS, ORDER_TRANSCRIPT, orderSession } from '../core/proxy/order-transcript.js';

// `foresight proxy` as shipped: the bundle out/cli.js, whose recorder is the bundled
// out/proxy-recorder-worker.js found beside it (the source's .ts worker is not there).
const repoRoot = resolve(__dirname, '..', '..');
const cliPath = join(repoRoot, 'out', 'cli.js');
const workerPath = join(repoRoot, 'out', 'proxy-recorder-worker.js');
const dir = mkdtempSync(join(tmpdir(), 'foresight-cli-proxy-bundle-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function newestIn(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestIn(join(path, name))));
}

const mtime = (path: string) => (existsSync(path) ? statSync(path).mtimeMs : 0);

describe('foresight proxy from the bundle', () => {
  before(() => {
    if (Math.min(mtime(cliPath), mtime(workerPath)) < newestIn(join(repoRoot, 'src'))) execFileSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, stdio: 'ignore' });
  });

  it('records a streamed conversation through the bundled recording thread', async () => {
    assert.ok(existsSync(workerPath));
    const upstream = await LocalEndpoint.start({ sessions: [orderSession()], tokensPerSecond: 400 });
    const sessions = join(dir, 'sessions');
    const child = spawn(process.execPath, [cliPath, 'proxy', '--upstream', upstream.baseUrl, '--sessions-dir', sessions], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', done));
    try {
      const listening = await new Promise<string>((done, fail) => {
        let out = '';
        child.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /^listening (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
          if (m) done(m[1]!);
        });
        child.once('exit', (code) => fail(new Error(`the proxy exited with ${code}: ${stderr}`)));
      });
      const client = new OpenAI({ baseURL: `${listening}/v1`, apiKey: 'sk-bundle-test', maxRetries: 0 });
      const stream = await client.chat.completions.create({ model: ORDER_TRANSCRIPT.model, messages: ORDER_PROMPT as never, tools: ORDER_TOOLS as never, stream: true });
      let calls = 0;
      for await (const chunk of stream) calls += chunk.choices[0]?.delta.tool_calls?.length ?? 0;
      assert.ok(calls > 0);
      // The proxy writes what is left on its way out.
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
      assert.doesNotMatch(stderr, /recording thread failed|recording failed/);
      const files = readdirSync(sessions);
      assert.equal(files.length, 1);
      const text = readFileSync(join(sessions, files[0]!), 'utf8');
      assert.match(text, /"kind":"header"/);
      assert.match(text, /"kind":"chunk"/);
      assert.match(text, /"turnEnd"/);
      assert.doesNotMatch(text, /sk-bundle-test/);
    } finally {
      if (child.exitCode === null) child.kill('SIGTERM');
      await upstream.close();
    }
  });
});
