import type { TraceModel } from './trace-model.js';
import { button, el, formatMs } from '../shared/dom.js';
import { OUTCOME_WORDS as W, outcomeOfTrace, outcomeWord } from '../../src/shared/outcome-words.js';

/** What of the timeline's view survives a reload. */
export interface TimelineView {
  /** Pixels per millisecond, or null to fit the whole trace. */
  scale: number | null;
  /** Trace time at the left edge, when not fitting. */
  offset: number;
}

const LANE_LABEL_PX = 120;
const MIN_SCALE = 0.001;
const MAX_SCALE = 20;
/** Least time between two redraws that only follow a growing trace. */
const REDRAW_MS = 200;

/** What a click on the timeline points at: the intent behind a bar or mark, and its formal call. */
export interface TimelineSelection {
  turn: number;
  intentId?: number;
  callId?: string;
}

/** The colours of the timeline, in the words of `OUTCOME_WORDS`. */
const LEGEND: [string, string, string][] = [
  ['pending', W.pending.word, W.pending.meaning],
  ['hit', `${W.hit.word} / ${W.crossTurn.word}`, `${W.hit.meaning}; a ${W.crossTurn.word} ${W.crossTurn.meaning}`],
  ['partial', W.partial.word, W.partial.meaning],
  ['misfire', `${W.misfire.word} / ${W.miss.word}`, `a ${W.misfire.word} ${W.misfire.meaning}; a ${W.miss.word}: ${W.miss.meaning}`],
  ['blocked', W.blocked.word, W.blocked.meaning],
  ['warm', W.warm.word, W.warm.meaning],
  ['saved', 'time saved', 'from the formal call (or the run\'s end) to when the call would have finished without speculation'],
  ['formal', 'formal call', 'the tick is the call\'s seal; the outline its wait for the result'],
];

interface LaneItem {
  node: HTMLElement;
  left: number;
  width: number | null;
  className: string;
  outcome: string;
}

interface LaneDraft {
  key: string;
  tool: string;
  detail: string;
  first: number;
  items: LaneItem[];
}

/**
 * The speculation timeline: one lane per formal call, holding the call's seal (a tick), its
 * wait for the result (an outline), the speculative run that served it (a bar coloured by
 * outcome) and the time that saved (hatched); runs no call claimed, blocked predictions and
 * warm-ups get lanes of their own. A legend names the colours. Clicking a bar or mark selects
 * its intent and call (`onSelect`); zoom with the buttons or the wheel, pan by dragging or with
 * Shift+wheel. Fits the whole trace until the user zooms or pans.
 */
