import type { IntentView, ToolCallView, TraceChange, TraceModel, TurnTrace } from './trace-model.js';
import { el, formatMs } from '../shared/dom.js';
import { outcomeOfTrace, outcomeWord, servedOutcome } from '../../src/shared/outcome-words.js';

/** Characters per block: appending re-lays out one block, never the whole stream. */
const SEGMENT_CHARS = 2048;

interface Segment {
  start: number;
  text: string;
  node: HTMLElement;
  /** Intents overlapping the segment. */
  marks: IntentView[];
  /** The DOM holds `text` up to `drawn` with no marks since; only the tail must be appended. */
  drawn: number;
  dirty: boolean;
}

interface TurnBlock {
  /** SpecReason: a strip of the turn's steps, one cell per step, coloured by who wrote it. */
  steps: HTMLElement;
  /** SpecReason: the turn's figures, under its strip. */
  stepFigures: HTMLElement;
  body: HTMLElement;
  segments: Segment[];
  calls: HTMLElement;
  answer: HTMLElement;
  answerText: HTMLElement;
}

/**
 * The live think stream: each turn's reasoning in blocks of at most SEGMENT_CHARS, every
 * intent highlighted at its span (split across blocks where it crosses one), coloured by
 * outcome; hovering, focusing or selecting a highlight shows its rule, confidence, predicted
 * arguments, outcome and why it ran early or not. After the reasoning come the turn's tool
 * calls with their results and its answer. Work per frame is bounded by what changed, so a long stream never blocks a frame.
 */
export class ThinkStream {
  readonly root = el('section', 'think-stream');
  private readonly blocks = new Map<number, TurnBlock>();
  private readonly dirty = new Set<Segment>();
  private readonly answers = new Set<TurnTrace>();
  private readonly stepTurns = new Set<TurnTrace>();
  private readonly newCalls: ToolCallView[] = [];
  private selected: number | null = null;
  private readonly tooltip = el('div', 'intent-tooltip');
  private follow = true;

  constructor(
    private readonly model: TraceModel,
    /** A highlight was clicked. */
    private readonly onSelectIntent: (id: number) => void = () => undefined,
  ) {
    this.root.dataset.testid = 'think-stream';
    this.tooltip.dataset.testid = 'intent-tooltip';
    this.tooltip.hidden = true;
    this.tooltip.setAttribute('role', 'tooltip');
    document.body.append(this.tooltip);
    this.root.addEventListener('mouseover', (e) => this.hover(e.target));
    this.root.addEventListener('focusin', (e) => this.hover(e.target));
    this.root.addEventListener('mouseleave', () => this.showSelected());
    this.root.addEventListener('click', (e) => {
      const mark = e.target instanceof Element ? e.target.closest<HTMLElement>('mark.intent') : null;
      if (mark) this.onSelectIntent(Number(mark.dataset.intent));
    });
    this.root.addEventListener('scroll', () => {
      this.follow = this.root.scrollHeight - this.root.scrollTop - this.root.clientHeight < 40;
    });
  }

  clear(): void {
    this.blocks.clear();
    this.dirty.clear();
    this.answers.clear();
    this.stepTurns.clear();
    this.newCalls.length = 0;
    this.selected = null;
    this.root.replaceChildren();
    this.tooltip.hidden = true;
    this.follow = true;
  }

  /** Takes in what a batch changed; the DOM is touched in `render`. */
  apply(change: TraceChange): void {
    for (const turn of change.newTurns) this.block(turn);
    for (const { turn, text } of change.appended) this.append(turn, text);
    for (const intent of change.intents) this.mark(intent);
    for (const turn of change.answers) this.answers.add(turn);
    for (const turn of change.steps) this.stepTurns.add(turn);
    this.newCalls.push(...change.calls);
  }

