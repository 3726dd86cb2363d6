import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Tool, ToolResult } from '../../../src/core/chat/tool.js';
import { createFileTools } from '../../../src/core/tools/file-tools.js';

const base = mkdtempSync(join(tmpdir(), 'foresight-files-'));
const root = join(base, 'root');
const outside = join(base, 'outside');
const fifo = join(root, 'pipe.jsonl');
const SPARSE_SIZE = 3 * 1024 ** 3;
const never = new AbortController().signal;

function tools(dir = root): { read: Tool; list: Tool } {
  const [read, list] = createFileTools(dir);
  return { read: read!, list: list! };
}

before(() => {
  mkdirSync(join(root, 'notes'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(root, 'notes', 'order-17.txt'), 'Order 17: two umbrellas, shipped.\n');
  writeFileSync(join(outside, 'secret.txt'), 'outside the root\n');
  symlinkSync(join(outside, 'secret.txt'), join(root, 'link-out.txt'));
  symlinkSync(outside, join(root, 'dir-out'));
  symlinkSync('/dev/zero', join(root, 'zero'));
  symlinkSync(join(root, 'notes', 'order-17.txt'), join(root, 'link-in.txt'));
  execFileSync('mkfifo', [fifo]);
  // 3 GB, sparse: text at the start and near the end, nothing stored in between.
  const big = join(root, 'big.log');
  writeFileSync(big, 'ticket line\n'.repeat(30_000));
  truncateSync(big, SPARSE_SIZE);
  const fd = openSync(big, 'r+');
  writeSync(fd, 'the last ticket\n', SPARSE_SIZE - 16);
  closeSync(fd);
  writeFileSync(join(root, 'accents.txt'), `a${'é'.repeat(200_000)}`);
});

after(() => {
  // Releases a reader stuck in open() on the FIFO (only a broken implementation gets there).
  try {
    closeSync(openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK));
  } catch {
    // Already gone.
  }
  rmSync(base, { recursive: true, force: true });
});

async function refused(tool: Tool, args: Record<string, unknown>, pattern: RegExp): Promise<void> {
  const result: ToolResult = await tool.run(args, never);
  assert.equal(result.isError, true, `expected ${JSON.stringify(args)} to be refused, got ${result.output.slice(0, 200)}`);
  assert.match(result.output, pattern);
}

describe('read_file and list_directory stay inside their root', () => {
  it('reads a file inside the root, through a symlink that stays inside too', async () => {
    const { read } = tools();
    assert.equal((await read.run({ path: 'notes/order-17.txt' }, never)).output, 'Order 17: two umbrellas, shipped.\n');
    assert.equal((await read.run({ path: 'link-in.txt' }, never)).output, 'Order 17: two umbrellas, shipped.\n');
  });

  for (const path of ['../outside/secret.txt', 'notes/../../outside/secret.txt', '..', join(outside, 'secret.txt'), '/etc/passwd']) {
    it(`refuses ${JSON.stringify(path)}`, async () => {
      await refused(tools().read, { path }, /outside the folder/);
    });
  }

  it('refuses ".." and absolute paths in list_directory too', async () => {
    await refused(tools().list, { path: '..' }, /outside the folder/);
    await refused(tools().list, { path: '/' }, /outside the folder/);
  });

  it('takes "~" as a name inside the root, never the home folder', async () => {
    await refused(tools().read, { path: '~/.bashrc' }, /no such file/);
    await refused(tools().list, { path: '~' }, /no such file/);
  });

  it('refuses a path with a NUL character', async () => {
    await refused(tools().read, { path: 'notes/order-17.txt\0.png' }, /NUL/);
  });

  it('takes percent-encoded traversal literally, as a name that does not exist', async () => {
    await refused(tools().read, { path: '%2e%2e/outside/secret.txt' }, /no such file/);
    await refused(tools().read, { path: '..%2Foutside%2Fsecret.txt' }, /no such file/);
  });

  it('refuses symlinks that lead out of the root, to a file or a folder', async () => {
    await refused(tools().read, { path: 'link-out.txt' }, /outside the folder/);
    await refused(tools().read, { path: 'dir-out/secret.txt' }, /outside the folder/);
    await refused(tools().list, { path: 'dir-out' }, /outside the folder/);
  });

  it('refuses /dev/zero reached through a symlink inside the root', async () => {
    await refused(tools().read, { path: 'zero' }, /outside the folder/);
  });

  it('refuses a device even when the root holds it', async () => {
    await refused(tools('/dev').read, { path: 'zero' }, /not a regular file/);
    await refused(tools('/dev').read, { path: 'null' }, /not a regular file/);
  });

  it('refuses a FIFO at once, without waiting for a writer', async () => {
    await refused(tools().read, { path: 'pipe.jsonl' }, /not a regular file/);
  });

  it('obeys an abort that comes while it is looking at a FIFO, rather than hang', async () => {
    const controller = new AbortController();
    const reading = tools().read.run({ path: 'pipe.jsonl' }, controller.signal);
    controller.abort();
    await assert.rejects(reading, { name: 'AbortError' });
  });
});

