let partners: Map<number, readonly number[]> | undefined;
let cased: number[] = [];

/**
 * The code units a non-unicode `i` regex treats as equal to `unit`, itself included, in
 * ascending order: those with the same Canonicalize (ECMAScript 22.2.2.7.3: the single-unit
 * upper case, except that nothing outside ASCII folds into it). Built once for all 65,536
 * code units on first use (a few milliseconds).
 */
export function caseVariants(unit: number): readonly number[] {
  return table().get(unit) ?? [unit];
}

/** Code units in [min, max] that have a case variant other than themselves, ascending. */
export function casedUnitsIn(min: number, max: number): number[] {
  table();
  const out: number[] = [];
  let lo = 0;
  let hi = cased.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cased[mid]! < min) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < cased.length && cased[i]! <= max; i++) out.push(cased[i]!);
  return out;
}

function table(): Map<number, readonly number[]> {
  if (partners) return partners;
  const groups = new Map<number, number[]>();
  for (let unit = 0; unit <= 0xffff; unit++) {
    const canon = canonicalize(unit);
    const group = groups.get(canon);
    if (group) group.push(unit);
    else groups.set(canon, [unit]);
  }
  partners = new Map();
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    for (const unit of group) partners.set(unit, group);
  }
  cased = [...partners.keys()].sort((a, b) => a - b);
  return partners;
}

function canonicalize(unit: number): number {
  const upper = String.fromCharCode(unit).toUpperCase();
  if (upper.length !== 1) return unit;
  const folded = upper.charCodeAt(0);
  return unit >= 128 && folded < 128 ? unit : folded;
}
