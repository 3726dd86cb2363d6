import { RegExpParser, visitRegExpAST, type AST } from '@eslint-community/regexpp';

const parser = new RegExpParser({ ecmaVersion: 2025 });

/** Largest repeat count of an outer repetition that still cannot blow up exponentially with the input. */
const SMALL_BOUND = 10;

/**
 * A quick structural screen before the (slow) ReDoS checker: exponential backtracking needs a
 * part repeated without a small bound that itself repeats or branches, as in (a+)+ or (a|ab)*. A pattern with no
 * such part cannot blow up exponentially, so only the others are sent to the checker. An
 * unparsable pattern is not suspicious here: the syntax check reports it.
 */
export function mayBacktrackExponentially(source: string, flags: string): boolean {
  let ast: AST.Pattern;
  try {
    ast = parser.parsePattern(source, 0, source.length, { unicode: flags.includes('u') });
  } catch {
    return false;
  }
  let suspicious = false;
  visitRegExpAST(ast, {
    onQuantifierEnter(q) {
      // A repetition bounded by a small count, like (?:\w+\s+){0,3}, multiplies the ways to match by a constant at most.
      if (suspicious || q.max <= SMALL_BOUND) return;
      if (containsRepetitionOrBranch(q.element)) suspicious = true;
    },
  });
  return suspicious;
}

function containsRepetitionOrBranch(node: AST.QuantifiableElement): boolean {
  let found = false;
  visitRegExpAST(node, {
    onQuantifierEnter(q) {
      if (q.max > 1) found = true;
    },
    onGroupEnter(g) {
      if (g.alternatives.length > 1) found = true;
    },
    onCapturingGroupEnter(g) {
      if (g.alternatives.length > 1) found = true;
    },
  });
  return found;
}
