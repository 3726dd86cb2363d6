import type { TimedChunk } from '../session/format.js';
import type { RawChunk, RawToolCallDelta, RawUsage } from '../stream/raw-chunk.js';
import { ThinkTagSplitter } from '../stream/think-tag-splitter.js';
import { argumentTokens, CALL_START_TOKENS, CHARS_PER_TOKEN, textTokens } from '../engine/replay-timing.js';

/** A recorded turn normalised into what was said, independent of the wire shape it was recorded in. */
export type ReplayPiece =
  | { kind: 'reasoning'; text: string; t: number }
  | { kind: 'content'; text: string; t: number }
  | { kind: 'toolCall'; delta: RawToolCallDelta; t: number }
  | { kind: 'finish'; reason: string; t: number }
  | { kind: 'usage'; usage: RawUsage; t: number }
  /** A recorded chunk passed through unchanged (`as-recorded` shape). */
  | { kind: 'raw'; chunk: RawChunk; t: number };

/**
 * Normalises a turn's recorded chunks: reasoning from either field or from `<think>` tags
 * becomes `reasoning` pieces, so the turn can be re-emitted in any reasoning shape.
 */
export function piecesOfTurn(chunks: readonly TimedChunk[]): ReplayPiece[] {
  const pieces: ReplayPiece[] = [];
  const splitter = new ThinkTagSplitter();
  const pushText = (kind: 'reasoning' | 'content', text: string, t: number) => {
    if (text.length > 0) pieces.push({ kind, text, t });
  };
  const applySegments = (segments: ReturnType<ThinkTagSplitter['push']>, t: number) => {
    for (const s of segments) {
      if (s.kind === 'contentWasReasoning') {
        // The content pieces so far were reasoning after all (a lone `</think>`).
        for (const p of pieces) if (p.kind === 'content') (p as { kind: string }).kind = 'reasoning';
      } else {
        pushText(s.kind, s.text, t);
      }
    }
  };
  for (const { t, chunk } of chunks) {
    const choice = chunk.choices?.find((c) => (c.index ?? 0) === 0);
    const delta = choice?.delta;
    if (delta) {
      const reasoning = typeof delta.reasoning_content === 'string' && delta.reasoning_content.length > 0 ? delta.reasoning_content : delta.reasoning;
      if (typeof reasoning === 'string' && reasoning.length > 0) {
        splitter.reasoningFieldSeen();
        pushText('reasoning', reasoning, t);
      }
      if (typeof delta.content === 'string') applySegments(splitter.push(delta.content), t);
      if (Array.isArray(delta.tool_calls)) {
        applySegments(splitter.flush(), t);
        for (const d of delta.tool_calls) pieces.push({ kind: 'toolCall', delta: d, t });
      }
    }
    if (typeof choice?.finish_reason === 'string' && choice.finish_reason.length > 0) {
      applySegments(splitter.flush(), t);
      pieces.push({ kind: 'finish', reason: choice.finish_reason, t });
    }
    if (chunk.usage && typeof chunk.usage === 'object') pieces.push({ kind: 'usage', usage: chunk.usage, t });
  }
  applySegments(splitter.flush(), chunks.length > 0 ? (chunks[chunks.length - 1]?.t ?? 0) : 0);
  if (!pieces.some((p) => p.kind === 'finish')) {
    const hasCalls = pieces.some((p) => p.kind === 'toolCall');
    pieces.push({ kind: 'finish', reason: hasCalls ? 'tool_calls' : 'stop', t: pieces[pieces.length - 1]?.t ?? 0 });
  }
  return pieces;
}

/** Recorded chunks as raw pieces, for the `as-recorded` shape. */
export function rawPiecesOfTurn(chunks: readonly TimedChunk[]): ReplayPiece[] {
  return chunks.map(({ t, chunk }) => ({ kind: 'raw', chunk, t }));
}

/**
 * Re-times pieces at `tokensPerSecond`: text is cut into words, each a piece of its own, and
 * tool-call arguments into slices, each at (tokens before it) / rate, tokens counted by the
 * replay's one pace model (`textTokens`, `argumentTokens`), so a replay of the same session at
 * the same rate puts every word at the same time as this stream does.
 */
export function paceAtRate(pieces: readonly ReplayPiece[], tokensPerSecond: number): ReplayPiece[] {
  const out: ReplayPiece[] = [];
  let tokens = 0;
  const at = () => (tokens / tokensPerSecond) * 1000;
  for (const p of pieces) {
    switch (p.kind) {
      case 'reasoning':
      case 'content':
        for (const word of splitWords(p.text)) {
          out.push({ kind: p.kind, text: word, t: at() });
          tokens += textTokens(word.length);
        }
        break;
      case 'toolCall': {
        const args = p.delta.function?.arguments ?? '';
        const head: RawToolCallDelta = { ...p.delta, function: { ...p.delta.function, arguments: '' } };
        if (p.delta.id !== undefined || p.delta.function?.name !== undefined || args.length === 0) {
          out.push({ kind: 'toolCall', delta: head, t: at() });
          tokens += CALL_START_TOKENS;
        }
        for (let i = 0; i < args.length; i += CHARS_PER_TOKEN * 2) {
          const slice = args.slice(i, i + CHARS_PER_TOKEN * 2);
          out.push({ kind: 'toolCall', delta: { index: p.delta.index ?? 0, function: { arguments: slice } }, t: at() });
          tokens += argumentTokens(slice.length);
        }
        break;
      }
      case 'raw':
        out.push({ ...p, t: at() });
        tokens += Math.max(1, Math.round(JSON.stringify(p.chunk.choices ?? []).length / (CHARS_PER_TOKEN * 8)));
        break;
      case 'finish':
      case 'usage':
        out.push({ ...p, t: at() });
        break;
    }
  }
  return out;
}

/** Word-sized pieces with their leading whitespace; concatenated they give back `text`. */
export function splitWords(text: string): string[] {
  return text.match(/\s*\S+|\s+/g) ?? [];
}

/** How many tokens the paced pieces stand for, for a usage estimate. */
export function countTokens(pieces: readonly ReplayPiece[]): { reasoning: number; completion: number } {
  let reasoning = 0;
  let completion = 0;
  for (const p of pieces) {
    if (p.kind === 'reasoning') {
      const n = splitWords(p.text).length;
      reasoning += n;
      completion += n;
    } else if (p.kind === 'content') completion += splitWords(p.text).length;
    else if (p.kind === 'toolCall') completion += Math.ceil((p.delta.function?.arguments ?? '').length / CHARS_PER_TOKEN);
  }
  return { reasoning, completion };
}
