import { RegExpValidator, RegExpSyntaxError } from '@eslint-community/regexpp';

const validator = new RegExpValidator({ ecmaVersion: 2025 });

/** Where and why a regex source is invalid: `index` is an offset into the source. */
export interface RegexSyntaxProblem {
  index: number;
  message: string;
}

/** The first syntax error of a pattern as JavaScript reads it, located by regexpp; undefined when valid. */
export function regexSyntaxProblem(source: string, flags: string): RegexSyntaxProblem | undefined {
  try {
    validator.validatePattern(source, 0, source.length, { unicode: flags.includes('u'), unicodeSets: flags.includes('v') });
    return undefined;
  } catch (err) {
    if (!(err instanceof RegExpSyntaxError)) throw err;
    // regexpp's message repeats the whole pattern; the reason after the last ": " is what helps.
    const reason = err.message.slice(err.message.lastIndexOf(': ') + 2);
    return { index: Math.max(0, Math.min(err.index, source.length)), message: reason };
  }
}
