import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Tool } from '../../../../src/core/chat/tool.js';
import { createWorkspaceTools } from '../../../../src/core/tools/workspace/create-workspace-tools.js';
import { DEFAULT_READ_LINES_LIMITS, readLinesTool } from '../../../../src/core/tools/workspace/read-lines-tool.js';
import type { WorkspaceReadResult } from '../../../../src/core/tools/workspace/workspace-result.js';
import { callIntent, speculationEnded, speculatorFor } from './speculate.js';

const base = mkdtempSync(join(tmpdir(), 'foresight-lines-'));
const root = join(base, 'root');
const outside = join(base, 'outside');
const fifo = join(root, 'orders.pipe');
const SPARSE_SIZE = 3 * 1024 ** 3;
const never = new AbortController().signal;
const lines = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `ticket ${from + i}: printer jammed\n`).join('');

const read = (): Tool => readLinesTool(root);

before(() => {
  mkdirSync(join(root, 'docs'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(root, 'docs', 'tickets.txt'), lines(50));
  writeFileSync(join(root, 'docs', 'no-final-newline.txt'), 'first\nsecond');
  writeFileSync(join(root, 'empty.txt'), '');
  writeFileSync(join(root, 'image.bin'), Buffer.from([0x89, 0x50, 0x00, 0x47, 0x0a]));
  writeFileSync(join(outside, 'secret.txt'), 'outside the root\n');
  symlinkSync(join(outside, 'secret.txt'), join(root, 'secret-link.txt'));
  symlinkSync(outside, join(root, 'outside-dir'));
  execFileSync('mkfifo', [fifo]);
  // 3 GB, sparse: numbered lines at the start, one line near the end, nothing stored between.
  const big = join(root, 'huge.log');
  writeFileSync(big, lines(100_000));
  truncateSync(big, SPARSE_SIZE);
  const fd = openSync(big, 'r+');
  writeSync(fd, 'the last ticket\n', SPARSE_SIZE - 16);
  closeSync(fd);
});

after(() => {
  try {
    closeSync(openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK));
  } catch {
    // Already gone.
  }
  rmSync(base, { recursive: true, force: true });
});

async function refused(args: Record<string, unknown>, pattern: RegExp, tool = read()): Promise<void> {
  const result = await tool.run(args, never);
  assert.equal(result.isError, true, `expected ${JSON.stringify(args)} to be refused, got ${result.output.slice(0, 200)}`);
  assert.match(result.output, pattern);
}

describe('read_lines reads line ranges', () => {
  it('returns the asked lines, numbered, and nothing else', async () => {
    const result = await read().run({ path: 'docs/tickets.txt', start_line: 3, end_line: 5 }, never);
    assert.equal(result.isError, false);
    assert.equal(result.output, '3\tticket 3: printer jammed\n4\tticket 4: printer jammed\n5\tticket 5: printer jammed\n');
  });

  it('says where the file ends when the range runs past it', async () => {
    const result = await read().run({ path: 'docs/tickets.txt', start_line: 49, end_line: 60 }, never);
    assert.equal(result.output, '49\tticket 49: printer jammed\n50\tticket 50: printer jammed\n[end of file at line 50]');
  });

  it('reads a last line that has no newline', async () => {
    const result = await read().run({ path: 'docs/no-final-newline.txt', start_line: 2, end_line: 2 }, never);
    assert.equal(result.output, '2\tsecond');
  });

  it('stops at its line limit and says how to read on', async () => {
    const tool = readLinesTool(root, { ...DEFAULT_READ_LINES_LIMITS, maxLines: 10 });
    const result = await tool.run({ path: 'docs/tickets.txt' }, never);
    assert.equal(result.output.split('\n').filter((l) => /^\d+\t/.test(l)).length, 10);
    assert.match(result.output, /read on with start_line 11\]$/);
  });

  it('refuses a start past the end, an inverted range and a binary file', async () => {
    await refused({ path: 'docs/tickets.txt', start_line: 51 }, /has 50 lines/);
    await refused({ path: 'docs/tickets.txt', start_line: 9, end_line: 3 }, /before start_line/);
    await refused({ path: 'image.bin' }, /looks binary/);
  });

  it('says an empty file is empty', async () => {
    assert.match((await read().run({ path: 'empty.txt' }, never)).output, /is empty/);
  });
});