  render(): void {
    for (const seg of this.dirty) this.draw(seg);
    this.dirty.clear();
    for (const turn of this.answers) {
      const block = this.block(turn);
      block.answerText.textContent = turn.answer;
      block.answer.hidden = turn.answer.length === 0;
    }
    this.answers.clear();
    for (const turn of this.stepTurns) this.drawSteps(turn);
    this.stepTurns.clear();
    for (const call of this.newCalls) this.drawCall(call);
    this.newCalls.length = 0;
    if (this.follow) this.root.scrollTop = this.root.scrollHeight;
  }

  private block(turn: TurnTrace): TurnBlock {
    let block = this.blocks.get(turn.turn);
    if (!block) {
      const section = el('div', 'turn-stream');
      section.dataset.turn = String(turn.turn);
      const head = el('div', 'turn-label', turn.label);
      const steps = el('div', 'turn-steps');
      steps.dataset.testid = 'reasoning-steps';
      steps.hidden = true;
      const stepFigures = el('div', 'turn-step-figures');
      stepFigures.dataset.testid = 'specreason-figures';
      stepFigures.hidden = true;
      const body = el('div', 'turn-body');
      const calls = el('div', 'turn-calls');
      const answer = el('div', 'turn-answer');
      answer.dataset.testid = 'answer';
      answer.hidden = true;
      const answerText = el('div', 'answer-text');
      answer.append(el('div', 'answer-label', 'answer'), answerText);
      section.append(head, steps, stepFigures, body, calls, answer);
      this.root.append(section);
      block = { steps, stepFigures, body, segments: [], calls, answer, answerText };
      this.blocks.set(turn.turn, block);
    }
    return block;
  }

  /** One cell per SpecReason step, as wide as its share of the reasoning; who wrote it and its score in words. */
  private drawSteps(turn: TurnTrace): void {
    const block = this.block(turn);
    block.steps.replaceChildren(
      ...turn.steps.map((s) => {
        const cell = el('span', `step step-${s.author}`);
        cell.dataset.testid = 'reasoning-step';
        cell.dataset.author = s.author;
        cell.dataset.kind = s.kind;
        cell.style.flexGrow = String(Math.max(1, s.end - s.start));
        cell.title = stepTitle(s.author, s.kind, s.score, s.end - s.start);
        return cell;
      }),
    );
    block.steps.hidden = turn.steps.length === 0;
    block.stepFigures.textContent = turn.specReasonFigures ?? '';
    block.stepFigures.hidden = turn.specReasonFigures === null;
  }

  private append(turnIndex: number, text: string): void {
    const turn = this.model.turn(turnIndex);
    const block = turn ? this.block(turn) : undefined;
    if (!block) return;
    let rest = text;
    while (rest.length > 0) {
      let seg = block.segments[block.segments.length - 1];
      if (!seg || seg.text.length >= SEGMENT_CHARS + 512 || (seg.text.length >= SEGMENT_CHARS && /\s$/.test(seg.text))) {
        const start = seg ? seg.start + seg.text.length : 0;
        seg = { start, text: '', node: el('div', 'segment'), marks: [], drawn: 0, dirty: false };
        block.segments.push(seg);
        block.body.append(seg.node);
      }
      const len = seg.text.length;
      let take: number;
      if (len < SEGMENT_CHARS) take = breakAt(rest, SEGMENT_CHARS - len);
      else {
        // Past the soft limit: close the block at the next whitespace.
        const ws = rest.search(/\s/);
        take = ws >= 0 ? ws + 1 : Math.min(rest.length, SEGMENT_CHARS + 512 - len);
      }
      seg.text += rest.slice(0, take);
      rest = rest.slice(take);
      this.dirty.add(seg);
    }
  }