export class Timeline {
  readonly root = el('section', 'timeline');
  private readonly lanes = el('div', 'lanes');
  private readonly axis = el('div', 'axis');
  private readonly empty = el('div', 'empty', 'No speculation yet.');
  private readonly laneEls = new Map<string, { lane: HTMLElement; label: HTMLElement; track: HTMLElement }>();
  private readonly nodes = new Map<string, HTMLElement>();
  private view: TimelineView = { scale: null, offset: 0 };
  private dirty = true;
  private lastDraw = -Infinity;
  private pending: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly model: TraceModel,
    private readonly onViewChange: (view: TimelineView) => void,
    private readonly onSelect: (selection: TimelineSelection) => void = () => undefined,
  ) {
    this.root.dataset.testid = 'timeline';
    const tools = el('div', 'timeline-tools');
    const zoomIn = button('+', 'zoom-in', { secondary: true, title: 'Zoom in' });
    const zoomOut = button('−', 'zoom-out', { secondary: true, title: 'Zoom out' });
    const fit = button('Fit', 'zoom-fit', { secondary: true, title: 'Show the whole trace' });
    tools.append(el('span', 'section-title', 'Speculation timeline'), zoomIn, zoomOut, fit);
    const legend = el('div', 'legend');
    legend.dataset.testid = 'legend';
    for (const [kind, name, meaning] of LEGEND) {
      const item = el('span', 'legend-item');
      item.dataset.kind = kind;
      item.title = meaning;
      item.append(el('span', `swatch swatch-${kind}`), el('span', 'legend-name', name));
      legend.append(item);
    }
    this.lanes.append(this.empty);
    this.root.append(tools, legend, this.axis, this.lanes);
    zoomIn.addEventListener('click', () => this.zoom(2, this.trackWidth() / 2));
    zoomOut.addEventListener('click', () => this.zoom(0.5, this.trackWidth() / 2));
    fit.addEventListener('click', () => this.setView({ scale: null, offset: 0 }));
    this.lanes.addEventListener(
      'wheel',
      (e) => {
        e.preventDefault();
        const x = e.clientX - this.lanes.getBoundingClientRect().left - LANE_LABEL_PX;
        if (e.shiftKey) this.pan(e.deltaY || e.deltaX);
        else this.zoom(e.deltaY < 0 ? 1.25 : 0.8, x);
      },
      { passive: false },
    );
    // A press that barely moves is a click on what it started on; pointer capture would
    // retarget a click event, so clicks are told apart here.
    let drag: { x: number; offset: number; target: HTMLElement | null; moved: boolean } | undefined;
    this.lanes.addEventListener('pointerdown', (e) => {
      const target = e.target instanceof Element ? e.target.closest<HTMLElement>('[data-select-turn]') : null;
      drag = { x: e.clientX, offset: this.currentOffset(), target, moved: false };
      this.lanes.setPointerCapture(e.pointerId);
    });
    this.lanes.addEventListener('pointermove', (e) => {
      if (!drag) return;
      if (Math.abs(e.clientX - drag.x) > 3) drag.moved = true;
      if (!drag.moved) return;
      const scale = this.currentScale();
      this.setView({ scale, offset: Math.max(0, drag.offset - (e.clientX - drag.x) / scale) });
    });
    this.lanes.addEventListener('pointerup', () => {
      const ended = drag;
      drag = undefined;
      if (ended && !ended.moved && ended.target) this.select(ended.target);
    });
    this.lanes.addEventListener('keydown', (e) => {
      if ((e.key === 'Enter' || e.key === ' ') && e.target instanceof HTMLElement && e.target.dataset.selectTurn !== undefined) {
        e.preventDefault();
        this.select(e.target);
      }
    });
  }

  get state(): TimelineView {
    return this.view;
  }

  restore(view: TimelineView): void {
    this.view = view;
    this.dirty = true;
  }

  invalidate(): void {
    this.dirty = true;
  }

  /**
   * Redraws when something changed; while a stream only grows the trace, at most every
   * REDRAW_MS, since fitting the whole trace moves every bar on each redraw. Elements are kept
   * per bar, seal and mark and only repositioned (or moved to their call's lane once claimed).
   */
  render(force = false): void {
    if (!this.dirty) return;
    const now = performance.now();
    if (!force && now - this.lastDraw < REDRAW_MS) {
      this.pending ??= setTimeout(() => {
        this.pending = undefined;
        this.render();
      }, REDRAW_MS - (now - this.lastDraw));
      return;
    }
    this.lastDraw = now;
    this.dirty = false;
    const scale = this.currentScale();
    const offset = this.currentOffset();
    const width = this.trackWidth();
    const x = (t: number) => (t - offset) * scale;

    this.axis.replaceChildren();
    this.axis.style.marginLeft = `${LANE_LABEL_PX}px`;
    const step = niceStep(width / scale / 6);
    // Labels stay inside the frame: none closer to the right edge than a label is wide.
    for (let t = Math.ceil(offset / step) * step; x(t) <= width - 48; t += step) {
      const tick = el('span', 'axis-tick', formatMs(t));
      tick.style.left = `${x(t)}px`;
      this.axis.append(tick);
    }

    const drafts = new Map<string, LaneDraft>();
    const draft = (key: string, tool: string, detail: string, t: number): LaneDraft => {
      let d = drafts.get(key);
      if (!d) drafts.set(key, (d = { key, tool, detail, first: t, items: [] }));
      d.first = Math.min(d.first, t);
      return d;
    };
    const node = (key: string, className: string, testId: string): HTMLElement => {
      let n = this.nodes.get(key);
      if (!n) {
        n = el('div', className);
        n.dataset.testid = testId;
        this.nodes.set(key, n);
      }
      return n;
    };
    const callLane = (turn: number, callId: string) => `c${turn}:${callId}`;

    for (const s of this.model.seals) {
      const d = draft(callLane(s.turn, s.callId), s.tool, s.canonical ?? '', s.t);
      const tick = node(`s${s.turn}:${s.callId}`, 'seal', 'seal');
      titled(tick, `formal call to ${s.tool} sealed at ${formatMs(s.t)}: ${outcomeWord(outcomeOfTrace(s.outcome))}`);
      selectable(tick, s.turn, undefined, s.callId);
      d.items.push({ node: tick, left: x(s.t), width: null, className: 'seal', outcome: s.outcome });
      const result = this.model.call(s.turn, s.callId);
      if (result) {
        const wait = node(`w${s.turn}:${s.callId}`, 'formal-run', 'formal-run');
        titled(wait, `${s.tool} result after ${formatMs(Math.max(0, result.t - s.t))}${result.isError ? ' (error)' : ''}`);
        selectable(wait, s.turn, undefined, s.callId);
        d.items.push({ node: wait, left: x(s.t), width: Math.max(1, (result.t - s.t) * scale), className: 'formal-run', outcome: s.outcome });
      }
    }
    for (const b of this.model.bars) {
      const key = b.callId !== null && b.callTurn !== null ? callLane(b.callTurn, b.callId) : `r${b.turn}:${b.specId}`;
      const d = draft(key, b.tool, b.canonical, b.start);
      if (!d.detail) d.detail = b.canonical;
      const bar = node(`b${b.turn}:${b.specId}`, 'bar', 'spec-bar');
      const end = b.end ?? this.model.endT;
      titled(bar, `${b.tool} ${b.canonical}\nrule ${b.ruleId}\n${outcomeWord(outcomeOfTrace(b.outcome, b.callTurn !== null && b.callTurn !== b.turn))} · ran ${formatMs(end - b.start)}${b.end === null ? ' (running)' : ''}${b.savedMs > 0 ? ` · saved ${formatMs(b.savedMs)}` : ''}\nclick: show the reasoning and the call`);
      selectable(bar, b.turn, b.intentId ?? undefined, b.callId ?? undefined, b.callTurn ?? undefined);
      d.items.push({ node: bar, left: x(b.start), width: Math.max(2, (end - b.start) * scale), className: 'bar', outcome: b.outcome });
      if ((b.outcome === 'hit' || b.outcome === 'partial') && b.savedMs > 0) {
        const from = Math.max(b.sealAt ?? b.start, b.end ?? b.start);
        const saved = node(`v${b.turn}:${b.specId}`, 'saved', 'saved');
        titled(saved, `saved ${formatMs(b.savedMs)}: without speculation the call would have finished at ${formatMs(from + b.savedMs)}`);
        selectable(saved, b.turn, b.intentId ?? undefined, b.callId ?? undefined, b.callTurn ?? undefined);
        d.items.push({ node: saved, left: x(from), width: Math.max(2, b.savedMs * scale), className: 'saved', outcome: b.outcome });
      }
    }
    for (const i of this.model.intents) {
      if (i.outcome !== 'blocked' && !(i.kind === 'warm' && i.decision === 'warmed')) continue;
      const warm = i.outcome !== 'blocked';
      const key = !warm && i.callId !== null ? callLane(i.turn, i.callId) : warm ? `h${i.turn}:${i.tool}` : `i${i.id}`;
      const d = draft(key, i.tool, i.canonical, i.t);
      const mark = node(`m${i.id}`, 'mark', warm ? 'warm-mark' : 'blocked-mark');
      titled(mark, `${i.tool}: ${i.explanation?.summary ?? outcomeWord(warm ? 'warm' : 'blocked')}\nclick: show the reasoning`);
      selectable(mark, i.turn, i.id, i.callId ?? undefined);
      d.items.push({ node: mark, left: x(i.t), width: null, className: `mark mark-${warm ? 'warm' : 'blocked'}`, outcome: warm ? 'warm' : 'blocked' });
    }

    const ordered = [...drafts.values()].sort((a, b) => a.first - b.first || (a.key < b.key ? -1 : 1));
    this.empty.hidden = ordered.length > 0;
    const wanted = new Set(ordered.map((d) => d.key));
    for (const [key] of this.laneEls) if (!wanted.has(key)) this.laneEls.delete(key);
    const laneNodes: HTMLElement[] = [];
    for (const d of ordered) {
      const lane = this.lane(d.key, d.tool);
      titled(lane.label, d.detail ? `${d.tool} ${d.detail}` : d.tool);
      for (const item of d.items) {
        if (item.node.parentElement !== lane.track) lane.track.append(item.node);
        set(item.node, `${item.className} outcome-${item.outcome}`, item.outcome, item.left, item.width);
      }
      laneNodes.push(lane.lane);
    }
    // Lanes are put in order by moving only those out of place: a new lane is usually appended,
    // and re-inserting every lane for it cost the page a layout of all of them.
    let at = this.empty.nextSibling;
    for (const lane of laneNodes) {
      if (at === lane) at = at.nextSibling;
      else this.lanes.insertBefore(lane, at);
    }
    while (at) {
      const next = at.nextSibling;
      at.remove();
      at = next;
    }
  }

  private select(target: HTMLElement): void {
    const { selectTurn, selectIntent, selectCall, selectCallTurn } = target.dataset;
    const turn = Number(selectTurn);
    this.onSelect({
      turn: selectCallTurn !== undefined ? Number(selectCallTurn) : turn,
      ...(selectIntent !== undefined ? { intentId: Number(selectIntent) } : {}),
      ...(selectCall !== undefined ? { callId: selectCall } : {}),
    });
  }

  /** Forgets every lane, as for a new trace. */
  clear(): void {
    this.nodes.clear();
    this.laneEls.clear();
    this.lanes.replaceChildren(this.empty);
    this.dirty = true;
  }

  private lane(key: string, tool: string): { lane: HTMLElement; label: HTMLElement; track: HTMLElement } {
    let found = this.laneEls.get(key);
    if (!found) {
      const lane = el('div', 'lane');
      lane.dataset.tool = tool;
      lane.dataset.lane = key;
      lane.dataset.testid = 'lane';
      const label = el('div', 'lane-label', tool);
      const track = el('div', 'track');
      lane.append(label, track);
      found = { lane, label, track };
      this.laneEls.set(key, found);
    }
    return found;
  }

  private trackWidth(): number {
    return Math.max(100, (this.root.clientWidth || 600) - LANE_LABEL_PX - 16);
  }

  private currentScale(): number {
    if (this.view.scale !== null) return this.view.scale;
    // Fitting a growing trace: the extent grows in steps of 25%, so most redraws move nothing.
    const extent = 1000 * 1.25 ** Math.ceil(Math.log(Math.max(1000, this.model.endT * 1.02) / 1000) / Math.log(1.25));
    return this.trackWidth() / extent;
  }

  private currentOffset(): number {
    return this.view.scale === null ? 0 : this.view.offset;
  }

  private zoom(factor: number, atX: number): void {
    const scale = this.currentScale();
    const next = Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale * factor));
    const at = this.currentOffset() + atX / scale;
    this.setView({ scale: next, offset: Math.max(0, at - atX / next) });
  }

  private pan(deltaPx: number): void {
    const scale = this.currentScale();
    this.setView({ scale, offset: Math.max(0, this.currentOffset() + deltaPx / scale) });
  }

  private setView(view: TimelineView): void {
    this.view = view;
    this.dirty = true;
    this.render(true);
    this.onViewChange(view);
  }
}

