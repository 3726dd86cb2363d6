import type { TraceModel } from './trace-model.js';
import { button, el, formatMs } from '../shared/dom.js';

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

/**
 * The speculation timeline: one lane per tool, a bar per speculative run from its start to
 * its end coloured by outcome, a tick where each formal call was sealed; zoom with the
 * buttons or the wheel, pan by dragging or with Shift+wheel. Fits the whole trace until the
 * user zooms or pans.
 */
export class Timeline {
  readonly root = el('section', 'timeline');
  private readonly lanes = el('div', 'lanes');
  private readonly axis = el('div', 'axis');
  private readonly empty = el('div', 'empty', 'No speculation yet.');
  private readonly tracks = new Map<string, HTMLElement>();
  private readonly nodes = new Map<string, HTMLElement>();
  private view: TimelineView = { scale: null, offset: 0 };
  private dirty = true;
  private lastDraw = -Infinity;
  private pending: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly model: TraceModel,
    private readonly onViewChange: (view: TimelineView) => void,
  ) {
    this.root.dataset.testid = 'timeline';
    const tools = el('div', 'timeline-tools');
    const zoomIn = button('+', 'zoom-in', { secondary: true, title: 'Zoom in' });
    const zoomOut = button('−', 'zoom-out', { secondary: true, title: 'Zoom out' });
    const fit = button('Fit', 'zoom-fit', { secondary: true, title: 'Show the whole trace' });
    tools.append(el('span', 'section-title', 'Speculation timeline'), zoomIn, zoomOut, fit);
    this.lanes.append(this.empty);
    this.root.append(tools, this.axis, this.lanes);
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
    let drag: { x: number; offset: number } | undefined;
    this.lanes.addEventListener('pointerdown', (e) => {
      drag = { x: e.clientX, offset: this.currentOffset() };
      this.lanes.setPointerCapture(e.pointerId);
    });
    this.lanes.addEventListener('pointermove', (e) => {
      if (!drag) return;
      const scale = this.currentScale();
      this.setView({ scale, offset: Math.max(0, drag.offset - (e.clientX - drag.x) / scale) });
    });
    this.lanes.addEventListener('pointerup', () => (drag = undefined));
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
   * per bar and seal and only repositioned.
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
    const step = niceStep(width / scale / 6);
    for (let t = Math.ceil(offset / step) * step; x(t) <= width; t += step) {
      const tick = el('span', 'axis-tick', formatMs(t));
      tick.style.left = `${LANE_LABEL_PX + x(t)}px`;
      this.axis.append(tick);
    }

    this.empty.hidden = this.model.bars.length > 0 || this.model.seals.length > 0;
    for (const b of this.model.bars) {
      const key = `b${b.turn}:${b.specId}`;
      let bar = this.nodes.get(key);
      if (!bar) {
        bar = el('div', 'bar');
        bar.dataset.testid = 'spec-bar';
        this.nodes.set(key, bar);
        this.lane(b.tool).append(bar);
      }
      const end = b.end ?? this.model.endT;
      set(bar, `bar outcome-${b.outcome}`, b.outcome, x(b.start), Math.max(2, (end - b.start) * scale));
      bar.title = `${b.tool} ${b.canonical}\nrule ${b.ruleId}\n${b.outcome} · ran ${formatMs(end - b.start)}${b.end === null ? ' (running)' : ''}`;
    }
    for (const s of this.model.seals) {
      const key = `s${s.turn}:${s.callId}`;
      let tick = this.nodes.get(key);
      if (!tick) {
        tick = el('div', 'seal');
        tick.dataset.testid = 'seal';
        this.nodes.set(key, tick);
        this.lane(s.tool).append(tick);
      }
      set(tick, `seal outcome-${s.outcome}`, s.outcome, x(s.t), null);
      tick.title = `formal call sealed at ${formatMs(s.t)}: ${s.outcome}`;
    }
  }

  /** Forgets every lane, as for a new trace. */
  clear(): void {
    this.nodes.clear();
    this.tracks.clear();
    this.lanes.replaceChildren(this.empty);
    this.dirty = true;
  }

  private lane(tool: string): HTMLElement {
    let track = this.tracks.get(tool);
    if (!track) {
      const lane = el('div', 'lane');
      lane.dataset.tool = tool;
      lane.dataset.testid = 'lane';
      track = el('div', 'track');
      lane.append(el('div', 'lane-label', tool), track);
      this.lanes.append(lane);
      this.tracks.set(tool, track);
    }
    return track;
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

/** A round tick step (1, 2 or 5 times a power of ten) near `ms`. */
function niceStep(ms: number): number {
  const p = 10 ** Math.floor(Math.log10(Math.max(ms, 1)));
  for (const m of [1, 2, 5, 10]) if (m * p >= ms) return m * p;
  return 10 * p;
}
