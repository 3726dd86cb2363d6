import type { ToolCall } from '../chat/types.js';
import type { RawToolCallDelta } from './raw-chunk.js';
import type { StreamEvent } from './events.js';

interface OpenCall {
  /** The index the server sent (may repeat across calls). */
  rawIndex: number;
  /** The position we report: unique per call within the response. */
  index: number;
  id: string;
  name: string;
  args: string;
}

/**
 * Joins streamed `tool_calls` deltas into whole calls. Deltas are joined by `index`; a delta
 * whose `id` differs from the open call's is a new call even at the same index (servers that
 * reuse index 0). A call is sealed when the next call starts or when `sealAll` is called at
 * `finish_reason`. Each delta costs O(its own length).
 */
export class ToolCallAssembler {
  private open: OpenCall | undefined;
  private readonly sealedRawIndexes = new Set<number>();
  private nextPosition = 0;
  private generatedIds = 0;

  push(delta: RawToolCallDelta): StreamEvent[] {
    const out: StreamEvent[] = [];
    const rawIndex = typeof delta.index === 'number' ? delta.index : (this.open?.rawIndex ?? 0);
    const id = typeof delta.id === 'string' && delta.id.length > 0 ? delta.id : undefined;
    const name = delta.function?.name;
    const args = delta.function?.arguments ?? '';

    const open = this.open;
    const continues = open !== undefined && open.rawIndex === rawIndex && (id === undefined || id === open.id);
    if (!continues) {
      if (id === undefined && !name && this.sealedRawIndexes.has(rawIndex)) {
        // More arguments for a call already sealed: the server interleaves calls. Say so
        // rather than silently drop arguments or run a call with half of them.
        out.push({
          type: 'error',
          error: {
            kind: 'protocol',
            message: `The endpoint sent more arguments for tool call #${rawIndex} after the next call had started; interleaved tool calls are not supported.`,
          },
        });
        return out;
      }
      out.push(...this.sealAll());
      const started: OpenCall = {
        rawIndex,
        index: Math.max(rawIndex, this.nextPosition),
        id: id ?? `call_fs_${++this.generatedIds}`,
        name: name ?? '',
        args: '',
      };
      this.nextPosition = started.index + 1;
      this.open = started;
      out.push({ type: 'toolCallStarted', index: started.index, id: started.id, name: started.name });
    } else if (name && open.name.length === 0) {
      open.name = name;
    }
    const call = this.open;
    if (call !== undefined && args.length > 0) {
      call.args += args;
      out.push({ type: 'toolCallDelta', index: call.index, id: call.id, argumentsDelta: args });
    }
    return out;
  }

  /** Seals the open call, if any; called when the next call starts and at `finish_reason`. */
  sealAll(): StreamEvent[] {
    const call = this.open;
    if (call === undefined) return [];
    this.open = undefined;
    this.sealedRawIndexes.add(call.rawIndex);
    return [{ type: 'toolCallSealed', index: call.index, call: { id: call.id, name: call.name, arguments: call.args } }];
  }

  /**
   * A whole call recovered from text (a server that left the model's tool-call syntax in the
   * answer): reported like a streamed call, at the next free position.
   */
  textCall(call: ToolCall): StreamEvent[] {
    const out = this.sealAll();
    const index = this.nextPosition++;
    out.push({ type: 'toolCallStarted', index, id: call.id, name: call.name });
    if (call.arguments.length > 0) out.push({ type: 'toolCallDelta', index, id: call.id, argumentsDelta: call.arguments });
    out.push({ type: 'toolCallSealed', index, call });
    return out;
  }

  /** True while a call has started and not been sealed. */
  get hasOpenCall(): boolean {
    return this.open !== undefined;
  }
}
