import type { TraceTurnFigures } from '../../src/shared/protocol.js';
import type { TraceModel } from './trace-model.js';
import { el, formatMs } from '../shared/dom.js';

const COLUMNS: [string, (f: TraceTurnFigures) => string][] = [
  ['intents', (f) => String(f.intents)],
  ['fired', (f) => String(f.fired)],
  ['hits', (f) => String(f.hits + f.partialHits)],
  ['misfires', (f) => String(f.misfires)],
  ['wasted', (f) => formatMs(f.wastedMs)],
  ['saved', (f) => formatMs(f.savedMs)],
  ['TTA with', (f) => formatMs(f.ttaMs)],
  ['TTA without', (f) => formatMs(f.ttaWithoutMs)],
];

/** Per-turn figures and their total: intents, fired, hits, misfires, wasted and saved ms, Time-to-Action with and without speculation. */
export class FiguresView {
  readonly root = el('section', 'figures');
  private readonly table = el('table', 'figures-table');

  constructor(private readonly model: TraceModel) {
    this.root.dataset.testid = 'figures';
    this.root.append(el('div', 'section-title', 'Per-turn figures'), this.table);
    this.render();
  }

  render(): void {
    const head = el('tr');
    head.append(el('th', undefined, 'turn'), ...COLUMNS.map(([name]) => el('th', undefined, name)));
    const rows = this.model.turns
      .filter((t) => t.figures !== null)
      .map((t) => this.row(t.label, t.figures!, 'figures-row'));
    const total = this.model.totals();
    this.table.replaceChildren(head, ...rows, ...(total && rows.length > 1 ? [this.row('total', total, 'figures-total')] : []));
  }

  private row(label: string, f: TraceTurnFigures, testId: string): HTMLElement {
    const tr = el('tr');
    tr.dataset.testid = testId;
    tr.append(el('td', undefined, label));
    for (const [name, value] of COLUMNS) {
      const td = el('td', undefined, value(f));
      td.dataset.field = name;
      tr.append(td);
    }
    return tr;
  }
}
