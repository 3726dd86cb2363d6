import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { loadDemoSessions } from '../../../src/core/chat-session/demo-sessions.js';
import { SETTING_DEFAULTS } from '../../../src/core/chat-session/settings.js';
import { demoReplayTiming, sessionTrace } from '../../../src/core/trace/session-trace.js';
import { defaultChatSetup, measureDemoConversations, type ConversationFigures } from '../../fixtures/demo-figures.js';

const DEMO_DIR = join(process.cwd(), 'media', 'demo-sessions');
const PACE = SETTING_DEFAULTS['demo.tokensPerSecond'];

/**
 * Live figures come from a real clock (the endpoint's pacing, the stand-ins' sleeps), so they
 * may run late by some milliseconds per call on a busy machine; a replay's come from the
 * recording or the virtual clock and are exact.
 */
function close(actual: number, expected: number, calls: number, what: string): void {
  const slack = 60 * Math.max(1, calls) + 0.05 * expected;
  assert.ok(Math.abs(actual - expected) <= slack, `${what}: ${actual} ms against ${expected} ms (allowed ±${Math.round(slack)})`);
}

/** Warm-ups aside: the live chat offers every demo tool in every conversation, so the code runner is there to warm even where the file has none. */
const served = (outcomes: readonly string[]) => outcomes.filter((o) => o !== 'warmed');

/** Where a live run and its replays disagree beyond what a busy clock explains, or undefined. */
function disagreement(f: ConversationFigures): string | undefined {
  try {
    assert.equal(f.replay.savedMs, f.live.savedMs, `${f.title}: the replay shows what was recorded`);
    assert.deepEqual(f.replay.outcomes, f.live.outcomes, f.title);
    close(f.resniff.savedMs, f.live.savedMs, f.cards.length, `${f.title}, re-sniffed recording`);
    assert.deepEqual(f.resniff.outcomes, f.live.outcomes, `${f.title}, re-sniffed recording`);
    close(f.resniffFile.savedMs, f.live.savedMs, f.cards.length, `${f.title}, re-sniffed file`);
    assert.deepEqual(served(f.resniffFile.outcomes), served(f.live.outcomes), `${f.title}, re-sniffed file`);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** Runs that disagree are run again, one at a time, at most twice: a machine busy enough to stall timers for hundreds of milliseconds shortens a live lead that a replay keeps. */
async function agreeingRuns(): Promise<ConversationFigures[]> {
  let figures = await measureDemoConversations(DEMO_DIR, PACE);
  for (let attempt = 0; attempt < 2; attempt++) {
    const again = new Set(figures.filter((f) => disagreement(f) !== undefined).map((f) => f.title));
    if (again.size === 0) break;
    const rerun = await measureDemoConversations(DEMO_DIR, PACE, { only: again, oneAtATime: true });
    figures = figures.map((f) => rerun.find((r) => r.title === f.title && disagreement(r) === undefined) ?? f);
  }
  return figures;
}

describe('the demo conversations, live in the chat and replayed', () => {
  let figures: ConversationFigures[];
  before(async () => {
    figures = await agreeingRuns();
  });

  it('report the same time saved live, on replay of the recording and re-sniffed from it', () => {
    for (const f of figures) {
      assert.equal(f.replay.savedMs, f.live.savedMs, `${f.title}: the replay shows what was recorded`);
      assert.deepEqual(f.replay.outcomes, f.live.outcomes, f.title);
      close(f.resniff.savedMs, f.live.savedMs, f.cards.length, `${f.title}, re-sniffed recording`);
      assert.deepEqual(f.resniff.outcomes, f.live.outcomes, `${f.title}, re-sniffed recording`);
    }
  });

  it('report the same time saved live as the demo file re-sniffed at the demo pace', () => {
    for (const f of figures) {
      close(f.resniffFile.savedMs, f.live.savedMs, f.cards.length, `${f.title}, re-sniffed file`);
      assert.deepEqual(served(f.resniffFile.outcomes), served(f.live.outcomes), `${f.title}, re-sniffed file`);
    }
  });

  it("show on each tool card the tool's own run time, never less than what it saved", () => {
    for (const f of figures) {
      for (const card of f.cards) {
        assert.ok(card.durationMs >= 300, `${f.title}: ${card.tool} took ${card.durationMs} ms on its card; the demo tools take 400 ms and more`);
        if (card.served) assert.ok(card.served.savedMs <= card.durationMs + 1, `${f.title}: ${card.tool} saved ${card.served.savedMs} ms of ${card.durationMs} ms`);
      }
    }
  });

  it('show every outcome at least once across the set', () => {
    const seen = new Set(figures.flatMap((f) => f.live.outcomes));
    for (const outcome of ['hit', 'partial', 'cross-turn hit', 'misfire', 'blocked', 'warmed', 'miss']) assert.ok(seen.has(outcome), `no ${outcome} in ${[...seen].join(', ')}`);
  });
});

describe('the demo files re-sniffed at the demo pace (virtual clock)', () => {
  it('save what their reasoning and recorded latencies promise, with one outcome of each kind', async () => {
    const demo = await loadDemoSessions(DEMO_DIR);
    const got: Record<string, { savedMs: number; outcomes: string[] }> = {};
    for (const session of demo.sessions) {
      const events = await sessionTrace(session, { kind: 'resniff', setup: await defaultChatSetup(), readOnlyTools: [] }, demoReplayTiming(session, PACE));
      const firedIn = new Map<number, number>();
      const outcomes: string[] = [];
      let savedMs = 0;
      for (const e of events) {
        if (e.type === 'figures') savedMs += e.figures.savedMs;
        else if (e.type === 'specStart') firedIn.set(e.specId, e.turn);
        else if (e.type === 'claim') outcomes.push(e.specId !== undefined && firedIn.get(e.specId) !== e.turn ? 'cross-turn hit' : e.outcome);
        else if (e.type === 'misfire') outcomes.push('misfire');
        else if (e.type === 'intent' && (e.decision === 'blocked' || e.decision === 'warmed')) outcomes.push(e.decision);
      }
      got[session.header.title ?? ''] = { savedMs, outcomes };
    }
    assert.deepEqual(got, {
      'Umbrella in Lisbon? (one forecast lookup)': { savedMs: 900, outcomes: ['hit'] },
      // The slow search is named just before its call: 200 ms of its 1800 ms are saved. The page named in turn 1 is served in turn 2.
      'Retries in the Larkspur HTTP client (search, then fetch a page)': { savedMs: 1100, outcomes: ['partial', 'cross-turn hit'] },
      'Two orders at once (parallel status lookups)': { savedMs: 1800, outcomes: ['hit', 'hit'] },
      // The misread ticket number ran early for nothing; the update may change things, so it waits for its call (and drops what ran before it).
      'Ticket HD-4821 waits on the customer (a misread number, a write that waits)': { savedMs: 800, outcomes: ['hit', 'blocked', 'misfire', 'miss'] },
      'Median latency from a CSV (read a file, warm the code runner)': { savedMs: 400, outcomes: ['warmed', 'hit', 'warmed', 'miss'] },
    });
  });
});