describe('read_file on large and multi-byte files', () => {
  it('reads the first 256 KiB of a 3 GB sparse file and says where to go on', async () => {
    const result = await tools().read.run({ path: 'big.log' }, never);
    assert.equal(result.isError, false, result.output.slice(0, 200));
    const [text, note] = result.output.split('\n[… ');
    assert.equal(Buffer.byteLength(text!), 256 * 1024);
    assert.ok(text!.startsWith('ticket line\n'));
    assert.match(note ?? '', new RegExp(`^${SPARSE_SIZE - 256 * 1024} more bytes; read again with offset ${256 * 1024}\\]$`));
  });

  it('reads at an offset past 2 GiB from the file descriptor', async () => {
    const result = await tools().read.run({ path: 'big.log', offset: SPARSE_SIZE - 16 }, never);
    assert.equal(result.output, 'the last ticket\n');
  });

  it('says so when the offset is past the end', async () => {
    await refused(tools().read, { path: 'notes/order-17.txt', offset: 10_000 }, /past the end/);
  });

  it('cuts a slice on a whole UTF-8 character, and the next slice goes on from there', async () => {
    const { read } = tools();
    const first = await read.run({ path: 'accents.txt' }, never);
    const [head, note] = first.output.split('\n[… ');
    assert.ok(!head!.includes('\uFFFD'), 'no broken character at the cut');
    const next = Number(/offset (\d+)\]$/.exec(note ?? '')?.[1]);
    assert.equal(next, Buffer.byteLength(head!));
    const second = await read.run({ path: 'accents.txt', offset: next }, never);
    assert.equal(head! + second.output, `a${'é'.repeat(200_000)}`);
  });

  it('starts on the next whole character when the offset falls inside one', async () => {
    const result = await tools().read.run({ path: 'accents.txt', offset: 2 }, never);
    assert.ok(result.output.startsWith('éé'));
    assert.ok(!result.output.includes('\uFFFD'));
  });
});

describe('every read obeys its AbortSignal', () => {
  for (const [name, path] of [['read_file', 'notes/order-17.txt'], ['list_directory', 'notes']] as const) {
    it(`${name} rejects with an AbortError when the signal is already aborted`, async () => {
      const { read, list } = tools();
      const tool = name === 'read_file' ? read : list;
      await assert.rejects(tool.run({ path }, AbortSignal.abort()), { name: 'AbortError' });
    });

    it(`${name} rejects with an AbortError when the signal is aborted while it runs`, async () => {
      const { read, list } = tools();
      const tool = name === 'read_file' ? read : list;
      const controller = new AbortController();
      // run() goes as far as its first file-system call synchronously; the abort lands while that call is pending.
      const running = tool.run({ path }, controller.signal);
      controller.abort();
      await assert.rejects(running, { name: 'AbortError' });
    });
  }
});
