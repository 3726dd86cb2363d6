import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Tool } from '../../../../src/core/chat/tool.js';
import { gitDiffTool } from '../../../../src/core/tools/workspace/git-diff-tool.js';
import { gitStatusTool } from '../../../../src/core/tools/workspace/git-status-tool.js';
import type { GitLimits } from '../../../../src/core/tools/workspace/run-git.js';
import { callIntent, speculationEnded, speculatorFor } from './speculate.js';

const gitMissing = spawnSync('git', ['--version']).error !== undefined;
const skip = gitMissing ? 'git is not installed on this machine; the git tools cannot be tested' : false;
const base = mkdtempSync(join(tmpdir(), 'foresight-git-'));
const repo = join(base, 'repo');
const plain = join(base, 'plain');
const marker = join(base, 'hook-ran');
const never = new AbortController().signal;
const limits: GitLimits = { timeoutMs: 20_000, maxOutputBytes: 256 * 1024, git: 'git' };
const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } });
const status = (root = repo, extra: Partial<GitLimits> = {}): Tool => gitStatusTool(root, { ...limits, ...extra });
const diff = (root = repo): Tool => gitDiffTool(root, limits);

before(() => {
  mkdirSync(plain, { recursive: true });
  if (gitMissing) return;
  mkdirSync(join(repo, 'src'), { recursive: true });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'tests@example.invalid');
  git('config', 'user.name', 'Tests');
  writeFileSync(join(repo, 'src', 'cart.ts'), 'export const items = 1;\n');
  writeFileSync(join(repo, 'notes.md'), 'shipping notes\n');
  git('add', '.');
  git('commit', '-q', '-m', 'first');
  writeFileSync(join(repo, 'src', 'cart.ts'), 'export const items = 2;\n');
  writeFileSync(join(repo, 'notes.md'), 'shipping notes, staged\n');
  git('add', 'notes.md');
  writeFileSync(join(repo, 'todo.txt'), 'untracked\n');
  // Programs the repository's own config asks git to run: the tools must not let them run.
  const hook = join(base, 'hook.sh');
  writeFileSync(hook, `#!/bin/sh\ntouch ${JSON.stringify(marker)}\n`);
  chmodSync(hook, 0o755);
  git('config', 'core.fsmonitor', hook);
  git('config', 'diff.external', hook);
});

after(() => rmSync(base, { recursive: true, force: true }));

describe('git_status and git_diff', { skip }, () => {
  it('git_status lists the branch, changed, staged and untracked files', async () => {
    const result = await status().run({}, never);
    assert.equal(result.isError, false, result.output);
    const lines = result.output.trim().split('\n');
    assert.match(lines[0]!, /^## main/);
    assert.deepEqual(lines.slice(1).sort(), ['?? todo.txt', 'M  notes.md', ' M src/cart.ts'].sort());
  });

  it('git_diff shows the unstaged change, and the staged one when asked', async () => {
    const unstaged = await diff().run({}, never);
    assert.match(unstaged.output, /-export const items = 1;\n\+export const items = 2;/);
    assert.doesNotMatch(unstaged.output, /notes\.md/);
    const staged = await diff().run({ staged: true }, never);
    assert.match(staged.output, /\+shipping notes, staged/);
  });

  it('git_diff narrows to one path and refuses one outside the root', async () => {
    assert.match((await diff().run({ path: 'notes.md' }, never)).output, /no unstaged changes/);
    const out = await diff().run({ path: '../plain' }, never);
    assert.equal(out.isError, true);
    assert.match(out.output, /outside the folder/);
  });

  it('never runs a program the repository config names (fsmonitor, external diff)', async () => {
    await status().run({}, never);
    await diff().run({}, never);
    assert.equal(existsSync(marker), false);
  });

  it('says so when the root is not a git repository', async () => {
    const result = await status(plain).run({}, never);
    assert.equal(result.isError, true);
    assert.match(result.output, /not inside a git repository/);
  });

  it('says so when git is not installed', async () => {
    const result = await status(repo, { git: join(base, 'no-such-git') }).run({}, never);
    assert.equal(result.isError, true);
    assert.match(result.output, /git is not installed/);
  });

  it('rejects with an AbortError, the child killed, when aborted', async () => {
    const controller = new AbortController();
    const running = status().run({}, controller.signal);
    controller.abort();
    await assert.rejects(running, { name: 'AbortError' });
  });

  it('a speculative git_status goes stale when a file changes before the claim', async () => {
    const tool = status();
    const { speculator, events } = speculatorFor([tool]);
    assert.equal(speculator.consider(callIntent(tool, {})), 'fired');
    await speculationEnded(events, 'git_status');
    writeFileSync(join(repo, 'notes.md'), 'shipping notes\n');
    const claim = await speculator.claim({ id: 'c1', name: 'git_status', arguments: '{}' });
    assert.equal(claim.outcome, 'stale');
  });
});