  private mark(intent: IntentView): void {
    const block = this.blocks.get(intent.turn);
    if (!block) return;
    // Binary search for the first segment the span touches.
    let lo = 0;
    let hi = block.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (block.segments[mid]!.start <= intent.start) lo = mid;
      else hi = mid - 1;
    }
    for (let i = lo; i < block.segments.length; i++) {
      const seg = block.segments[i]!;
      if (seg.start >= intent.end) break;
      if (!seg.marks.includes(intent)) seg.marks.push(intent);
      seg.drawn = -1;
      this.dirty.add(seg);
    }
  }

  private draw(seg: Segment): void {
    if (seg.drawn >= 0 && seg.marks.length === 0) {
      // Plain text: append only the new tail.
      if (seg.text.length > seg.drawn) seg.node.append(document.createTextNode(seg.text.slice(seg.drawn)));
      seg.drawn = seg.text.length;
      return;
    }
    const parts: Node[] = [];
    let at = 0;
    const marks = [...seg.marks].sort((a, b) => a.start - b.start);
    for (const m of marks) {
      const s = Math.max(m.start - seg.start, at);
      const e = Math.min(m.end - seg.start, seg.text.length);
      if (e <= s) continue;
      if (s > at) parts.push(document.createTextNode(seg.text.slice(at, s)));
      const mark = el('mark', `intent outcome-${m.outcome}`, seg.text.slice(s, e));
      mark.dataset.intent = String(m.id);
      mark.dataset.outcome = m.outcome;
      mark.dataset.testid = 'intent';
      mark.tabIndex = 0;
      parts.push(mark);
      at = e;
    }
    if (at < seg.text.length) parts.push(document.createTextNode(seg.text.slice(at)));
    seg.node.replaceChildren(...parts);
    seg.drawn = -1;
  }

  /**
   * Selects an intent: its highlight is marked, scrolled into view and explained; and a
   * formal call: its card is marked and, when there is no intent, scrolled into view.
   */
  select(intentId: number | undefined, call?: { turn: number; callId: string }): void {
    for (const old of this.root.querySelectorAll('.selected')) old.classList.remove('selected');
    this.selected = intentId ?? null;
    this.follow = false;
    const card = call ? this.root.querySelector<HTMLElement>(`.tool-card[data-turn="${call.turn}"][data-call="${CSS.escape(call.callId)}"]`) : null;
    card?.classList.add('selected');
    const marks = intentId !== undefined ? [...this.root.querySelectorAll<HTMLElement>(`mark.intent[data-intent="${intentId}"]`)] : [];
    for (const m of marks) m.classList.add('selected');
    const first = marks[0];
    if (first) {
      first.scrollIntoView({ block: 'center' });
      this.showTip(first);
    } else {
      this.tooltip.hidden = true;
      card?.scrollIntoView({ block: 'nearest' });
    }
  }

  private drawCall(call: ToolCallView): void {
    const turn = this.model.turn(call.turn);
    if (!turn) return;
    const block = this.block(turn);
    const card = el('div', `tool-card${call.isError ? ' error' : ''}`);
    card.dataset.testid = 'tool-card';
    card.dataset.turn = String(call.turn);
    card.dataset.call = call.callId;
    const head = el('div', 'tool-card-head');
    const served = call.served ? ` · ${outcomeWord(servedOutcome(call.served, call.crossTurn === true))}, saved ${formatMs(call.savedMs ?? 0)}` : ` · ${outcomeWord('miss')}: ran when called`;
    head.append(el('span', 'tool-card-name', call.tool), el('span', 'tool-card-args', call.arguments), el('span', 'tool-card-meta', `${formatMs(call.durationMs)}${served}${call.isError ? ' · error' : ''}`));
    const output = el('pre', 'tool-card-output', call.truncated ? `${call.output}…` : call.output);
    output.dataset.testid = 'tool-output';
    card.append(head, output);
    block.calls.append(card);
  }

  private showSelected(): void {
    const mark = this.selected !== null ? this.root.querySelector<HTMLElement>(`mark.intent[data-intent="${this.selected}"]`) : null;
    if (mark) this.showTip(mark);
    else this.tooltip.hidden = true;
  }

  private hover(at: EventTarget | null): void {
    const target = at instanceof Element ? at.closest('mark.intent') : null;
    if (!(target instanceof HTMLElement)) {
      this.showSelected();
      return;
    }
    this.showTip(target);
  }

  private showTip(target: HTMLElement): void {
    const intent = this.model.intent(Number(target.dataset.intent));
    if (!intent) return;
    const x = intent.explanation;
    const pct = (p: number) => `${Math.round(p * 100)}%`;
    const rows: [string, string][] = [
      ['tool', intent.kind === 'warm' ? `${intent.tool} (warm-up)` : intent.tool],
      ['rule', intent.ruleId],
      ['confidence', x && Math.abs(x.probability - x.prior) > 0.005 ? `${pct(x.probability)} (rule ${pct(x.prior)})` : pct(intent.probability)],
      ['arguments', intent.canonical || '{}'],
      ['decision', intent.decision],
      ['outcome', intent.kind === 'warm' && intent.decision === 'warmed' ? outcomeWord('warm') : outcomeWord(outcomeOfTrace(intent.outcome))],
    ];
    if (x) {
      rows.push(['why', x.summary]);
      if (x.latencyMs !== undefined) rows.push(['latency', `typically ${formatMs(x.latencyMs)} a run${x.costPerRunMs !== undefined ? `; an unneeded run costs ${formatMs(x.costPerRunMs)}` : ''}`]);
      if (x.savingMs !== undefined && x.costMs !== undefined) rows.push(['saving vs cost', `${formatMs(x.savingMs)} vs ${formatMs(x.costMs)}`]);
      if (x.budgetUsed !== undefined) rows.push(['budget', `${pct(x.budgetUsed)} used${x.budgetMs !== undefined ? ` of ${formatMs(x.budgetMs)}` : ''}`]);
      if (x.action) rows.push(['to change', x.action]);
    }
    this.tooltip.replaceChildren(
      ...rows.map(([k, v]) => {
        const row = el('div', 'tip-row');
        row.dataset.field = k;
        row.append(el('span', 'tip-key', k), el('span', 'tip-value', v));
        return row;
      }),
    );
    const box = target.getBoundingClientRect();
    this.tooltip.hidden = false;
    const width = this.tooltip.offsetWidth;
    this.tooltip.style.left = `${Math.max(4, Math.min(window.innerWidth - width - 4, box.left))}px`;
    this.tooltip.style.top = `${box.bottom + 4}px`;
  }
}

