import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Session, SessionReadProblem } from '../session/format.js';
import { readSessionFile } from '../session/session-reader.js';
import { textOfContent } from '../session/message-key.js';

/** The recorded sessions the demo endpoint serves, and the prompts the chat offers for them. */
export interface DemoSessions {
  sessions: Session[];
  problems: SessionReadProblem[];
  /** The first user message of each session, in file-name order, without duplicates. */
  suggestions: string[];
}

/**
 * Reads every `*.json` and `*.jsonl` file of `dir` (not its subfolders) in file-name order. A file
 * that cannot be read is reported as a problem and the others are still loaded.
 */
export async function loadDemoSessions(dir: string): Promise<DemoSessions> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.json') || n.endsWith('.jsonl')).sort();
  const sessions: Session[] = [];
  const problems: SessionReadProblem[] = [];
  for (const name of names) {
    const file = join(dir, name);
    try {
      const read = await readSessionFile(file);
      sessions.push(...read.sessions);
      problems.push(...read.problems);
    } catch (err) {
      problems.push({ file, line: 0, message: err instanceof Error ? err.message : String(err) });
    }
  }
  const suggestions = [...new Set(sessions.map(firstUserPrompt).filter((p): p is string => p !== undefined))];
  return { sessions, problems, suggestions };
}

/** The text of the first user message of a session's first turn, trimmed; undefined when there is none. */
export function firstUserPrompt(session: Session): string | undefined {
  const user = session.turns[0]?.request.find((m) => m.role === 'user');
  const text = user ? textOfContent(user.content).trim() : '';
  return text.length > 0 ? text : undefined;
}
