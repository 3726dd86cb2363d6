import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { CORPUS_DIR } from '../fixtures/corpus.js';

function cli(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', timeout: 120_000 });
}

describe('foresight eval (the CLI)', () => {
  it('prints one JSON object with the contract fields', () => {
    const run = cli(['eval', CORPUS_DIR, '--readonly', 'get_*,check_*,search_*,list_*,calculate_*', '--json']);
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout) as Record<string, unknown>;
    for (const field of ['calls', 'exact', 'exactEligible', 'eligible', 'warmBefore', 'fired', 'misfires', 'blocked', 'unsafeRuns', 'leadCharsMedian', 'perRule', 'sniffMBps', 'precision', 'recall', 'warmWithoutCall', 'turnsWithoutCodeRunnerCall', 'crossTurnHits', 'baselines']) {
      assert.ok(field in report, field);
    }
    assert.equal(report.recall, (report.exactEligible as number) / (report.eligible as number));
    const baselines = report.baselines as { name: string; warmWithoutCall: number }[];
    assert.equal(baselines[0]?.name, 'always warm');
    assert.equal(baselines[0]?.warmWithoutCall, report.turnsWithoutCodeRunnerCall, 'always warm warms every turn without a code-runner call');
    assert.ok(Array.isArray(report.perRule));
    assert.equal(report.unsafeRuns, 0);
  });

  it('fails with a usage error and exit code 2 when given no traces', () => {
    const run = cli(['eval']);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /at least one trace/);
  });
});