describe('read_lines stays inside its root', () => {
  for (const path of ['../outside/secret.txt', 'docs/../../outside/secret.txt', join(outside, 'secret.txt'), '/etc/hostname']) {
    it(`refuses ${JSON.stringify(path)}`, async () => {
      await refused({ path }, /outside the folder/);
    });
  }

  it('refuses symlinks that lead out of the root', async () => {
    await refused({ path: 'secret-link.txt' }, /outside the folder/);
    await refused({ path: 'outside-dir/secret.txt' }, /outside the folder/);
  });

  it('refuses a FIFO at once, without waiting for a writer', async () => {
    await refused({ path: 'orders.pipe' }, /not a regular file/);
  });

  it('refuses a device', async () => {
    await refused({ path: 'null' }, /not a regular file/, readLinesTool('/dev'));
  });
});

describe('read_lines on a 3 GB sparse file', () => {
  it('reads a line range near the start and stops after it', async () => {
    const result = await read().run({ path: 'huge.log', start_line: 99_998, end_line: 100_000 }, never);
    assert.equal(result.isError, false, result.output.slice(0, 200));
    assert.equal(result.output, '99998\tticket 99998: printer jammed\n99999\tticket 99999: printer jammed\n100000\tticket 100000: printer jammed\n');
  });

  it('refuses a range past its scan limit instead of reading gigabytes', async () => {
    const tool = readLinesTool(root, { ...DEFAULT_READ_LINES_LIMITS, maxScanBytes: 1024 * 1024 });
    await refused({ path: 'huge.log', start_line: 200_000, end_line: 200_001 }, /not within the first 1048576 bytes/, tool);
  });
});

describe('read_lines obeys its signal', () => {
  it('rejects with an AbortError when aborted while it runs', async () => {
    const controller = new AbortController();
    const running = read().run({ path: 'huge.log', start_line: 1, end_line: 2000 }, controller.signal);
    controller.abort();
    await assert.rejects(running, { name: 'AbortError' });
  });
});

describe('read results carry what they depend on', () => {
  it('names the file with its modification time and size', async () => {
    const result = (await read().run({ path: 'docs/tickets.txt', start_line: 1, end_line: 1 }, never)) as WorkspaceReadResult;
    assert.equal(result.dependsOn.length, 1);
    assert.match(result.dependsOn[0]!.path, /tickets\.txt$/);
    assert.equal(result.dependsOn[0]!.size, Buffer.byteLength(lines(50)));
  });

  it('is refused at claim as stale when the file changed after the speculative read', async () => {
    const path = join(root, 'docs', 'changing.txt');
    writeFileSync(path, lines(5));
    const tool = createWorkspaceTools(root).find((t) => t.name === 'read_lines')!;
    const { speculator, events } = speculatorFor([tool]);
    assert.equal(speculator.consider(callIntent(tool, { path: 'docs/changing.txt', start_line: 1, end_line: 2 })), 'fired');
    await speculationEnded(events, 'read_lines');
    writeFileSync(path, lines(6));
    const claim = await speculator.claim({ id: 'c1', name: 'read_lines', arguments: '{"path":"docs/changing.txt","start_line":1,"end_line":2}' });
    assert.equal(claim.outcome, 'stale');
  });

  it('is served at claim when the file did not change', async () => {
    const tool = read();
    const { speculator, events } = speculatorFor([tool]);
    speculator.consider(callIntent(tool, { path: 'docs/tickets.txt', start_line: 2, end_line: 2 }));
    await speculationEnded(events, 'read_lines');
    const claim = await speculator.claim({ id: 'c1', name: 'read_lines', arguments: '{"path":"docs/tickets.txt","start_line":2,"end_line":2}' });
    assert.equal(claim.outcome, 'hit');
    assert.equal(claim.outcome === 'hit' ? claim.result.output : '', '2\tticket 2: printer jammed\n');
  });
});
