/** A replay as the trace panel holds it: which session of which file, and how far it got. */
export interface OpenReplay {
  sessionId: string;
  file: string;
  playing: boolean;
  /** Events delivered so far. */
  position: number;
}

/**
 * What opening the replay of `next` does to the one in the trace panel: `open` when none is
 * open (or its panel was closed), `reveal` when it is the same session (it keeps its place),
 * `ask` otherwise: a replay on screen is the user's, and is never replaced without asking.
 */
export function replayReplacement(current: OpenReplay | undefined, next: { sessionId: string; file: string }): 'open' | 'reveal' | 'ask' {
  if (!current) return 'open';
  if (current.sessionId === next.sessionId && current.file === next.file) return 'reveal';
  return 'ask';
}
