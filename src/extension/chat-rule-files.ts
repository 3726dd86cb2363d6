import { parseRules } from '../core/rules/rule-parser.js';
import type { RuleSource } from '../core/engine/speculation-setup.js';

// No `vscode` import: the editor hands in paths and texts, so this is tested with plain strings.

/** What became of a rule file's text handed to the chat. */
export type RuleFileOutcome = { ok: true; rules: number } | { ok: false; problem: string };

interface Held {
  /** The latest text that parsed; undefined never happens for a listed file. */
  text: string;
  /** Why the latest text handed in was refused; the kept `text` is still used. */
  problem?: string;
}

/**
 * The rule files added to the chat from the editor, for this window's session. A file is
 * used with the latest of its texts that parsed without errors: a save that breaks it is
 * refused with a sentence naming the line, and its previous rules stay in use, so a typo
 * never silently switches speculation off. Paths are the files' absolute paths.
 */
export class ChatRuleFiles {
  private readonly files = new Map<string, Held>();

  /** Adds `path` (or takes its new text) from the user's command; a malformed text is refused and changes nothing. */
  use(path: string, text: string): RuleFileOutcome {
    return this.take(path, text);
  }

  /** A listed file was saved: its new text is used if it parses, else its previous rules stay (and the problem is kept for the header). Unlisted files are ignored (undefined). */
  saved(path: string, text: string): RuleFileOutcome | undefined {
    if (!this.files.has(path)) return undefined;
    return this.take(path, text);
  }

  remove(path: string): boolean {
    return this.files.delete(path);
  }

  has(path: string): boolean {
    return this.files.has(path);
  }

  /** The files in the order they were added, with the latest refusal of each. */
  listed(): { path: string; problem?: string }[] {
    return [...this.files].map(([path, held]) => (held.problem ? { path, problem: held.problem } : { path }));
  }

  /** The texts speculation uses, named by path for its messages. */
  sources(): RuleSource[] {
    return [...this.files].map(([path, held]) => ({ name: path, text: held.text }));
  }

  private take(path: string, text: string): RuleFileOutcome {
    const parsed = parseRules(text);
    const error = parsed.problems.find((p) => p.severity === 'error');
    const held = this.files.get(path);
    if (error) {
      const problem = `line ${error.range.start.line + 1}: ${error.message}`;
      if (held) held.problem = problem;
      return { ok: false, problem };
    }
    this.files.set(path, { text });
    return { ok: true, rules: parsed.rules.length };
  }
}
