import type { RawChunk, RawDelta, RawUsage } from '../stream/raw-chunk.js';
import type { ReplayPiece } from './replay-pieces.js';

/** How the replay endpoint puts reasoning on the wire, one per server family it imitates. */
export type ReasoningField = 'reasoning_content' | 'reasoning' | 'think-tags' | 'as-recorded';

export const REASONING_FIELDS: readonly ReasoningField[] = ['reasoning_content', 'reasoning', 'think-tags', 'as-recorded'];

/**
 * Turns replay pieces into `chat.completion.chunk` objects in one reasoning shape. Stateful:
 * with `think-tags` it opens `<think>` before the first reasoning and closes it before
 * anything else, as hosted R1 does inside `delta.content`.
 */
export class ChunkShaper {
  private inThink = false;
  private sentRole = false;

  constructor(
    private readonly field: ReasoningField,
    private readonly id: string,
    private readonly model: string,
    private readonly created: number,
  ) {}

  /** The chunks for one piece, in order (usually one; the first also carries the role). */
  shape(piece: ReplayPiece): RawChunk[] {
    if (piece.kind === 'raw') {
      return [{ ...piece.chunk, id: this.id, model: this.model, created: this.created, object: 'chat.completion.chunk' }];
    }
    if (piece.kind === 'usage') return [];
    const delta: RawDelta = {};
    if (!this.sentRole) {
      delta.role = 'assistant';
      this.sentRole = true;
    }
    let finish: string | null = null;
    switch (piece.kind) {
      case 'reasoning':
        if (this.field === 'think-tags') {
          delta.content = (this.inThink ? '' : '<think>') + piece.text;
          this.inThink = true;
        } else if (this.field === 'reasoning') {
          delta.reasoning = piece.text;
        } else {
          delta.reasoning_content = piece.text;
        }
        break;
      case 'content':
        delta.content = this.closeThink() + piece.text;
        break;
      case 'toolCall': {
        const close = this.closeThink();
        if (close) delta.content = close;
        delta.tool_calls = [
          {
            index: piece.delta.index ?? 0,
            ...(piece.delta.id !== undefined ? { id: piece.delta.id, type: 'function' } : {}),
            function: {
              ...(piece.delta.function?.name !== undefined ? { name: piece.delta.function.name } : {}),
              arguments: piece.delta.function?.arguments ?? '',
            },
          },
        ];
        break;
      }
      case 'finish': {
        const close = this.closeThink();
        if (close) delta.content = close;
        finish = piece.reason;
        break;
      }
    }
    return [this.chunk(delta, finish)];
  }

  /** The final usage-only chunk (`stream_options.include_usage`). */
  usageChunk(usage: RawUsage): RawChunk {
    return { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, choices: [], usage };
  }

  private closeThink(): string {
    if (!this.inThink) return '';
    this.inThink = false;
    return '</think>\n\n';
  }

  private chunk(delta: RawDelta, finish: string | null): RawChunk {
    return {
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    };
  }
}
