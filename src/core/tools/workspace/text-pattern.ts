import { caseFoldSource } from './case-fold-regexp.js';
import { linearRegExp } from './linear-regexp.js';

/** A compiled search pattern: where in a line it first matches, or -1. */
export interface TextPattern {
  kind: 'regex' | 'literal';
  /** Set when a regex was asked for but is searched as literal text, saying why. */
  note?: string;
  indexIn(line: string): number;
}

/**
 * Compiles what the model asked to search for. A regex runs on V8's linear-time engine, so no
 * pattern can hang the search (catastrophic backtracking is impossible there); one that
 * engine cannot run (back references, lookaround) or that is invalid is searched as literal
 * text instead, with a note saying so.
 */
export function compileTextPattern(pattern: string, options: { regex: boolean; caseSensitive: boolean }): TextPattern {
  if (options.regex) {
    try {
      const re = options.caseSensitive ? linearRegExp(pattern, '') : caseInsensitiveLinear(pattern);
      return {
        kind: 'regex',
        indexIn: (line) => {
          const m = re.exec(line);
          return m ? m.index : -1;
        },
      };
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      return { ...literal(pattern, options.caseSensitive), note: `the pattern was searched as literal text: as a regex it cannot run in linear time or is invalid (${why}).` };
    }
  }
  return literal(pattern, options.caseSensitive);
}

function literal(needle: string, caseSensitive: boolean): TextPattern {
  if (caseSensitive) return { kind: 'literal', indexIn: (line) => line.indexOf(needle) };
  const lower = needle.toLowerCase();
  return { kind: 'literal', indexIn: (line) => line.toLowerCase().indexOf(lower) };
}

function caseInsensitiveLinear(pattern: string): RegExp {
  try {
    return linearRegExp(pattern, 'i');
  } catch {
    // Check the pattern as written first, so an invalid one is reported as the model wrote it.
    linearRegExp(pattern, '');
    return linearRegExp(caseFoldSource(pattern), '');
  }
}
