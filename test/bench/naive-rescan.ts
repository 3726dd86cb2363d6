import type { Rule } from '../../src/core/rules/rule-ast.js';

/**
 * The naive sniffer, a second baseline: on every chunk, append to the buffer and run every
 * pattern of the rules over the whole buffer again. Its cost per chunk grows with the buffer.
 */
export class NaiveRescan {
  private buffer = '';
  private readonly regexes: RegExp[];

  constructor(rules: readonly Rule[]) {
    this.regexes = rules.flatMap((r) => r.patterns.flatMap((p) => (p.regex ? [new RegExp(p.source, `${p.flags}g`)] : [])));
  }

  push(text: string): number {
    this.buffer += text;
    let found = 0;
    for (const re of this.regexes) {
      re.lastIndex = 0;
      while (re.exec(this.buffer) !== null) found++;
    }
    return found;
  }

  flush(): void {}
}
