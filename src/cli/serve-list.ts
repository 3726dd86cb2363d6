import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ChatMessage } from '../core/chat/types.js';
import type { Session } from '../core/session/format.js';
import { textOfContent } from '../core/session/message-key.js';

/** What a client must send to be answered with one recorded turn. */
export type ServableTurn =
  | { index: number; kind: 'prompt'; prompt: string; system: boolean; follows: number | undefined }
  | { index: number; kind: 'afterTools'; after: number | undefined };

/** One session as `serve --list` shows it. */
export interface ServableSession {
  /** The file's name, or the session id when it came from no file. */
  where: string;
  /** The session's line in a file of several (JSONL rollouts). */
  line: number | undefined;
  title: string | undefined;
  model: string;
  demo: boolean;
  turns: ServableTurn[];
}

/**
 * The turns of a session the replay endpoint can answer, in order: a turn whose request ends
 * with a user message is answered to that prompt (after the earlier turns' messages, which a
 * client sends back as they were answered); one that ends with tool results follows the calls
 * of the turn before it.
 */
export function servableTurns(session: Session): ServableSession {
  const turns: ServableTurn[] = [];
  session.turns.forEach((turn, position) => {
    const previous = position > 0 ? session.turns[position - 1]?.index : undefined;
    const last: ChatMessage | undefined = turn.request[turn.request.length - 1];
    if (last?.role === 'tool') {
      turns.push({ index: turn.index, kind: 'afterTools', after: previous });
      return;
    }
    const user = [...turn.request].reverse().find((m) => m.role === 'user');
    const prompt = user ? textOfContent(user.content).trim() : '';
    const system = turn.request.some((m) => m.role === 'system' || m.role === 'developer');
    turns.push({ index: turn.index, kind: 'prompt', prompt, system, follows: previous });
  });
  const file = session.header.source?.file;
  return {
    where: file ? basename(file) : session.header.id,
    line: session.header.source?.line,
    title: session.header.title,
    model: session.header.model,
    demo: session.header.demo === true,
    turns,
  };
}

/** `serve --list` as text: per session a heading, then one line per turn saying what answers it. */
export function formatServableSessions(sessions: readonly ServableSession[]): string {
  const lines: string[] = [];
  const perFile = new Map<string, number>();
  for (const s of sessions) perFile.set(s.where, (perFile.get(s.where) ?? 0) + 1);
  for (const s of sessions) {
    // A file of one session needs no line number to find it.
    const where = s.line !== undefined && (perFile.get(s.where) ?? 0) > 1 ? `${s.where}#${s.line}` : s.where;
    const title = s.title && s.title !== where && s.title !== `${s.where} #${s.line}` ? ` "${s.title}"` : '';
    lines.push(`${where}${title} (model ${s.model}${s.demo ? ', a hand-written demo' : ''})`);
    for (const t of s.turns) {
      if (t.kind === 'afterTools') {
        lines.push(`  turn ${t.index}: answered after the tool results of turn ${t.after ?? '?'}`);
        continue;
      }
      const context = [t.follows !== undefined ? `after turn ${t.follows}'s answer` : '', t.system ? 'with its recorded system message' : ''].filter(Boolean).join(', ');
      lines.push(`  turn ${t.index}: prompt ${JSON.stringify(t.prompt)}${context ? ` (${context})` : ''}`);
    }
  }
  return lines.join('\n');
}

/**
 * The shipped demo sessions (what the embedded endpoint serves when no folder is set), found
 * from wherever this code runs: the nearest media/demo-sessions above it.
 */
export function shippedDemoSessionsDir(): string | undefined {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'media', 'demo-sessions');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return undefined;
}
