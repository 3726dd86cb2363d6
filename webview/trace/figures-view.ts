import type { TraceTurnFigures } from '../../src/shared/protocol.js';
import type { TraceModel } from './trace-model.js';
import { el, formatMs } from '../shared/dom.js';
import { OUTCOME_WORDS as W } from '../../src/shared/outcome-words.js';

/** Column name, what it means (the header's title), and the cell text. */
const COLUMNS: [string, string, (f: TraceTurnFigures) => string][] = [
  ['intents', 'Calls recognised in the reasoning', (f) => String(f.intents)],
  ['fired', 'Intents run early', (f) => String(f.fired)],
  [W.hit.plural, `Formal calls served from an early run: ${W.hit.plural}, ${W.partial.plural} and ${W.crossTurn.plural}`, (f) => String(f.hits + f.partialHits)],
  [W.misfire.plural, `Early runs no formal call used (a ${W.misfire.word} ${W.misfire.meaning})`, (f) => String(f.misfires)],
  ['wasted', `Tool time spent on ${W.misfire.plural}`, (f) => formatMs(f.wastedMs)],
  ['saved', 'Tool time the formal calls did not wait for', (f) => formatMs(f.savedMs)],
  ['TTA with', 'Time-to-Action with speculation: from each formal call to its result, summed', (f) => formatMs(f.ttaMs)],
  ['TTA without', 'Time-to-Action without speculation: each call running its full time', (f) => formatMs(f.ttaWithoutMs)],
];

/** Per-turn figures and their total: intents, fired, hits, misfires, wasted and saved ms, Time-to-Action with and without speculation. */
export class FiguresView {
  readonly root = el('section', 'figures');
  private readonly table = el('table', 'figures-table');

  constructor(private readonly model: TraceModel) {
    this.root.dataset.testid = 'figures';
    this.root.append(el('div', 'section-title', 'Per-turn figures'), el('div', 'caption', 'Hover a header for what it counts.'), this.table);
    this.render();
  }

  render(): void {
    const head = el('tr');
    const th = (name: string, meaning: string) => {
      const cell = el('th', undefined, name);
      cell.title = meaning;
      return cell;
    };
    head.append(th('turn', 'The model call'), ...COLUMNS.map(([name, meaning]) => th(name, meaning)));
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
    for (const [name, , value] of COLUMNS) {
      const td = el('td', undefined, value(f));
      td.dataset.field = name;
      tr.append(td);
    }
    return tr;
  }
}
