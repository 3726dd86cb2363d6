import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { replaySession } from '../../../src/core/engine/replay-session.js';
import { replayTiming } from '../../../src/core/engine/replay-timing.js';
import { replayTools } from '../../../src/core/engine/replay-tools.js';
import type { EngineStep, SpeculationSetup } from '../../../src/core/engine/turn-engine.js';
import { parseRules } from '../../../src/core/rules/rule-parser.js';
import { ArgumentNormalizer } from '../../../src/core/schema/argument-normalizer.js';
import type { Session } from '../../../src/core/session/format.js';
import { LatencyStats } from '../../../src/core/speculation/latency-stats.js';
import type { SpeculationEvent } from '../../../src/core/speculation/speculation-events.js';
import { DEFAULT_POLICY } from '../../../src/core/speculation/speculation-policy.js';
import { scenario } from './scenario.js';

const FORECAST = { name: 'get_forecast', properties: { city: { type: 'string' } } };
const WRITE = { name: 'save_note', properties: { id: { type: 'string' }, text: { type: 'string' } } };
const READ = { name: 'open_note', properties: { id: { type: 'string' } } };

function setup(rules: string, extra: Partial<SpeculationSetup> = {}): SpeculationSetup {
  const file = parseRules(rules);
  assert.deepEqual(file.problems.filter((p) => p.severity === 'error'), []);
  return { rules: file.rules, normalizer: new ArgumentNormalizer(), policy: DEFAULT_POLICY, latency: new LatencyStats(), schemaSniffing: false, ...extra };
}

async function replay(session: Session, s: SpeculationSetup, readOnly: (name: string) => boolean, openWorld: (name: string) => boolean = () => false) {
  const steps: { turn: number; step: EngineStep }[] = [];
  const timing = replayTiming();
  await replaySession(session, {
    setup: s,
    timing,
    tools: (clock) => replayTools(session, { readOnly, openWorld, clock, timing, normalizer: s.normalizer }),
    observer: { step: (turn, step) => steps.push({ turn, step }) },
  });
  const events = steps.flatMap(({ turn, step }) => (step.type === 'speculation' ? [{ turn, event: step.event }] : []));
  return { steps, events };
}

const claims = (events: { turn: number; event: SpeculationEvent }[]) => events.flatMap(({ turn, event }) => (event.type === 'claim' ? [{ turn, ...event }] : []));

