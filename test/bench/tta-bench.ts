import OpenAI from 'openai';
import type { AgentEvent } from '../../src/core/agent/agent-events.js';
import { runAgent, type SpeculationSetup } from '../../src/core/agent/agent-loop.js';
import type { Tool } from '../../src/core/chat/tool.js';
import { LocalEndpoint } from '../../src/core/endpoint/local-endpoint.js';
import { matchesAnyGlob } from '../../src/core/util/glob.js';
import { median } from '../../src/core/util/median.js';
import type { Rule } from '../../src/core/rules/rule-ast.js';
import type { Session, SessionTurn } from '../../src/core/session/format.js';
import { ArgumentNormalizer } from '../../src/core/schema/argument-normalizer.js';
import { LatencyStats } from '../../src/core/speculation/latency-stats.js';
import { DEFAULT_POLICY } from '../../src/core/speculation/speculation-policy.js';
import { createRecordedTools } from '../../src/core/tools/recorded-tools.js';
import { fmt, printTable } from './bench-table.js';

const READONLY = ['get_*', 'check_*', 'search_*', 'list_*', 'calculate_*'];

interface CallTiming {
  key: string;
  sealedAt: number;
  resultAt: number;
  intentAt?: number;
  outcome?: 'hit' | 'partial';
}

interface TurnTiming {
  turnMs: number;
  calls: CallTiming[];
}

/** Tool-calling turns of the sessions, each runnable on its own from its recorded request. */
function toolTurns(sessions: Session[]): { session: Session; turn: SessionTurn }[] {
  return sessions.flatMap((session) => session.turns.filter((t) => t.toolResults.length > 0).map((turn) => ({ session, turn })));
}

async function runTurn(client: OpenAI, session: Session, turn: SessionTurn, tools: Tool[], speculation: SpeculationSetup | undefined): Promise<TurnTiming> {
  const started = performance.now();
  const calls = new Map<string, CallTiming>();
  const intents = new Map<string, number>();
  const specOfCall = new Map<string, string>();
  let lastResult = started;
  for await (const e of runAgent({ client, model: session.header.model, messages: turn.request, tools, maxSteps: 1, ...(speculation ? { speculation } : {}) }) as AsyncIterable<AgentEvent>) {
    const now = performance.now();
    if (e.type === 'stream' && e.event.type === 'toolCallSealed') {
      calls.set(e.event.call.id, { key: `${session.header.id}/${turn.index}/${e.event.index}`, sealedAt: now, resultAt: now });
    } else if (e.type === 'speculation' && e.event.type === 'intent' && e.event.decision === 'fired') {
      intents.set(`${e.event.intent.tool}\u0000${e.event.intent.canonical}`, now);
    } else if (e.type === 'speculation' && e.event.type === 'claim') {
      specOfCall.set(e.event.callId, `${e.event.tool}\u0000${e.event.canonical}`);
    } else if (e.type === 'toolEnd') {
      const c = calls.get(e.call.id);
      if (c) {
        c.resultAt = now;
        if (e.speculative) c.outcome = e.speculative.outcome;
        const intentAt = intents.get(specOfCall.get(e.call.id) ?? '');
        if (intentAt !== undefined) c.intentAt = intentAt;
      }
      lastResult = now;
    }
  }
  return { turnMs: lastResult - started, calls: [...calls.values()] };
}

/** Table (b): sequential against speculative Time-to-Action on the dev corpus. */
export async function ttaBench(sessions: Session[], rules: Rule[], tokensPerSecond: number, latencies: number[]): Promise<{ latency: number; hitTtaMedian: number | null; realisedShare: number }[]> {
  // Every turn runs at once (see below), so the endpoint's concurrency cap is lifted.
  const endpoint = await LocalEndpoint.start({ sessions, tokensPerSecond, maxConcurrentRequests: Number.POSITIVE_INFINITY });
  const client = new OpenAI({ baseURL: endpoint.baseUrl, apiKey: 'unused', maxRetries: 0 });
  const turns = toolTurns(sessions);
  const results: { latency: number; hitTtaMedian: number | null; realisedShare: number }[] = [];
  const rows: string[][] = [];
  try {
    for (const latency of latencies) {
      const tools = (s: Session) => createRecordedTools([s], { latencyMs: latency }).map((t): Tool => ({ ...t, readOnly: matchesAnyGlob(t.name, READONLY) }));
      const setup = (): SpeculationSetup => ({ rules, normalizer: new ArgumentNormalizer(), policy: DEFAULT_POLICY, latency: new LatencyStats(latency) });
      // Turns run side by side: pacing is wall-clock, so they do not slow each other down.
      const sequential = await Promise.all(turns.map(({ session, turn }) => runTurn(client, session, turn, tools(session), undefined)));
      const speculative = await Promise.all(turns.map(({ session, turn }) => runTurn(client, session, turn, tools(session), setup())));
      const seqCalls = new Map(sequential.flatMap((t) => t.calls.map((c) => [c.key, c] as const)));
      const specCalls = speculative.flatMap((t) => t.calls);
      const tta = (c: CallTiming) => c.resultAt - c.sealedAt;
      let saved = 0;
      let ideal = 0;
      for (const c of specCalls) {
        if (c.intentAt === undefined || !c.outcome) continue;
        const before = seqCalls.get(c.key);
        if (!before) continue;
        ideal += Math.min(tta(before), c.sealedAt - c.intentAt);
        saved += tta(before) - tta(c);
      }
      const hitTtas = specCalls.filter((c) => c.outcome === 'hit').map(tta);
      const hitTtaMedian = median(hitTtas);
      const share = ideal > 0 ? saved / ideal : 0;
      results.push({ latency, hitTtaMedian, realisedShare: share });
      for (const [mode, timings] of [['sequential', sequential], ['speculative', speculative]] as const) {
        const calls = timings.flatMap((t) => t.calls);
        rows.push([
          `${latency} ms tools, ${mode}`,
          fmt(median(timings.map((t) => t.turnMs)) ?? NaN, 0),
          fmt(median(calls.map(tta)) ?? NaN, 1),
          String(calls.filter((c) => c.outcome).length),
          mode === 'speculative' ? fmt(hitTtaMedian ?? NaN, 2) : '-',
          mode === 'speculative' ? fmt(saved, 0) : '-',
          mode === 'speculative' ? fmt(ideal, 0) : '-',
          mode === 'speculative' ? `${fmt(share * 100, 1)}%` : '-',
        ]);
      }
    }
  } finally {
    await endpoint.close();
  }
  printTable(
    `(b) Time-to-Action, ${turns.length} tool-calling turns of the dev corpus at ${tokensPerSecond} tokens/s (read-only: ${READONLY.join(',')})`,
    ['run', 'turn ms (median)', 'TTA ms (median)', 'served early', 'TTA on hit', 'saved ms', 'ideal saved', 'realised'],
    rows,
  );
  return results;
}
