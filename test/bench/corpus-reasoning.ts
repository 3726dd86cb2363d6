import { paceAtRate, piecesOfTurn } from '../../src/core/endpoint/replay-pieces.js';
import type { ToolSpec } from '../../src/core/chat/types.js';
import type { Session } from '../../src/core/session/format.js';

/** One turn's reasoning as the stream delivers it: word-sized chunks, with the turn's tools. */
export interface ReasoningStream {
  tools: ToolSpec[];
  chunks: string[];
}

/** The reasoning of every turn of the sessions, cut as a 40 tokens/s stream would cut it. */
export function reasoningStreams(sessions: readonly Session[]): ReasoningStream[] {
  return sessions.flatMap((s) =>
    s.turns.map((t) => ({
      tools: s.header.tools,
      chunks: paceAtRate(piecesOfTurn(t.chunks), 40).flatMap((p) => (p.kind === 'reasoning' ? [p.text] : [])),
    })),
  );
}

/** One turn's whole reasoning, with the turn's tools. */
export interface ReasoningText {
  tools: ToolSpec[];
  text: string;
}

/** The reasoning of every turn of the sessions as one text each (turns without reasoning left out). */
export function reasoningTexts(sessions: readonly Session[]): ReasoningText[] {
  return reasoningStreams(sessions)
    .map((s) => ({ tools: s.tools, text: s.chunks.join('') }))
    .filter((r) => r.text.length > 0);
}

/** `text` in pieces of `size` characters, as a stream with that chunk size delivers it; never splits a surrogate pair. */
export function cutEvery(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; ) {
    let end = Math.min(text.length, i + size);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end++;
    out.push(text.slice(i, end));
    i = end;
  }
  return out;
}

/** Every tool the sessions offer, once by name: what a long stream made of all their reasoning is sniffed against. */
export function allTools(sessions: readonly Session[]): ToolSpec[] {
  const byName = new Map<string, ToolSpec>();
  for (const s of sessions) for (const t of s.header.tools) if (!byName.has(t.function.name)) byName.set(t.function.name, t);
  return [...byName.values()];
}

/**
 * All the sessions' reasoning in a row (turns separated by a blank line), repeated until it is
 * `chars` characters long, cut there. Built at run time from the corpus read in place.
 */
export function repeatedReasoning(sessions: readonly Session[], chars: number): string {
  const once = reasoningTexts(sessions)
    .map((r) => r.text)
    .join('\n\n');
  if (once.length === 0) throw new Error('the corpus has no reasoning to repeat');
  const copies = Math.ceil(chars / (once.length + 2));
  return Array.from({ length: copies }, () => once).join('\n\n').slice(0, chars);
}
