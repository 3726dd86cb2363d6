import type { IntentView, TraceModel } from './trace-model.js';
import { el, formatMs } from '../shared/dom.js';
import { outcomeOfTrace, outcomeWord } from '../../src/shared/outcome-words.js';

const pct = (p: number) => `${Math.round(p * 100)}%`;

/** Column name, what it means (the header's title), and the cell text. */
const COLUMNS: [string, string, (i: IntentView) => string][] = [
  ['turn', 'The model call the intent was sniffed in', (i) => String(i.turn + 1)],
  ['tool', 'The tool the reasoning named', (i) => (i.kind === 'warm' ? `${i.tool} (warm-up)` : i.tool)],
  ['arguments', 'The predicted arguments, in canonical form', (i) => i.canonical || '{}'],
  ['rule', 'The sniff rule (or schema:TOOL) that recognised the call', (i) => i.ruleId],
  ['p', "The probability weighed: measured on past runs (and lowered when the reasoning hedges); the rule's own confidence in brackets when it differs", (i) => {
    const x = i.explanation;
    return x && Math.abs(x.probability - x.prior) > 0.005 ? `${pct(x.probability)} (${pct(x.prior)})` : pct(i.probability);
  }],
  ['latency', "The tool's typical run time, as the policy knew it", (i) => (i.explanation?.latencyMs !== undefined ? formatMs(i.explanation.latencyMs) : '')],
  ['saving / cost', 'Expected saving (p × latency) against the expected cost of an unneeded run', (i) => (i.explanation?.savingMs !== undefined && i.explanation.costMs !== undefined ? `${formatMs(i.explanation.savingMs)} / ${formatMs(i.explanation.costMs)}` : '')],
  ['budget', "Share of the turn's speculation budget used when it was decided", (i) => (i.explanation?.budgetUsed !== undefined ? pct(i.explanation.budgetUsed) : '')],
  ['decision', 'What the speculator did: fired (ran early), blocked, warmed, or why it declined; "predicted" when the proxy worked it out while the turn streamed, running nothing', (i) => (i.prediction ? `${i.decision} (predicted)` : i.decision)],
  ['outcome', `How it ended: ${(['hit', 'partial', 'miss', 'misfire', 'blocked', 'declined', 'pending'] as const).map(outcomeWord).join(', ')}`, (i) => (i.kind === 'warm' && i.decision === 'warmed' ? outcomeWord('warm') : outcomeWord(outcomeOfTrace(i.outcome)))],
  ['why', 'Why it ran early or not, and what you can change', (i) => (i.explanation ? (i.explanation.action ? `${i.explanation.summary} ${i.explanation.action}` : i.explanation.summary) : '')],
];

/** Every intent of the trace in a table, one row each with its decision explained; clicking a row selects the intent. */
export class IntentsView {
  readonly root = el('section', 'intents');
  private readonly table = el('table', 'intents-table');
  private dirty = true;
  private selected: number | null = null;

  constructor(
    private readonly model: TraceModel,
    private readonly onSelect: (intent: IntentView) => void,
  ) {
    this.root.dataset.testid = 'intents';
    const caption = el('div', 'caption', 'Each predicted call and why it ran early or not. Hover a header for what it means; click a row to see its reasoning.');
    this.root.append(el('div', 'section-title', 'Decisions'), caption, this.table);
    this.table.addEventListener('click', (e) => {
      const row = e.target instanceof Element ? e.target.closest<HTMLElement>('tr[data-intent]') : null;
      const intent = row ? this.model.intent(Number(row.dataset.intent)) : undefined;
      if (intent) this.onSelect(intent);
    });
  }

  invalidate(): void {
    this.dirty = true;
  }

  /** Marks an intent's row as selected (null: none) and brings it into view. */
  select(id: number | null): void {
    this.selected = id;
    for (const row of this.table.querySelectorAll<HTMLElement>('tr[data-intent]')) row.classList.toggle('selected', Number(row.dataset.intent) === id);
    if (id !== null) this.table.querySelector(`tr[data-intent="${id}"]`)?.scrollIntoView({ block: 'nearest' });
  }

  /** The drawn rows by intent id, with what each shows, so a render touches only rows that changed. */
  private readonly rows = new Map<number, { tr: HTMLTableRowElement; shown: string }>();
  private head: HTMLTableRowElement | undefined;

  /**
   * Brings the table up to the model. Rows are kept and only those whose text or outcome changed
   * are rewritten, new ones appended: rebuilding every row on each change cost a full table
   * layout per frame, hundreds of milliseconds once a long stream had a few hundred intents.
   */
  render(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const intents = this.model.intents;
    this.root.hidden = intents.length === 0;
    if (!this.head) {
      this.head = el('tr');
      for (const [name, meaning] of COLUMNS) {
        const th = el('th', undefined, name);
        th.title = meaning;
        this.head.append(th);
      }
      this.table.append(this.head);
    }
    // The model was reset or rebuilt (a replay restarted): its intents are other ones.
    let kept = intents.length >= this.rows.size;
    let at = 0;
    for (const id of this.rows.keys()) if (kept && intents[at++]!.id !== id) kept = false;
    if (!kept) {
      for (const { tr } of this.rows.values()) tr.remove();
      this.rows.clear();
    }
    for (const i of intents) {
      const cells = COLUMNS.map(([, , value]) => value(i));
      const shown = `${i.outcome}\u0000${cells.join('\u0000')}`;
      const row = this.rows.get(i.id);
      if (row && row.shown === shown) continue;
      const tr = row?.tr ?? el('tr');
      tr.className = `outcome-${i.outcome}${i.id === this.selected ? ' selected' : ''}`;
      tr.dataset.testid = 'intent-row';
      tr.dataset.intent = String(i.id);
      tr.dataset.outcome = i.outcome;
      if (row) cells.forEach((text, column) => {
        const td = tr.children[column]!;
        if (td.textContent !== text) td.textContent = text;
      });
      else {
        COLUMNS.forEach(([name], column) => {
          const td = el('td', undefined, cells[column]);
          td.dataset.field = name;
          tr.append(td);
        });
        this.table.append(tr);
      }
      this.rows.set(i.id, { tr, shown });
    }
  }
}
