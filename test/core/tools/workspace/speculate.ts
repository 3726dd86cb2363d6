import type { Tool } from '../../../../src/core/chat/tool.js';
import { ArgumentNormalizer } from '../../../../src/core/schema/argument-normalizer.js';
import type { Intent } from '../../../../src/core/sniff/intent.js';
import { LatencyStats } from '../../../../src/core/speculation/latency-stats.js';
import type { SpeculationEvent } from '../../../../src/core/speculation/speculation-events.js';
import { DEFAULT_POLICY } from '../../../../src/core/speculation/speculation-policy.js';
import { TurnSpeculator } from '../../../../src/core/speculation/turn-speculator.js';

const normalizer = new ArgumentNormalizer();

/** A speculator over `tools` with the default policy, and the events it emitted. */
export function speculatorFor(tools: Tool[]): { speculator: TurnSpeculator; events: SpeculationEvent[] } {
  const events: SpeculationEvent[] = [];
  const speculator = new TurnSpeculator({
    tools: new Map(tools.map((t) => [t.name, t])),
    normalizer,
    policy: DEFAULT_POLICY,
    latency: new LatencyStats(500),
    signal: new AbortController().signal,
    onEvent: (e) => events.push(e),
  });
  return { speculator, events };
}

/** A confident call intent for `tool` with `args`, as the sniffer would make it. */
export function callIntent(tool: Tool, args: Record<string, unknown>): Intent {
  const n = normalizer.normalize(tool.parameters, args);
  if (!n.ok) throw new Error(`arguments do not fit ${tool.name}'s schema`);
  return { kind: 'call', tool: tool.name, args: n.value, canonical: n.canonical, source: 'schema', ruleId: `schema:${tool.name}`, confidence: 0.95, span: { start: 0, end: 1 }, at: 1 };
}

/** Resolves once the speculation of `tool` has ended (its `specEnd` event). */
export function speculationEnded(events: SpeculationEvent[], tool: string): Promise<void> {
  return new Promise((resolve) => {
    const check = () => (events.some((e) => e.type === 'specEnd' && e.tool === tool) ? resolve() : setImmediate(check));
    check();
  });
}
