import type { ToolSpec } from '../chat/types.js';
import { paceAtRate, piecesOfTurn } from '../endpoint/replay-pieces.js';
import type { ArgumentNormalizer } from '../schema/argument-normalizer.js';
import type { Session } from '../session/format.js';

/** A formal call of a turn: its tool, canonical arguments, and how much reasoning came before it. */
export interface DigestCall {
  tool: string;
  /** Canonical JSON of the normalised arguments; undefined when they did not fit the schema. */
  canonical: string | undefined;
  /** Characters streamed (reasoning, answer, arguments) when the call was sealed: complete and claimable. */
  pos: number;
}

/** One turn reduced to what re-sniffing needs: its reasoning as a stream cuts it, and its calls in the order they were sealed. */
export interface DigestTurn {
  chunks: string[];
  calls: DigestCall[];
}

/** A session parsed once and kept for re-sniffing: the offered tools and every turn's digest. */
export interface SessionDigest {
  name: string;
  tools: ToolSpec[];
  turns: DigestTurn[];
}

/**
 * Reduces a recorded session to its reasoning chunks (word-sized, as a 40 tokens/s stream
 * delivers them) and its formal calls with canonical arguments, so that re-running rules over
 * it costs only the sniffing. Pure; the result never changes for the same session.
 */
export function digestSession(session: Session, normalizer: ArgumentNormalizer): SessionDigest {
  const tools = session.header.tools;
  const schemaOf = (name: string) => tools.find((t) => t.function.name === name)?.function.parameters;
  const turns = session.turns.map((turn): DigestTurn => {
    const chunks: string[] = [];
    const open = new Map<number, { tool: string; args: string }>();
    const calls: DigestCall[] = [];
    // Positions count every streamed character (reasoning, answer, call arguments), as `foresight eval` does.
    let pos = 0;
    const seal = (except?: number) => {
      for (const [index, c] of open) {
        if (index === except) continue;
        const norm = normalizer.normalizeText(schemaOf(c.tool), c.args);
        calls.push({ tool: c.tool, canonical: norm.ok ? norm.canonical : undefined, pos });
        open.delete(index);
      }
    };
    for (const piece of paceAtRate(piecesOfTurn(turn.chunks), 40)) {
      if (piece.kind === 'reasoning' || piece.kind === 'content') {
        if (piece.kind === 'reasoning') chunks.push(piece.text);
        pos += piece.text.length;
      } else if (piece.kind === 'toolCall') {
        const index = piece.delta.index ?? 0;
        // A call is sealed when the next one starts, or when the turn finishes.
        if (!open.has(index)) seal(index);
        const call = open.get(index) ?? { tool: '', args: '' };
        if (!call.tool && piece.delta.function?.name) call.tool = piece.delta.function.name;
        call.args += piece.delta.function?.arguments ?? '';
        pos += (piece.delta.function?.arguments ?? '').length;
        open.set(index, call);
      } else if (piece.kind === 'finish') {
        seal();
      }
    }
    seal();
    return { chunks, calls };
  });
  return { name: session.header.title ?? session.header.id, tools, turns };
}
