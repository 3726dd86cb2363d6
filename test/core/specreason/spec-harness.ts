import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import type { LocalEndpoint } from '../../../src/core/endpoint/local-endpoint.js';
import type { RecordedExchange } from '../../../src/core/endpoint/exchange-table.js';
import { exchangesOfScript, scriptProblem, type SpecReasonScript } from '../../../src/core/specreason/demo-script.js';
import type { SpecReasonExchange } from '../../../src/core/specreason/spec-exchange.js';
import type { SpecReasonEvent } from '../../../src/core/specreason/spec-events.js';
import { streamSpecReason, type SpecReasonConfig } from '../../../src/core/specreason/spec-reason-stream.js';
import { normaliseSpecReasonSettings, type SpecReasonSettings } from '../../../src/core/specreason/specreason-settings.js';
import type { StreamEvent } from '../../../src/core/stream/events.js';
import type { RawChunk } from '../../../src/core/stream/raw-chunk.js';

// The script's exchanges are what the endpoint serves: the two shapes must stay one.
const _sameShape: (e: SpecReasonExchange) => RecordedExchange = (e) => e;

/** The path of the hand-written demo turn shipped in media/. */
export const DEMO_SCRIPT = join(process.cwd(), 'media/specreason/order-status.json');

/** The demo turn, read synchronously so tests can build their tables at load time. */
export function demoScript(): SpecReasonScript {
  const value: unknown = JSON.parse(readFileSync(DEMO_SCRIPT, 'utf8'));
  const problem = scriptProblem(value);
  if (problem) throw new Error(problem);
  return value as SpecReasonScript;
}

export function demoExchanges(script = demoScript()): RecordedExchange[] {
  return exchangesOfScript(script);
}

/** A client of the local endpoint that never retries, so a fault reaches the code under test at once. */
export function clientOf(endpoint: LocalEndpoint, extra: ConstructorParameters<typeof OpenAI>[0] = {}): OpenAI {
  return new OpenAI({ baseURL: endpoint.baseUrl, apiKey: 'local', maxRetries: 0, ...extra });
}

/** A clock that moves 10 ms each time it is read: times are then deterministic and positive. */
export function tickingClock(): () => number {
  let t = 0;
  return () => (t += 10);
}

export interface TurnRun {
  events: StreamEvent[];
  spec: SpecReasonEvent[];
  chunks: RawChunk[];
  reasoning: string;
}

/** Runs one SpecReason turn of `script` and collects everything it reports. */
export async function runTurn(
  script: SpecReasonScript,
  draft: { client: OpenAI },
  base: { client: OpenAI },
  settings: Partial<SpecReasonSettings> = {},
  onEvent: (e: SpecReasonEvent) => void = () => {},
  onExchange?: (e: SpecReasonExchange) => void,
): Promise<TurnRun> {
  const config: SpecReasonConfig = {
    draft: { client: draft.client, model: script.models.draft },
    base: { client: base.client, model: script.models.base },
    settings: normaliseSpecReasonSettings(settings),
    now: tickingClock(),
  };
  const run: TurnRun = { events: [], spec: [], chunks: [], reasoning: '' };
  const stream = streamSpecReason(
    config,
    { model: 'ignored', messages: script.messages, ...(script.tools ? { tools: script.tools } : {}) },
    {
      onChunk: (c) => run.chunks.push(c),
      onEvent: (e) => {
        run.spec.push(e);
        onEvent(e);
      },
      ...(onExchange ? { onExchange } : {}),
    },
  );
  for await (const e of stream) {
    run.events.push(e);
    if (e.type === 'reasoning') run.reasoning += e.text;
  }
  return run;
}

/** Who wrote each stretch of the turn's reasoning, as its summary records it. */
export function kinds(run: TurnRun): string[] {
  return summaryOf(run).steps.map((s) => `${s.author}:${s.kind}`);
}

export function summaryOf(run: TurnRun) {
  const last = run.spec[run.spec.length - 1];
  if (last?.type !== 'turnSummary') throw new Error(`the last SpecReason event is ${last?.type ?? 'missing'}, not turnSummary`);
  return last.summary;
}
