import type { Tool, ToolResult } from '../chat/tool.js';
import type { Session } from '../session/format.js';
import { canonicalArguments } from '../session/message-key.js';
import { canonicalJson } from '../util/canonical-json.js';
import { delay } from '../util/delay.js';

interface RecordedRun {
  output: string;
  isError: boolean;
  durationMs: number;
}

export interface RecordedToolOptions {
  /** Answer after this many ms instead of the recorded duration. */
  latencyMs?: number;
}

/**
 * Stand-ins for the tools offered in recorded sessions: each answers a call with the result
 * recorded for the same tool and canonical arguments, after the recorded (or stated) latency,
 * so a chat against the replay endpoint follows the recording turn after turn. They compute
 * nothing and change nothing; every result says it was recorded. Each is read-only unless a
 * session names it among its `mutatingTools`.
 */
export function createRecordedTools(sessions: readonly Session[], options: RecordedToolOptions = {}): Tool[] {
  const specs = new Map<string, { description: string; parameters: Record<string, unknown> }>();
  const runs = new Map<string, RecordedRun>();
  const mutating = new Set(sessions.flatMap((s) => s.header.mutatingTools ?? []));
  for (const session of sessions) {
    for (const spec of session.header.tools) {
      if (!specs.has(spec.function.name)) {
        specs.set(spec.function.name, {
          description: spec.function.description ?? '',
          parameters: spec.function.parameters ?? { type: 'object' },
        });
      }
    }
    for (const turn of session.turns) {
      for (const r of turn.toolResults) {
        const key = runKey(r.name, canonicalArguments(r.arguments));
        if (!runs.has(key)) runs.set(key, { output: r.output, isError: r.isError, durationMs: r.durationMs });
      }
    }
  }
  return [...specs].map(([name, spec]) => ({
    name,
    description: `${spec.description} (recorded stand-in: replays results from recorded sessions)`.trim(),
    parameters: spec.parameters,
    // A stand-in changes nothing, but one for a tool that would must not run early either.
    readOnly: !mutating.has(name),
    recorded: true,
    async run(args, signal): Promise<ToolResult> {
      const run = runs.get(runKey(name, canonicalJson(args)));
      const latency = options.latencyMs ?? run?.durationMs ?? 0;
      await delay(latency, signal);
      if (!run) {
        return {
          output: `Error: no recorded result for ${name} with arguments ${canonicalJson(args)}. This is a recorded stand-in; it can only answer the calls of its recordings.`,
          isError: true,
          recorded: true,
        };
      }
      return { output: run.output, isError: run.isError, recorded: true };
    },
  }));
}

function runKey(name: string, canonicalArgs: string): string {
  return `${name}\u0000${canonicalArgs}`;
}