describe('TurnEngine through a replayed session', () => {
  const forecastRule = 'tool get_forecast\n  when /forecast for (?<city>[A-Z][a-z]+)/\n  confidence 0.8\n';

  it('serves a call of a later turn from a speculation a plan fired in an earlier one, and counts it as cross-turn', async () => {
    const session = scenario(
      [FORECAST],
      [
        { user: 'Lisbon first, then Oslo, one at a time.' },
        { reasoning: 'Plan: the forecast for Lisbon now, and after that the forecast for Oslo in the next step.', calls: [{ name: 'get_forecast', args: { city: 'Lisbon' }, ms: 900 }] },
        { reasoning: 'Now the second city.', calls: [{ name: 'get_forecast', args: { city: 'Oslo' }, ms: 900 }] },
        { reasoning: 'Both known.', answer: 'Done.' },
      ],
    );
    const { events } = await replay(session, setup(forecastRule), () => true);
    const c = claims(events);
    assert.equal(c.length, 2);
    assert.equal(c[1]!.canonical, '{"city":"Oslo"}');
    assert.ok(['hit', 'partial'].includes(c[1]!.outcome), c[1]!.outcome);
    assert.equal(c[1]!.crossTurn, true);
    assert.equal(c[1]!.turn, 1);
    assert.ok(!events.some(({ event }) => event.type === 'misfire'));
    const metrics = (await replay(session, setup(forecastRule), () => true)).steps.flatMap(({ step }) => (step.type === 'turnMetrics' ? [step.metrics] : []));
    assert.equal(metrics.reduce((n, m) => n + m.crossTurnHits, 0), 1);
  });

  it('counts a speculation nobody claimed by the end of the session as a misfire', async () => {
    const session = scenario(
      [FORECAST],
      [
        { user: 'Lisbon only.' },
        { reasoning: 'The forecast for Lisbon, and the forecast for Porto too.', calls: [{ name: 'get_forecast', args: { city: 'Lisbon' } }] },
        { reasoning: 'Enough.', answer: 'Sunny.' },
      ],
    );
    const { events } = await replay(session, setup(forecastRule), () => true);
    const misfires = events.filter(({ event }) => event.type === 'misfire');
    assert.equal(misfires.length, 1);
    assert.equal(misfires[0]!.turn, 1, 'reported when the session ends, in its last turn');
  });

  it('never serves a read listed after a write in one response from a result computed before the write', async () => {
    const session = scenario(
      [WRITE, READ],
      [
        { user: 'Save the note n1, then show it.' },
        { reasoning: 'I will open note n1 after saving it.', calls: [{ name: 'save_note', args: { id: 'n1', text: 'hello' }, ms: 300 }, { name: 'open_note', args: { id: 'n1' }, ms: 300 }] },
        { reasoning: 'Shown.', answer: 'Saved and shown.' },
      ],
    );
    const { steps, events } = await replay(session, setup('tool open_note\n  when /open note (?<id>n\\d+)/\n  confidence 0.9\n'), (name) => name === 'open_note');
    assert.ok(events.some(({ event }) => event.type === 'specStart' && event.tool === 'open_note'), 'the read was speculated');
    const readClaim = claims(events).find((c) => c.tool === 'open_note');
    assert.equal(readClaim?.outcome, 'miss');
    assert.ok(events.some(({ event }) => event.type === 'misfire' && event.reason === 'invalidated'));
    const runs = steps.flatMap(({ step }) => (step.type === 'toolStart' && !step.speculative ? [step.call.name] : []));
    assert.deepEqual(runs, ['save_note', 'open_note'], 'the read runs after the write');
  });

  it('does not run an open-world read early unless the user opted in', async () => {
    const fetcher = { name: 'fetch_page', properties: { url: { type: 'string' } } };
    const session = scenario([fetcher], [{ user: 'Read the page.' }, { reasoning: 'I will fetch https://example.org/a now.', calls: [{ name: 'fetch_page', args: { url: 'https://example.org/a' } }] }, { reasoning: 'Read.', answer: 'It says hi.' }]);
    const rule = 'tool fetch_page\n  when /fetch (?<url>https:\\/\\/\\S+[a-z])/\n  confidence 0.9\n';
    const closed = await replay(session, setup(rule), () => true, () => true);
    assert.ok(closed.events.some(({ event }) => event.type === 'intent' && event.decision === 'open-world'));
    assert.ok(!closed.events.some(({ event }) => event.type === 'specStart'));
    const opted = await replay(session, setup(rule, { openWorldTools: ['fetch_*'] }), () => true, () => true);
    assert.ok(opted.events.some(({ event }) => event.type === 'intent' && event.decision === 'fired'));
    assert.ok(['hit', 'partial'].includes(claims(opted.events)[0]?.outcome ?? ''));
  });

  it('does not run again a call the conversation already made and answered', async () => {
    const session = scenario(
      [FORECAST],
      [
        { user: 'Lisbon.' },
        { reasoning: 'The forecast for Lisbon.', calls: [{ name: 'get_forecast', args: { city: 'Lisbon' } }] },
        { reasoning: 'So the forecast for Lisbon says rain; nothing else is needed.', answer: 'Rain.' },
      ],
    );
    const { events } = await replay(session, setup(forecastRule), () => true);
    const second = events.filter(({ turn, event }) => turn === 1 && event.type === 'intent');
    assert.equal(second.length, 1);
    assert.equal(second[0]!.event.type === 'intent' && second[0]!.event.decision, 'recap');
    assert.equal(events.filter(({ event }) => event.type === 'specStart').length, 1);
  });
});
