import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { caseFoldSource } from '../../../../src/core/tools/workspace/case-fold-regexp.js';
import { searchTextTool, type SearchTextLimits } from '../../../../src/core/tools/workspace/search-text-tool.js';
import { compileTextPattern } from '../../../../src/core/tools/workspace/text-pattern.js';
import { DEFAULT_SKIPPED_FOLDERS } from '../../../../src/core/tools/workspace/walk-files.js';

const base = mkdtempSync(join(tmpdir(), 'foresight-search-'));
const root = join(base, 'root');
const outside = join(base, 'outside');
const never = new AbortController().signal;
const limits: SearchTextLimits = { timeoutMs: 20_000, maxMatches: 50, maxEntries: 10_000, maxFileBytes: 1024 * 1024, maxTotalBytes: 64 * 1024 * 1024, skipFolders: DEFAULT_SKIPPED_FOLDERS };
const search = (extra: Partial<SearchTextLimits> = {}) => searchTextTool(root, { ...limits, ...extra });

before(() => {
  mkdirSync(join(root, 'src'), { recursive: true });
  mkdirSync(join(root, 'node_modules', 'dep'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(root, 'src', 'orders.ts'), 'export const ORDER_LIMIT = 5;\nfunction shipOrder(id) {}\n// TODO: refund orders\n');
  writeFileSync(join(root, 'src', 'weather.py'), 'def forecast(city):\n    return "sunny"  # TODO cache\r\n');
  writeFileSync(join(root, 'node_modules', 'dep', 'index.js'), '// TODO in a dependency\n');
  writeFileSync(join(root, 'logo.png'), Buffer.concat([Buffer.from('TODO'), Buffer.from([0, 1, 2, 0x0a])]));
  writeFileSync(join(outside, 'secret.txt'), 'TODO outside\n');
  symlinkSync(outside, join(root, 'out'));
  symlinkSync(join(outside, 'secret.txt'), join(root, 'secret.txt'));
  execFileSync('mkfifo', [join(root, 'src', 'feed.ts')]);
  // One line of 200 000 "a"s and a "!": the classic input that makes a backtracking engine hang.
  writeFileSync(join(root, 'src', 'evil.txt'), `${'a'.repeat(200_000)}!\nplain line\n`);
});

after(() => rmSync(base, { recursive: true, force: true }));

describe('search_text', () => {
  it('finds a literal across text files as path:line: text, skipping binaries, node_modules, FIFOs and symlinks', async () => {
    const result = await search().run({ pattern: 'TODO' }, never);
    assert.equal(result.isError, false, result.output);
    assert.equal(result.output, ['src/orders.ts:3: // TODO: refund orders', 'src/weather.py:2:     return "sunny"  # TODO cache', '[1 binary file skipped]'].join('\n'));
  });

  it('matches a regex, case-insensitively when asked', async () => {
    const result = await search().run({ pattern: '^export const [a-z_]+ = \\d+', regex: true, case_sensitive: false, glob: '*.ts' }, never);
    assert.equal(result.output, 'src/orders.ts:1: export const ORDER_LIMIT = 5;');
    const sensitive = await search().run({ pattern: 'shiporder', case_sensitive: true }, never);
    assert.match(sensitive.output, /no match/);
  });

  it('limits the search to a glob and a folder', async () => {
    const result = await search().run({ pattern: 'TODO', glob: '*.py', path: 'src' }, never);
    assert.equal(result.output, 'src/weather.py:2:     return "sunny"  # TODO cache');
  });

  it('finishes a catastrophic regex over a long line (linear engine)', async () => {
    for (const pattern of ['(a+)+$', '(a|aa)+$', '^(a|a?)+$', '(.*a){20}']) {
      const result = await search().run({ pattern, regex: true, glob: 'evil.txt' }, never);
      assert.equal(result.isError, false, result.output);
    }
  });

  it('searches a pattern the linear engine cannot run as literal text, and says so', async () => {
    const result = await search().run({ pattern: '(ORDER)\\1', regex: true }, never);
    assert.match(result.output, /no match/);
    assert.match(result.output, /searched as literal text/);
  });

  it('stops at its match cap and says so', async () => {
    const result = await search({ maxMatches: 1 }).run({ pattern: 'o' }, never);
    assert.equal(result.output.split('\n').filter((l) => !l.startsWith('[')).length, 1);
    assert.match(result.output, /stopped at 1 matches/);
  });

  it('searches one file when the path names a file, and refuses a FIFO without waiting for a writer', async () => {
    const one = await search().run({ pattern: 'TODO', path: 'src/orders.ts' }, never);
    assert.equal(one.output, 'src/orders.ts:3: // TODO: refund orders');
    const fifo = await search().run({ pattern: 'TODO', path: 'src/feed.ts' }, never);
    assert.equal(fifo.isError, true);
    assert.match(fifo.output, /not a regular file/);
  });

  it('refuses to search outside the root', async () => {
    for (const path of ['..', '/tmp', 'out']) {
      const result = await search().run({ pattern: 'TODO', path }, never);
      assert.equal(result.isError, true);
      assert.match(result.output, /outside the folder/);
    }
  });

  it('rejects with an AbortError when aborted while it searches', async () => {
    const controller = new AbortController();
    const running = search().run({ pattern: 'a' }, controller.signal);
    controller.abort();
    await assert.rejects(running, { name: 'AbortError' });
  });
});

describe('compileTextPattern and caseFoldSource', () => {
  it('folds letters outside escapes and group names', () => {
    assert.equal(caseFoldSource('a\\d[b-c]'), '[aA]\\d[b-cB-C]');
    assert.equal(caseFoldSource('(?<id>x)\\x41'), '(?<id>[xX])\\x41');
  });

  it('finds mixed-case text with a case-insensitive regex', () => {
    const p = compileTextPattern('order_[a-z]+', { regex: true, caseSensitive: false });
    assert.equal(p.kind, 'regex');
    assert.equal(p.indexIn('const ORDER_LIMIT'), 6);
  });

  it('falls back to a literal for an invalid regex', () => {
    const p = compileTextPattern('price[', { regex: true, caseSensitive: true });
    assert.equal(p.kind, 'literal');
    assert.equal(p.indexIn('the price[0]'), 4);
  });
});
