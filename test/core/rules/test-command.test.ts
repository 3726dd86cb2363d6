import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';

// `foresight test` end to end: the CLI run as a child process on temporary files.
const repoRoot = resolve(__dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'foresight-sniff-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function foresightTest(...args: string[]): { status: number | null; lines: string[]; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'test', ...args], { cwd: repoRoot, encoding: 'utf8' });
  return { status: result.status, lines: result.stdout.trimEnd().split('\n'), stderr: result.stderr };
}

const GOOD = [
  'tool read_file',
  '  when /read `(?<path>[^`]+)`(?: from line (?<start_line>\\d+))?/i',
  '  test "Let me read `a.ts` from line 40." => {"path": "a.ts", "start_line": 40}',
  '  test "Nothing to read." => none',
  '',
  'warm role:code-runner',
  '  when /let me run (?:some )?code/i',
  '  test "Let me run some code." => warm',
].join('\n');

describe('foresight test', () => {
  it('exits 0 and ends with the counts when every test passes', () => {
    const { status, lines } = foresightTest(write('good.sniff', GOOD));
    assert.deepEqual(lines, ['3 passed, 0 failed']);
    assert.equal(status, 0);
  });

  it('prints a failing test with its file, line and rule, and exits 1', () => {
    const file = write('failing.sniff', `${GOOD}\n  test "Nothing here." => warm\n`);
    const { status, lines } = foresightTest(file);
    assert.deepEqual(lines, [`${file}:9: warm role:code-runner: expected warm, got none`, '3 passed, 1 failed']);
    assert.equal(status, 1);
  });

  it('prints parse problems with line and column, and exits 1 on an error', () => {
    const file = write('broken.sniff', 'tool t\n  when /(a/\n  when /b/\n  test "b" => {}\n');
    const { status, lines } = foresightTest(file);
    assert.match(lines[0] ?? '', new RegExp(`^${escape(file)}:2:8: error: This pattern is not a valid regular expression`));
    assert.equal(lines.at(-1), '1 passed, 0 failed');
    assert.equal(status, 1);
  });

  it('prints warnings but exits 0 when they are all there is', () => {
    const file = write('warned.sniff', 'tool t\n  when /a/\ntool t\n  when /b/\n');
    const { status, lines } = foresightTest(file);
    assert.match(lines[0] ?? '', /:3:1: warning: Another "tool t" rule starts on line 1/);
    assert.equal(lines.at(-1), '0 passed, 0 failed');
    assert.equal(status, 0);
  });

  it('types arguments with the schemas of a --tools file', () => {
    const rules = write('typed.sniff', 'tool get_weather\n  when /weather in (?<city>\\w+) for (?<days>\\d+) days/\n  test "weather in Oslo for 3 days" => {"city": "Oslo", "days": 3, "units": "metric"}\n');
    const tools = write(
      'tools.json',
      JSON.stringify([
        {
          type: 'function',
          function: {
            name: 'get_weather',
            parameters: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' }, units: { type: 'string', default: 'metric' } } },
          },
        },
      ]),
    );
    const { status, lines } = foresightTest(rules, '--tools', tools);
    assert.deepEqual(lines, ['1 passed, 0 failed']);
    assert.equal(status, 0);
  });

  it('exits 2 without a rule file, with an unknown option, or with a file it cannot read', () => {
    assert.equal(foresightTest().status, 2);
    assert.equal(foresightTest('--bogus', write('x.sniff', GOOD)).status, 2);
    const missing = foresightTest(join(dir, 'missing.sniff'));
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /cannot read/);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
