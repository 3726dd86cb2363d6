import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';

// `foresight test` and `foresight eval` from the bundle (out/cli.js), on a rule file where one
// rule's pattern would backtrack for ever on the reasoning and one rule is good.
const repoRoot = resolve(__dirname, '..', '..', '..');
const cliPath = join(repoRoot, 'out', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'foresight-catastrophic-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const RULES = [
  'tool lookup_order',
  '  when /look up order (?<order_id>\\d+)/',
  '  test "I will look up order 12 now." => {"order_id": "12"}',
  '',
  'tool track_parcel',
  '  when /(?<code>a+)+$/u',
  `  test "${'a'.repeat(40)}!" => none`,
].join('\n');

const TRANSCRIPT = {
  model: 'test-reasoner',
  tools: [
    { type: 'function', function: { name: 'lookup_order', description: 'An order by id.', parameters: { type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'] } } },
    { type: 'function', function: { name: 'track_parcel', description: 'Where a parcel is.', parameters: { type: 'object', properties: { code: { type: 'string' } }, required: ['code'] } } },
  ],
  messages: [
    { role: 'user', content: 'Where is my order 4417?' },
    {
      role: 'assistant',
      reasoning_content: `The customer asks about an order. I should look up order 4417 first, then see whether it shipped. ${'a'.repeat(60)}! That settles it.`,
      content: null,
      tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup_order', arguments: '{"order_id":"4417"}' } }],
    },
    { role: 'tool', tool_call_id: 'call_1', content: '{"status":"shipped"}', x_latency_ms: 120 },
    { role: 'assistant', content: 'It shipped.' },
  ],
};

function newestIn(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestIn(join(path, name))));
}

function cli(args: string[]) {
  // A watchdog, not a timing assertion: a hang fails the test instead of blocking the run.
  const run = spawnSync(process.execPath, [cliPath, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
  assert.equal(run.error, undefined, `foresight ${args[0]} did not finish: ${String(run.error)}`);
  return run;
}

describe('a rule file with a catastrophic pattern, from the command line', () => {
  let rulesPath = '';
  let tracePath = '';
  before(() => {
    let built = 0;
    try {
      built = statSync(cliPath).mtimeMs;
    } catch {
      built = 0;
    }
    if (built < newestIn(join(repoRoot, 'src'))) execFileSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, stdio: 'ignore' });
    rulesPath = join(dir, 'orders.sniff');
    tracePath = join(dir, 'orders.json');
    writeFileSync(rulesPath, RULES);
    writeFileSync(tracePath, JSON.stringify(TRANSCRIPT));
  });

  it('foresight test names the rule and its line, runs the good rule’s tests, and exits 1', () => {
    const run = cli(['test', rulesPath]);
    const lines = run.stdout.trimEnd().split('\n');
    assert.match(lines[0] ?? '', new RegExp(`^${escape(rulesPath)}:6:8: error: The rule "tool track_parcel" is not used: this pattern (?:can backtrack catastrophically|repeats a part that itself repeats or branches)`));
    assert.equal(lines.at(-1), '1 passed, 0 failed');
    assert.equal(run.status, 1);
  });

  it('foresight eval names the rule and its line on stderr, and the good rule still predicts the call', () => {
    const run = cli(['eval', tracePath, '--rules', rulesPath, '--readonly', 'lookup_*', '--json']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, new RegExp(`${escape(rulesPath)}:6:8: error: The rule "tool track_parcel" is not used`));
    const report = JSON.parse(run.stdout) as { exact: number; perRule: { ruleId: string; exact: number }[] };
    assert.equal(report.exact, 1);
    assert.deepEqual(report.perRule.map((r) => [r.ruleId, r.exact]), [['tool lookup_order', 1]]);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
