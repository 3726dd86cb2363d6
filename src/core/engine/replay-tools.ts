import type { Tool } from '../chat/tool.js';
import type { Session } from '../session/format.js';
import type { ArgumentNormalizer } from '../schema/argument-normalizer.js';
import { intentKey } from '../sniff/intent.js';
import type { ReplayTiming } from './replay-timing.js';
import type { VirtualClock } from './virtual-clock.js';

export interface ReplayToolOptions {
  /** Whether a tool may run early, as the chat would judge it. */
  readOnly: (name: string) => boolean;
  /** Whether a tool reaches outside this machine. */
  openWorld?: (name: string) => boolean;
  clock: VirtualClock;
  timing: ReplayTiming;
  normalizer: ArgumentNormalizer;
}

/**
 * Stand-ins for a recorded session's tools that compute nothing: a run answers with the
 * output recorded for the same call (or an empty one) after the duration recorded for it, of
 * the same tool otherwise, else `timing.toolLatencyMs`, on the replay's virtual clock.
 */
export function replayTools(session: Session, options: ReplayToolOptions): Map<string, Tool> {
  const specs = session.header.tools;
  const schemaOf = (name: string) => specs.find((s) => s.function.name === name)?.function.parameters;
  const key = (name: string, args: string) => {
    const n = options.normalizer.normalizeText(schemaOf(name), args);
    return intentKey(name, n.ok ? n.canonical : args);
  };
  const byCall = new Map<string, { output: string; isError: boolean; durationMs: number }>();
  const byTool = new Map<string, number>();
  for (const turn of session.turns) {
    for (const r of turn.toolResults) {
      const k = key(r.name, r.arguments);
      if (!byCall.has(k)) byCall.set(k, { output: r.output, isError: r.isError, durationMs: r.durationMs });
      if (!byTool.has(r.name) && Number.isFinite(r.durationMs)) byTool.set(r.name, r.durationMs);
    }
  }
  return new Map(
    specs.map((spec): [string, Tool] => {
      const name = spec.function.name;
      const tool: Tool = {
        name,
        description: spec.function.description ?? '',
        parameters: spec.function.parameters ?? { type: 'object' },
        readOnly: options.readOnly(name),
        openWorld: options.openWorld?.(name) ?? false,
        async run(args, signal) {
          const recorded = byCall.get(key(name, JSON.stringify(args)));
          await options.clock.sleep(recorded?.durationMs ?? byTool.get(name) ?? options.timing.toolLatencyMs, signal);
          return { output: recorded?.output ?? '', isError: recorded?.isError ?? false, recorded: true };
        },
        async warm() {},
      };
      return [name, tool];
    }),
  );
}
