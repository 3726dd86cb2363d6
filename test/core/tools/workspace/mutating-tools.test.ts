import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Tool } from '../../../../src/core/chat/tool.js';
import type { ConfirmRequest } from '../../../../src/core/tools/workspace/confirm.js';
import { createWorkspaceTools } from '../../../../src/core/tools/workspace/create-workspace-tools.js';
import { callIntent, speculatorFor } from './speculate.js';

const base = mkdtempSync(join(tmpdir(), 'foresight-mutate-'));
const root = join(base, 'root');
const outside = join(base, 'outside');
const never = new AbortController().signal;

before(() => {
  mkdirSync(join(root, 'notes'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(outside, 'target.txt'), 'untouched\n');
  symlinkSync(join(outside, 'target.txt'), join(root, 'link-out.txt'));
  execFileSync('mkfifo', [join(root, 'notes', 'pipe')]);
});

after(() => rmSync(base, { recursive: true, force: true }));

/** The workspace tools with a confirm that answers `answer` and records every request. */
function withConfirm(answer: boolean | (() => Promise<boolean>)) {
  const requests: ConfirmRequest[] = [];
  const tools = createWorkspaceTools(root, {
    confirm: async (request) => {
      requests.push(request);
      return typeof answer === 'boolean' ? answer : answer();
    },
  });
  const byName = (name: string): Tool => tools.find((t) => t.name === name)!;
  return { requests, write: byName('write_file'), command: byName('run_command'), tools };
}

describe('write_file and run_command ask the user first', () => {
  it('are not read-only, and are not offered without a confirm provider', () => {
    const { write, command } = withConfirm(true);
    assert.equal(write.readOnly, false);
    assert.equal(command.readOnly, false);
    const names = createWorkspaceTools(root).map((t) => t.name);
    assert.ok(!names.includes('write_file') && !names.includes('run_command'));
  });

  it('writes the file once the user agreed, after showing what and where', async () => {
    const { write, requests } = withConfirm(true);
    const result = await write.run({ path: 'notes/order-42.txt', content: 'two lamps\n' }, never);
    assert.equal(result.isError, false, result.output);
    assert.equal(readFileSync(join(root, 'notes', 'order-42.txt'), 'utf8'), 'two lamps\n');
    assert.equal(requests.length, 1);
    assert.equal(requests[0]!.kind, 'write_file');
    assert.equal(requests[0]!.kind === 'write_file' && requests[0]!.path, 'notes/order-42.txt');
    assert.equal(requests[0]!.kind === 'write_file' && requests[0]!.preview, 'two lamps\n');
  });

  it('writes nothing and says the user declined when they refuse', async () => {
    const { write } = withConfirm(false);
    const result = await write.run({ path: 'notes/declined.txt', content: 'no\n' }, never);
    assert.match(result.output, /The user declined/);
    assert.equal(existsSync(join(root, 'notes', 'declined.txt')), false);
  });

  it('runs the command once the user agreed, and not when they refuse', async () => {
    const agreed = await withConfirm(true).command.run({ command: 'echo shipped > done.txt && echo ok', cwd: 'notes' }, never);
    assert.equal(agreed.isError, false, agreed.output);
    assert.match(agreed.output, /^exit code 0\n--- stdout ---\nok$/);
    assert.equal(readFileSync(join(root, 'notes', 'done.txt'), 'utf8'), 'shipped\n');
    const refused = await withConfirm(false).command.run({ command: 'echo again > again.txt' }, never);
    assert.match(refused.output, /The user declined/);
    assert.equal(existsSync(join(root, 'again.txt')), false);
  });

  it('refuses, before asking, a write through a symlink out of the root, past it, or onto a FIFO', async () => {
    const { write, requests } = withConfirm(true);
    for (const [path, pattern] of [['link-out.txt', /outside the folder/], ['../outside/new.txt', /outside the folder/], ['notes/pipe', /not a regular file/], ['missing/x.txt', /does not exist/]] as const) {
      const result = await write.run({ path, content: 'x' }, never);
      assert.equal(result.isError, true, path);
      assert.match(result.output, pattern);
    }
    assert.equal(requests.length, 0);
    assert.equal(readFileSync(join(outside, 'target.txt'), 'utf8'), 'untouched\n');
  });

  it('writes nothing when aborted while the user is being asked', async () => {
    const controller = new AbortController();
    let ask: () => void = () => {};
    const asked = new Promise<void>((resolve) => (ask = resolve));
    const { write } = withConfirm(() => {
      ask();
      return new Promise<boolean>((resolve) => controller.signal.addEventListener('abort', () => resolve(true)));
    });
    const running = write.run({ path: 'notes/aborted.txt', content: 'x' }, controller.signal);
    await asked;
    controller.abort();
    await assert.rejects(running, { name: 'AbortError' });
    assert.equal(existsSync(join(root, 'notes', 'aborted.txt')), false);
  });

  it('kills a command that outlives its time limit', async () => {
    const tools = createWorkspaceTools(root, { confirm: async () => true, commandTimeoutMs: 300 });
    const result = await tools.find((t) => t.name === 'run_command')!.run({ command: 'sleep 30' }, never);
    assert.equal(result.isError, true);
    assert.match(result.output, /ran longer than the 300 ms limit/);
  });
});

describe('the speculator never runs a mutating tool early', () => {
  it('blocks a write_file intent, asks nobody and writes nothing', async () => {
    const { write, requests } = withConfirm(true);
    const { speculator } = speculatorFor([write]);
    const decision = speculator.consider(callIntent(write, { path: 'notes/early.txt', content: 'too soon\n' }));
    assert.equal(decision, 'blocked');
    const claim = await speculator.claim({ id: 'c1', name: 'write_file', arguments: '{"path":"notes/early.txt","content":"too soon\\n"}' });
    assert.equal(claim.outcome, 'miss');
    assert.equal(speculator.end().blocked, 1);
    assert.equal(requests.length, 0);
    assert.equal(existsSync(join(root, 'notes', 'early.txt')), false);
  });
});
