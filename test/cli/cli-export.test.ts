import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

const dir = mkdtempSync(join(tmpdir(), 'foresight-export-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const DEMO = 'media/demo-sessions/01-weather-umbrella.json';

function foresight(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'export', ...args], { encoding: 'utf8' });
}

interface Request {
  resourceSpans: { scopeSpans: { spans: { name: string; attributes: { key: string }[] }[] }[] }[];
}
const names = (r: Request) => r.resourceSpans.flatMap((x) => x.scopeSpans.flatMap((s) => s.spans.map((p) => p.name)));
const keys = (r: Request) => new Set(r.resourceSpans.flatMap((x) => x.scopeSpans.flatMap((s) => s.spans.flatMap((p) => p.attributes.map((a) => a.key)))));

describe('foresight export --otlp', () => {
  it('prints one OTLP/JSON request with the GenAI spans of a session, content left out', () => {
    const run = foresight(['--otlp', DEMO]);
    assert.equal(run.status, 0, run.stderr);
    const request = JSON.parse(run.stdout) as Request;
    assert.deepEqual(names(request), ['invoke_agent Foresight', 'chat foresight-demo', 'execute_tool get_forecast', 'chat foresight-demo']);
    assert.ok(!keys(request).has('gen_ai.input.messages'));
    assert.ok(!run.stdout.includes('Lisbon'), 'nothing of the conversation without --capture-content');
  });

  it('re-sniffs with the shipped rules on --resniff, so the early run appears, and writes --out', () => {
    const out = join(dir, 'trace.json');
    const run = foresight(['--otlp', '--resniff', '--capture-content', '--out', out, DEMO]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /wrote \d+ spans of 1 session/);
    const request = JSON.parse(readFileSync(out, 'utf8')) as Request;
    assert.equal(names(request).filter((n) => n === 'execute_tool get_forecast').length, 2, 'the early run and the formal call');
    assert.ok(keys(request).has('foresight.speculation.lead_ms'));
    assert.ok(keys(request).has('gen_ai.output.messages'));
  });

  it('exits 1 with the reason when no session can be read, and 2 without --otlp', () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, 'not json\n');
    const run = foresight(['--otlp', bad]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /no session could be read/);
    assert.equal(foresight([DEMO]).status, 2);
  });

  it('exits 1 naming the receiver when it cannot be reached', () => {
    const run = foresight(['--otlp', '--send', 'http://127.0.0.1:1/v1/traces', '--timeout-ms', '3000', DEMO]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /OTLP receiver at http:\/\/127\.0\.0\.1:1/);
  });
});
