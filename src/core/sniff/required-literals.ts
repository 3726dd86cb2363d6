import { RegExpParser, type AST } from '@eslint-community/regexpp';

/** Shorter literals fire too often to be worth filtering on. */
export const MIN_LITERAL_LENGTH = 3;

/**
 * Literals of which every match of the pattern contains at least one (compared without case),
 * or undefined when no such set of useful literals can be proven: then the pattern must be
 * scanned on every chunk. Found from the parsed pattern, never by guessing from its text.
 */
export function requiredLiterals(source: string, flags: string): string[] | undefined {
  return literalsPerAlternative(source, flags, bestSet);
}

/** Each top-level alternative's literal set by `pick`, joined and lower-cased; undefined if any has none. */
function literalsPerAlternative(source: string, flags: string, pick: (elements: readonly AST.Element[]) => string[] | undefined): string[] | undefined {
  let pattern: AST.Pattern;
  try {
    pattern = new RegExpParser().parsePattern(source, 0, source.length, { unicode: flags.includes('u') });
  } catch {
    return undefined;
  }
  const all: string[] = [];
  for (const alternative of pattern.alternatives) {
    const set = pick(alternative.elements);
    if (!set) return undefined;
    all.push(...set);
  }
  return [...new Set(all.map((l) => l.toLowerCase()))];
}

/** Candidate sets for a sequence of elements; the best is the one whose shortest literal is longest. */
function bestSet(elements: readonly AST.Element[]): string[] | undefined {
  const candidates: string[][] = [];
  let run = '';
  const flush = () => {
    if (run.length >= MIN_LITERAL_LENGTH) candidates.push([run]);
    run = '';
  };
  const walk = (items: readonly AST.Element[]) => {
    for (const el of items) {
      switch (el.type) {
        case 'Character':
          run += String.fromCodePoint(el.value);
          break;
        case 'Assertion':
          // Zero-width: the text on both sides is contiguous in any match.
          break;
        case 'Group':
        case 'CapturingGroup':
          if (el.alternatives.length === 1) {
            walk(el.alternatives[0]!.elements);
          } else {
            flush();
            const sets = el.alternatives.map((a) => bestSet(a.elements));
            if (sets.every((s): s is string[] => s !== undefined)) candidates.push(sets.flat());
          }
          break;
        case 'Quantifier':
          if (el.min >= 1 && el.element.type === 'Character') {
            run += String.fromCodePoint(el.element.value);
            flush();
          } else if (el.min >= 1 && (el.element.type === 'Group' || el.element.type === 'CapturingGroup')) {
            flush();
            const inner = bestSet([el.element]);
            if (inner) candidates.push(inner);
          } else {
            flush();
          }
          break;
        default:
          flush();
      }
    }
  };
  walk(elements);
  flush();
  let best: string[] | undefined;
  let bestScore = -1;
  for (const c of candidates) {
    const score = Math.min(...c.map((l) => l.length)) * 100 - c.length;
    if (score > bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}

/**
 * Literals one of which every match starts with (after zero-width assertions), or undefined.
 * Such a pattern need only be tried at the places those literals occur, anchored there.
 */
export function prefixLiterals(source: string, flags: string): string[] | undefined {
  return literalsPerAlternative(source, flags, leadingSet);
}

/** The literals a sequence must start with, each at least MIN_LITERAL_LENGTH long. */
function leadingSet(elements: readonly AST.Element[]): string[] | undefined {
  let run = '';
  let i = 0;
  // Zero-width assertions at the start (\b, ^, lookarounds) do not move the start.
  while (i < elements.length && elements[i]!.type === 'Assertion') i++;
  const first = elements[i];
  if (first && (first.type === 'Group' || first.type === 'CapturingGroup') && first.alternatives.length > 1 && run.length === 0) {
    const sets = first.alternatives.map((a) => leadingSet(a.elements));
    return sets.every((s): s is string[] => s !== undefined) ? sets.flat() : undefined;
  }
  const extend = (items: readonly AST.Element[], from: number): boolean => {
    for (let j = from; j < items.length; j++) {
      const el = items[j]!;
      if (el.type === 'Character') run += String.fromCodePoint(el.value);
      else if (el.type === 'Assertion') continue;
      else if ((el.type === 'Group' || el.type === 'CapturingGroup') && el.alternatives.length === 1) {
        if (!extend(el.alternatives[0]!.elements, 0)) return false;
      } else return false;
    }
    return true;
  };
  extend(elements, i);
  return run.length >= MIN_LITERAL_LENGTH ? [run] : undefined;
}
