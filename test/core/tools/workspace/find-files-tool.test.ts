import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { findFilesTool, type FindFilesLimits } from '../../../../src/core/tools/workspace/find-files-tool.js';
import { compileGlob } from '../../../../src/core/tools/workspace/glob.js';
import { DEFAULT_SKIPPED_FOLDERS } from '../../../../src/core/tools/workspace/walk-files.js';
import { callIntent, speculationEnded, speculatorFor } from './speculate.js';

const base = mkdtempSync(join(tmpdir(), 'foresight-find-'));
const root = join(base, 'root');
const outside = join(base, 'outside');
const never = new AbortController().signal;
const limits: FindFilesLimits = { timeoutMs: 10_000, maxResults: 100, maxEntries: 10_000, skipFolders: DEFAULT_SKIPPED_FOLDERS };
const find = (extra: Partial<FindFilesLimits> = {}) => findFilesTool(root, { ...limits, ...extra });

before(() => {
  for (const dir of ['src/orders', 'src/weather', 'node_modules/lib', '.git', 'docs']) mkdirSync(join(root, dir), { recursive: true });
  mkdirSync(outside);
  for (const file of ['src/orders/cart.ts', 'src/orders/cart.test.ts', 'src/weather/forecast.ts', 'src/index.ts', 'node_modules/lib/index.ts', '.git/config', 'docs/guide.md', 'docs/notes.txt', 'README.md']) {
    writeFileSync(join(root, file), `// ${file}\n`);
  }
  writeFileSync(join(outside, 'leak.ts'), 'outside\n');
  symlinkSync(outside, join(root, 'src', 'linked-out'));
  execFileSync('mkfifo', [join(root, 'src', 'events.ts')]);
});

after(() => rmSync(base, { recursive: true, force: true }));

describe('compileGlob', () => {
  const cases: [string, string, boolean][] = [
    ['*.ts', 'src/orders/cart.ts', true],
    ['*.ts', 'README.md', false],
    ['src/*.ts', 'src/index.ts', true],
    ['src/*.ts', 'src/orders/cart.ts', false],
    ['src/**/*.ts', 'src/index.ts', true],
    ['src/**/*.ts', 'src/orders/cart.ts', true],
    ['**/*.test.ts', 'src/orders/cart.test.ts', true],
    ['*.{md,txt}', 'docs/notes.txt', true],
    ['*.{md,txt}', 'docs/notes.ts', false],
    ['doc?/*.md', 'docs/guide.md', true],
    ['[a-c]art.ts', 'src/orders/cart.ts', true],
    ['[!c]art.ts', 'src/orders/cart.ts', false],
    ['src/orders/cart.ts', 'src/orders/cart.ts', true],
    ['./src/index.ts', 'src/index.ts', true],
    ['a.b', 'axb', false],
  ];
  for (const [glob, path, expected] of cases) {
    it(`${expected ? 'matches' : 'does not match'} ${path} with ${glob}`, () => {
      assert.equal(compileGlob(glob)(path), expected);
    });
  }

  it('takes a glob its syntax cannot read as a literal name instead of throwing', () => {
    assert.equal(compileGlob('[z-a].ts')('src/[z-a].ts'), true);
    assert.equal(compileGlob('[z-a].ts')('src/a.ts'), false);
  });

  it('gives up on no path for a pattern that would backtrack', () => {
    assert.equal(compileGlob('*a*a*a*a*a*a*a*a*b')(`${'a'.repeat(300)}.c`), false);
  });
});

describe('find_files', () => {
  it('finds files by glob in name order, skipping node_modules and .git', async () => {
    const result = await find().run({ pattern: '**/*.ts' }, never);
    assert.equal(result.isError, false, result.output);
    assert.equal(result.output, ['src/index.ts', 'src/orders/cart.test.ts', 'src/orders/cart.ts', 'src/weather/forecast.ts'].join('\n'));
  });

  it('looks inside the skipped folders when asked', async () => {
    const result = await find().run({ pattern: 'index.ts', include_skipped: true }, never);
    assert.equal(result.output, 'node_modules/lib/index.ts\nsrc/index.ts');
  });

  it('searches a subfolder and reports paths from the root', async () => {
    const result = await find().run({ pattern: '*.ts', path: 'src/weather' }, never);
    assert.equal(result.output, 'src/weather/forecast.ts');
  });

  it('never follows a symlink out of the root, nor lists a FIFO', async () => {
    const result = await find().run({ pattern: '*.ts' }, never);
    assert.doesNotMatch(result.output, /leak|events/);
  });

  it('refuses to search a folder outside the root', async () => {
    for (const path of ['..', '/', 'src/linked-out']) {
      const result = await find().run({ pattern: '*', path }, never);
      assert.equal(result.isError, true);
      assert.match(result.output, /outside the folder/);
    }
  });

  it('caps the number of results and says so', async () => {
    const result = await find({ maxResults: 2 }).run({ pattern: '*' }, never);
    assert.equal(result.output.split('\n').filter((l) => !l.startsWith('[')).length, 2);
    assert.match(result.output, /more than 2 matches/);
  });

  it('stops after its entry limit and says so', async () => {
    const result = await find({ maxEntries: 3 }).run({ pattern: '*' }, never);
    assert.match(result.output, /stopped after looking at 3 entries/);
  });

  it('rejects with an AbortError when aborted while it walks', async () => {
    const controller = new AbortController();
    const running = find().run({ pattern: '*' }, controller.signal);
    controller.abort();
    await assert.rejects(running, { name: 'AbortError' });
  });

  it('goes stale when a file is added to a folder it listed', async () => {
    const tool = find();
    const { speculator, events } = speculatorFor([tool]);
    speculator.consider(callIntent(tool, { pattern: '*.md' }));
    await speculationEnded(events, 'find_files');
    writeFileSync(join(root, 'docs', 'faq.md'), 'new\n');
    const claim = await speculator.claim({ id: 'c1', name: 'find_files', arguments: '{"pattern":"*.md"}' });
    assert.equal(claim.outcome, 'stale');
  });
});
