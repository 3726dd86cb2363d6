import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { evaluate, valuesAppearIn, type EvalReport } from '../../../src/core/eval/evaluate.js';
import { parseRules } from '../../../src/core/rules/rule-parser.js';
import { loadSessions } from '../../../src/core/session/load-sessions.js';
import { CORPUS_DIR, CORPUS_MORE_DIR } from '../../fixtures/corpus.js';
import { weatherSession } from '../../fixtures/weather-transcript.js';
import { scenario } from '../engine/scenario.js';

const READONLY = ['get_*', 'check_*', 'search_*', 'list_*', 'calculate_*'];
const defaultRules = () => parseRules(readFileSync(join(process.cwd(), 'media/rules/default.sniff'), 'utf8')).rules;

describe('evaluate on the real corpus, with the default rules', () => {
  let report: EvalReport;
  before(async () => {
    const { sessions } = await loadSessions([CORPUS_DIR]);
    report = await evaluate(sessions, { rules: defaultRules(), readonly: READONLY });
  });

  it('predicts at least 80% of the calls whose values were all in the reasoning, exactly', () => {
    assert.ok(report.eligible >= 8, `eligible ${report.eligible}`);
    assert.ok(report.exactEligible / report.eligible >= 0.8, `${report.exactEligible}/${report.eligible}`);
  });

  it('warms the code runner before at least 60% of code-running calls', () => {
    assert.ok(report.codeRunnerCalls > 50);
    assert.ok(report.warmBefore / report.codeRunnerCalls >= 0.6, `${report.warmBefore}/${report.codeRunnerCalls}`);
  });

  it('misfires on at most 10% of the speculations it fires, and runs nothing unsafe', () => {
    assert.ok(report.fired > 0);
    assert.ok(report.misfires <= 0.1 * report.fired, `${report.misfires} of ${report.fired}`);
    assert.equal(report.unsafeRuns, 0);
  });

  it('blocks every predicted call to a tool outside the read-only globs', () => {
    const blockedRules = report.perRule.filter((r) => r.blocked > 0).map((r) => r.ruleId.replace('schema:', ''));
    assert.ok(blockedRules.length > 0);
    for (const tool of blockedRules) assert.ok(!READONLY.some((g) => new RegExp(`^${g.replace('*', '.*')}$`).test(tool)), tool);
  });
});

describe('evaluate', () => {
  it('counts a speculation as unsafe if a tool outside the globs ever ran early, and here none does', async () => {
    const report = await evaluate([weatherSession()], { rules: [], readonly: [] });
    assert.equal(report.calls, 2);
    assert.equal(report.exact, 2);
    assert.equal(report.fired, 0);
    assert.equal(report.blocked, 2);
    assert.equal(report.unsafeRuns, 0);
  });

  it('fires and hits when the tool is read-only', async () => {
    const report = await evaluate([weatherSession()], { rules: [], readonly: ['get_*'] });
    assert.equal(report.fired, 2);
    assert.equal(report.hits + report.partialHits, 2);
    assert.equal(report.misfires, 0);
    assert.ok((report.leadCharsMedian ?? 0) > 0);
  });

  it('tells whether every argument value appears in the text', () => {
    assert.equal(valuesAppearIn('{"a":"X1","b":{"c":5}}', 'we need X1 and 5 of them'), true);
    assert.equal(valuesAppearIn('{"a":"X1"}', 'nothing here'), false);
    assert.equal(valuesAppearIn('not json', 'x'), false);
  });
});

