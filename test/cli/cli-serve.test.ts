import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { WEATHER_PROMPT, WEATHER_TRANSCRIPT } from '../fixtures/weather-transcript.js';

const dir = mkdtempSync(join(tmpdir(), 'foresight-serve-'));
const file = join(dir, 'weather.json');
writeFileSync(file, JSON.stringify(WEATHER_TRANSCRIPT));
const children: ChildProcess[] = [];
after(() => {
  for (const child of children) child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

/** Starts `foresight serve` and resolves with its base URL once it prints that it listens. */
function serve(args: string[]): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--sessions', file, '--tokens-per-second', '100000', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(`${m[1]}/v1`);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code} before listening`)));
  });
}

function ask(baseUrl: string, fault: string): Promise<Response> {
  return fetch(`${baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'x-foresight-fault': fault },
    body: JSON.stringify({ model: 'test-reasoner', messages: WEATHER_PROMPT }),
  });
}

describe('foresight serve (the CLI) and its fault switches', () => {
  it('ignores the fault header without --faults', async () => {
    const res = await ask(await serve([]), 'status=500');
    assert.equal(res.status, 200);
  });

  it('obeys the fault header with --faults, and answers a malformed one with 400', async () => {
    const baseUrl = await serve(['--faults']);
    assert.equal((await ask(baseUrl, 'status=500')).status, 500);
    assert.equal((await ask(baseUrl, 'status=lots')).status, 400);
  });

  it('refuses --fail-status without --faults, with a usage error', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--sessions', file, '--fail-status', '500'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /--faults/);
  });
});