/**
 * How much of `text` goes into a block with `room` characters left: all of it if it fits, else
 * up to a line break or space shortly after `room` (blocks are laid out apart, so a cut
 * mid-word would break the word), else `room` and the 256 characters after it.
 */
function breakAt(text: string, room: number): number {
  if (text.length <= room) return text.length;
  const window = text.slice(room, room + 256);
  const nl = window.indexOf('\n');
  if (nl >= 0) return room + nl + 1;
  const sp = window.indexOf(' ');
  if (sp >= 0) return room + sp + 1;
  return room + window.length;
}

/** "draft, kept at 8/9 · 412 chars", "base, rewrote a draft scored 3/9 · 230 chars". */
function stepTitle(author: 'draft' | 'base', kind: 'reserved' | 'accepted' | 'rewritten' | 'continued', score: number | null | undefined, chars: number): string {
  const scored = score === null ? 'unscored' : score === undefined ? '' : `${score}/9`;
  const what =
    kind === 'accepted'
      ? `draft, kept${scored ? ` at ${scored}` : ''}`
      : kind === 'rewritten'
        ? `base, rewrote a draft${scored === 'unscored' ? ' the judge did not score' : scored ? ` scored ${scored}` : ''}`
        : kind === 'reserved'
          ? 'base, a reserved first step'
          : `${author}, on to the answer`;
  return `${what} · ${chars} chars`;
}
