/** Prints rows as an aligned plain-text table: first column left-aligned, the rest right-aligned. */
export function printTable(title: string, header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

/** A number with a fixed count of decimals. */
export const fmt = (n: number, decimals = 1): string => (Number.isFinite(n) ? n.toFixed(decimals) : '-');