describe('evaluate: figures that can come out badly', () => {
  const runner = { name: 'run_code', properties: { code: { type: 'string' } }, description: 'Execute Python code in a sandbox.' };
  const lookup = { name: 'get_ticket', properties: { ticket_id: { type: 'string' } } };
  const warmRule = "warm role:code-runner\n  when /\\blet me\\b/i\n  confidence 0.6\n";

  it('counts turns a warm rule warmed that call no code runner, beside an always-warm baseline', async () => {
    const session = scenario(
      [runner],
      [
        { user: 'Compute it.' },
        { reasoning: 'Let me write some code for this.', calls: [{ name: 'run_code', args: { code: 'print(1)' } }] },
        { reasoning: 'Let me think about the output: it is 1.', answer: 'It is 1.' },
        { user: 'And now?' },
        { reasoning: 'Nothing to compute.', answer: 'Nothing.' },
      ],
    );
    const report = await evaluate([session], { rules: parseRules(warmRule).rules, readonly: [] });
    assert.equal(report.codeRunnerCalls, 1);
    assert.equal(report.warmBefore, 1);
    assert.equal(report.turnsWithoutCodeRunnerCall, 2);
    assert.equal(report.warmWithoutCall, 1, 'the second turn said "let me" and called nothing');
    assert.deepEqual(report.baselines[0], { name: 'always warm', warmBefore: 1, warmWithoutCall: 2, warmedTurns: 3 });
  });

  it('counts the always-warm baseline turn by turn in every session, even when sessions share a title', async () => {
    const computing = () =>
      scenario([runner], [{ user: 'Compute it.' }, { reasoning: 'Let me write some code for this.', calls: [{ name: 'run_code', args: { code: 'print(1)' } }] }, { reasoning: 'It printed 1.', answer: 'It is 1.' }]);
    const sessions = [computing(), computing()];
    assert.equal(sessions[0]!.header.title, sessions[1]!.header.title, 'the two sessions share a title');
    const report = await evaluate(sessions, { rules: parseRules(warmRule).rules, readonly: [] });
    assert.equal(report.codeRunnerCalls, 2);
    assert.equal(report.turnsWithoutCodeRunnerCall, 2);
    assert.deepEqual(report.baselines[0], { name: 'always warm', warmBefore: 2, warmWithoutCall: 2, warmedTurns: 4 });
  });

  it('reports precision as claimed over fired, so a speculation nobody claims lowers it', async () => {
    const session = scenario(
      [lookup],
      [
        { user: 'Ticket T-1, and maybe T-2.' },
        { reasoning: 'I need get_ticket with ticket_id "T-1", and later get_ticket with ticket_id "T-2".', calls: [{ name: 'get_ticket', args: { ticket_id: 'T-1' }, ms: 800 }] },
        { reasoning: 'T-1 is enough.', answer: 'Open.' },
      ],
    );
    const report = await evaluate([session], { rules: [], readonly: ['get_*'] });
    assert.equal(report.fired, 2);
    assert.equal(report.misfires, 1);
    assert.equal(report.precision, 0.5);
    assert.equal(report.recall, 1);
    assert.equal(report.unsafeRuns, 0);
    assert.deepEqual(report.misfireCauses, { recap: 0, later: 0, never: 1 }, 'T-2 was planned and never fetched');
  });

  it('counts a call restated with surer evidence as one prediction, fired at its higher confidence', async () => {
    const session = scenario(
      [lookup],
      [
        { user: 'Ticket T-3?' },
        { reasoning: 'First I will look at the ticket for T-3. So: get_ticket with ticket_id "T-3".', calls: [{ name: 'get_ticket', args: { ticket_id: 'T-3' }, ms: 800 }] },
        { reasoning: 'Done.', answer: 'Open.' },
      ],
    );
    const report = await evaluate([session], { rules: [], readonly: ['get_*'] });
    assert.equal(report.intents, 2, 'first from the noun, then from the name and its label');
    assert.equal(report.predictedCalls, 1);
    assert.equal(report.hits + report.partialHits, 1);
  });

  it('does not run early the calls a reasoning recaps from history it was only told about', async () => {
    // The earlier calls are only text in the prompt (an injected history), so no answered call marks them: the framing must.
    const session = scenario(
      [lookup],
      [
        { user: 'History: get_ticket T-1 returned "open"; get_ticket T-4 returned "closed". Now check T-2.' },
        {
          reasoning:
            'Recap: get_ticket(ticket_id="T-1") -> open; get_ticket(ticket_id="T-4") -> closed. According to the results of get_ticket for T-4, it is done. Now I need get_ticket with ticket_id "T-2".',
          calls: [{ name: 'get_ticket', args: { ticket_id: 'T-2' }, ms: 800 }],
        },
        { reasoning: 'Done.', answer: 'T-2 is open.' },
      ],
    );
    const report = await evaluate([session], { rules: [], readonly: ['get_*'] });
    assert.equal(report.fired, 1, JSON.stringify(report.declined));
    assert.equal(report.misfires, 0);
    assert.ok(report.declined.recap >= 2, JSON.stringify(report.declined));
    assert.equal(report.hits + report.partialHits, 1);
  });

  it('tells a misfire that repeats a call already made from one that was never made', async () => {
    const session = scenario(
      [lookup],
      [
        { user: 'Ticket T-7 please.' },
        { reasoning: 'I will call get_ticket with ticket_id "T-7".', calls: [{ name: 'get_ticket', args: { ticket_id: 'T-7' }, ms: 800 }] },
        // Said to be repeated, and then not: the early run repeats a call the conversation already made.
        { reasoning: 'To be safe I will call get_ticket with ticket_id "T-7" again, then get_ticket with ticket_id "T-9".', calls: [{ name: 'get_ticket', args: { ticket_id: 'T-8' }, ms: 800 }] },
        { reasoning: 'Done.', answer: 'Open.' },
      ],
    );
    const report = await evaluate([session], { rules: [], readonly: ['get_*'] });
    assert.equal(report.misfires, 2, JSON.stringify(report.misfireCauses));
    assert.deepEqual(report.misfireCauses, { recap: 1, later: 0, never: 1 });
  });
});

describe('evaluate on the second corpus (other agents and models), with the default rules', () => {
  let report: EvalReport;
  before(async () => {
    const { sessions } = await loadSessions([CORPUS_MORE_DIR]);
    report = await evaluate(sessions, { rules: defaultRules(), readonly: ['search', 'lookup', 'run_experiment*'] });
  });

  it('predicts at least 60% of the calls whose values the reasoning states, exactly', () => {
    assert.ok(report.eligible >= 40, `eligible ${report.eligible}`);
    assert.ok(report.recall !== null && report.recall >= 0.6, `${report.exactEligible}/${report.eligible}`);
  });

  it('has at least four in five of the speculations it fires claimed, and runs nothing unsafe', () => {
    assert.ok(report.fired >= 10, `fired ${report.fired}`);
    assert.ok(report.precision !== null && report.precision >= 0.8, `${report.hits + report.partialHits} of ${report.fired}`);
    assert.equal(report.unsafeRuns, 0);
  });

  it('beats the trivial named-tool baseline on both recall and prediction precision in the same run', () => {
    const baseline = report.callBaselines[0]!;
    assert.ok((report.recall ?? 0) > (baseline.recall ?? 0), `${report.recall} vs ${baseline.recall}`);
    assert.ok((report.predictionPrecision ?? 0) > (baseline.precision ?? 0), `${report.predictionPrecision} vs ${baseline.precision}`);
  });

  it('declines recaps of calls the conversation already answered', () => {
    assert.ok(report.declined.recap > 0);
  });
});
