import { stat } from 'node:fs/promises';
import type { SessionHeader, SessionTurn } from '../session/format.js';
import { readSessionFile } from '../session/session-reader.js';
import { ChunkParser } from '../stream/chunk-parser.js';
import type { ConversationTail } from './conversation-match.js';
import { TurnAnswer } from './turn-answer.js';

/** A session file this proxy run wrote before its recorder restarted, and when it began on the forwarding side's clock. */
export interface RecordedSessionFile {
  file: string;
  startedAt: number;
}

/**
 * Where a session recorded by an earlier recorder stands, so a request continuing it is
 * recorded in the same file: its header, how many turns it has, its last turn (chunks kept for
 * the shadow replay) and, when that turn's answer ended whole, the answer (whose calls the next
 * request brings results for) and when it ended (forwarding clock).
 */
export interface ResumableSession {
  file: string;
  startedAt: number;
  header: SessionHeader;
  /** The index the next turn gets. */
  nextTurn: number;
  tail: ConversationTail;
  last: SessionTurn;
  ended?: { answer: TurnAnswer; at: number };
}

/** Files larger than this are not read back: a new session is cheaper than holding one that big. */
export const MAX_RESUMABLE_BYTES = 64 * 1024 * 1024;

/**
 * Reads back where the session in `file` stands, with the session reader; undefined when the
 * file holds no session with a turn, is too large, or cannot be read (a new session is then begun).
 */
export async function readResumableSession(recorded: RecordedSessionFile): Promise<ResumableSession | undefined> {
  try {
    if ((await stat(recorded.file)).size > MAX_RESUMABLE_BYTES) return undefined;
  } catch {
    return undefined;
  }
  const { sessions } = await readSessionFile(recorded.file);
  const session = sessions.at(-1);
  if (!session || session.turns.length === 0) return undefined;
  let last = session.turns[0]!;
  for (const turn of session.turns) if (turn.index >= last.index) last = turn;
  const answer = new TurnAnswer();
  const parser = new ChunkParser();
  for (const { chunk } of last.chunks) for (const event of parser.push(chunk)) answer.push(event);
  for (const event of parser.end()) answer.push(event);
  // An answer cut off (the recorder stopped mid-stream) or failed is continued as a retry would be: from its request.
  const whole = answer.finish !== undefined && answer.error === undefined;
  const lastChunk = last.chunks.at(-1)?.t ?? 0;
  return {
    file: recorded.file,
    startedAt: recorded.startedAt,
    header: session.header,
    nextTurn: last.index + 1,
    tail: whole ? { request: last.request, answer: answer.message() } : { request: last.request },
    last,
    ...(whole ? { ended: { answer, at: recorded.startedAt + (last.startedAt ?? 0) + lastChunk } } : {}),
  };
}
