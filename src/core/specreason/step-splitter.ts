/** Why a reasoning step ended. */
export type StepEnd = 'blankLine' | 'tokenLimit' | 'streamEnd';

/** One reasoning step; concatenating the steps of a text gives the text back exactly. */
export interface ReasoningStep {
  text: string;
  /** Tokens as `countTokens` counts them. */
  tokens: number;
  end: StepEnd;
}

/**
 * An estimate of the tokens in `text`: one per run of non-whitespace. It is the one measure
 * the step limit, the budget and the metrics use, so they agree with each other (not with a
 * particular server's tokenizer).
 */
export function countTokens(text: string): number {
  return text.match(/\S+/g)?.length ?? 0;
}

/**
 * Cuts reasoning arriving in chunks into steps, incrementally (each push costs its own length):
 * a step ends right after a blank line (a newline, optional spaces or tabs, a newline, which may
 * be split across chunks), or before the whitespace that follows its `maxTokens`-th token. A step
 * holds at least one token: blank lines before any text stay with the step that follows.
 */
export class StepSplitter {
  private current = '';
  private tokens = 0;
  private inToken = false;
  /** A newline has been seen since the last non-whitespace character. */
  private afterNewline = false;

  constructor(private readonly maxTokens: number) {
    if (!(maxTokens >= 1)) throw new Error(`a step holds at least one token, not ${maxTokens}`);
  }

  /** Steps completed by `text`, in order; the unfinished rest is kept for the next push. */
  push(text: string): ReasoningStep[] {
    const out: ReasoningStep[] = [];
    let from = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      const space = c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';
      if (!space) {
        if (!this.inToken) this.tokens++;
        this.inToken = true;
        this.afterNewline = false;
        continue;
      }
      if (this.inToken && this.tokens >= this.maxTokens) {
        // The limit falls between two tokens; this whitespace opens the next step.
        this.current += text.slice(from, i);
        from = i;
        out.push(this.take('tokenLimit'));
      }
      this.inToken = false;
      if (c !== '\n') continue;
      if (this.afterNewline && this.tokens > 0) {
        this.current += text.slice(from, i + 1);
        from = i + 1;
        out.push(this.take('blankLine'));
      } else {
        this.afterNewline = true;
      }
    }
    this.current += text.slice(from);
    return out;
  }

  /** The unfinished step, if it holds any text; the splitter is then empty. */
  flush(): ReasoningStep | undefined {
    if (this.current.length === 0) return undefined;
    return this.take('streamEnd');
  }

  /** Text pushed since the last step ended. */
  get pending(): string {
    return this.current;
  }

  private take(end: StepEnd): ReasoningStep {
    const step = { text: this.current, tokens: this.tokens, end };
    this.current = '';
    this.tokens = 0;
    this.inToken = false;
    this.afterNewline = false;
    return step;
  }
}
