/** A mistake in how the CLI was called; printed without a stack, with exit code 2. */
export class CliError extends Error {}

/** Values of a repeatable list flag plus the positionals that followed it. */
export function takeList(values: string[] | undefined, positionals: string[]): string[] {
  return [...(values ?? []), ...positionals];
}

/** Parses an optional numeric flag, or says which flag is wrong. */
export function numberOption(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new CliError(`${flag} takes a non-negative number; got "${value}".`);
  return n;
}

/** The values of a repeatable comma-list flag (`--readonly 'a,b' --readonly c`), trimmed, empties dropped. */
export function globList(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap((g) => g.split(',')).map((g) => g.trim()).filter((g) => g.length > 0);
}