const drawn = new WeakMap<HTMLElement, string>();

/** Positions and colours a bar or seal, touching the DOM only when something changed (style writes cost a recalc). */
function set(node: HTMLElement, className: string, outcome: string, left: number, width: number | null): void {
  const key = `${className}|${left.toFixed(1)}|${width === null ? '' : width.toFixed(1)}`;
  if (drawn.get(node) === key) return;
  drawn.set(node, key);
  node.className = className;
  node.dataset.outcome = outcome;
  node.style.left = `${left}px`;
  if (width !== null) node.style.width = `${width}px`;
}

/** Marks a timeline element as pointing at an intent and a call; the intent's turn, and the call's when it is another. */
function selectable(node: HTMLElement, turn: number, intentId: number | undefined, callId: string | undefined, callTurn?: number): void {
  data(node, 'selectTurn', String(turn));
  data(node, 'selectIntent', intentId !== undefined ? String(intentId) : undefined);
  data(node, 'selectCall', callId);
  if (callTurn !== undefined && callTurn !== turn) data(node, 'selectCallTurn', String(callTurn));
  if (node.tabIndex < 0) node.tabIndex = 0;
  if (node.getAttribute('role') !== 'button') node.setAttribute('role', 'button');
}

/**
 * Sets (or, undefined, removes) a data attribute only when it changes: every redraw visits every
 * element, and a write of the same value still costs the page a style check of that element.
 */
function data(node: HTMLElement, key: string, value: string | undefined): void {
  if (node.dataset[key] === value) return;
  if (value === undefined) delete node.dataset[key];
  else node.dataset[key] = value;
}

/** Sets a tooltip only when its text changes (see `data`). */
function titled(node: HTMLElement, title: string): void {
  if (node.title !== title) node.title = title;
}

/** A round tick step (1, 2 or 5 times a power of ten) near `ms`. */
function niceStep(ms: number): number {
  const p = 10 ** Math.floor(Math.log10(Math.max(ms, 1)));
  for (const m of [1, 2, 5, 10]) if (m * p >= ms) return m * p;
  return 10 * p;
}
