import type { ReasoningStepMark, ToolCardModel, TurnEntry } from './transcript.js';
import { el, setText } from '../shared/dom.js';
import { markdownFragment } from './markdown.js';
import { OUTCOME_WORDS, servedOutcome } from '../../src/shared/outcome-words.js';

/** The DOM of one model call: a thinking block, tool cards, the answer as markdown; parts appear when they have content. */
export class TurnView {
  readonly root = el('div', 'turn');
  private reasoning: HTMLElement | undefined;
  private thinking: HTMLElement | undefined;
  private thinkingSummary: HTMLElement | undefined;
  private thinkingDone = false;
  private readonly toolList = el('div', 'tools');
  private readonly noticeList = el('div', 'turn-notices');
  private shownNotices = 0;
  /** What the reasoning element shows, to redraw the stepped reasoning only when it changed. */
  private drawnReasoning = '';
  private drawnSteps = -1;
  private readonly cards: ToolCardView[] = [];
  private answer: HTMLElement | undefined;
  private renderedAnswer = '';
  private answerFrame: number | undefined;
  private latestAnswer = '';

  constructor() {
    this.root.append(this.noticeList, this.toolList);
  }

  update(turn: TurnEntry): void {
    this.root.classList.toggle('finished', turn.finished);
    if (turn.reasoning && !this.reasoning) {
      // Not a <details>: folded, the reasoning stays laid out (clipped to a preview), so it can still be read and selected.
      const block = el('div', 'reasoning-block');
      block.dataset.testid = 'thinking';
      const summary = (this.thinkingSummary = el('div', 'thinking-summary'));
      summary.dataset.testid = 'thinking-summary';
      summary.setAttribute('role', 'button');
      summary.tabIndex = 0;
      const toggle = () => this.setThinkingOpen(!block.hasAttribute('data-open'));
      summary.addEventListener('click', toggle);
      summary.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          toggle();
        }
      });
      this.reasoning = el('div', 'reasoning');
      this.reasoning.id = `reasoning-${++reasoningIds}`;
      summary.setAttribute('aria-controls', this.reasoning.id);
      this.reasoning.dataset.testid = 'reasoning';
      block.append(summary, this.reasoning);
      this.thinking = block;
      this.setThinkingOpen(true);
      this.root.prepend(block);
    }
    if (this.reasoning) this.drawReasoning(this.reasoning, turn);
    this.updateThinking(turn);
    this.updateNotices(turn.notices ?? []);

    turn.tools.forEach((card, i) => {
      let view = this.cards[i];
      if (!view) {
        view = new ToolCardView();
        this.cards.push(view);
        this.toolList.append(view.root);
      }
      view.update(card);
    });

    if (turn.answer && !this.answer) {
      this.answer = el('div', 'answer');
      this.answer.dataset.testid = 'answer';
      this.root.append(this.answer);
    } else if (!turn.answer && this.answer) {
      this.answer.remove();
      this.answer = undefined;
      this.renderedAnswer = '';
    }
    this.latestAnswer = turn.answer;
    // Markdown is re-rendered at most once a frame while the answer streams.
    if (this.answer && turn.answer !== this.renderedAnswer) this.answerFrame ??= requestAnimationFrame(() => this.renderAnswer());
  }

  /** Plain text, or in SpecReason mode one element per step with a small label saying who wrote it; all set as text, never markup. */
  private drawReasoning(target: HTMLElement, turn: TurnEntry): void {
    const steps = turn.steps ?? [];
    if (steps.length === 0) {
      setText(target, turn.reasoning);
      return;
    }
    if (turn.reasoning === this.drawnReasoning && steps.length === this.drawnSteps) return;
    this.drawnReasoning = turn.reasoning;
    this.drawnSteps = steps.length;
    const parts: Node[] = [];
    let at = 0;
    for (const step of steps) {
      const start = Math.max(at, Math.min(step.start, turn.reasoning.length));
      const end = Math.max(start, Math.min(step.end, turn.reasoning.length));
      if (start > at) parts.push(document.createTextNode(turn.reasoning.slice(at, start)));
      parts.push(stepElement(step, turn.reasoning.slice(start, end)));
      at = end;
    }
    if (at < turn.reasoning.length) parts.push(document.createTextNode(turn.reasoning.slice(at)));
    target.replaceChildren(...parts);
  }

  private updateNotices(notices: readonly string[]): void {
    for (; this.shownNotices < notices.length; this.shownNotices++) {
      const line = el('div', 'notice turn-notice', notices[this.shownNotices]);
      line.dataset.testid = 'turn-notice';
      this.noticeList.append(line);
    }
  }

  private renderAnswer(): void {
    this.answerFrame = undefined;
    if (!this.answer) return;
    this.renderedAnswer = this.latestAnswer;
    this.answer.replaceChildren(markdownFragment(this.latestAnswer));
  }

  private updateThinking(turn: TurnEntry): void {
    const info = turn.thinking;
    if (!this.thinking || !this.thinkingSummary) return;
    const done = info ? info.durationMs !== null : turn.finished;
    const tokens = info ? ` · ${info.tokens} token${info.tokens === 1 ? '' : 's'}` : '';
    setText(this.thinkingSummary, done ? `Thought for ${formatDuration(info?.durationMs ?? 0)}${tokens}` : `Thinking…${tokens}`);
    this.thinking.dataset.state = done ? 'done' : 'streaming';
    if (done && !this.thinkingDone) this.setThinkingOpen(false);
    this.thinkingDone = done;
  }

  private setThinkingOpen(open: boolean): void {
    this.thinking?.toggleAttribute('data-open', open);
    this.thinkingSummary?.setAttribute('aria-expanded', String(open));
  }
}

let reasoningIds = 0;

/** One step of a SpecReason turn: its text with a thin border in its author's colour and a label such as "draft 8/9". */
function stepElement(step: ReasoningStepMark, text: string): HTMLElement {
  const box = el('span', `reasoning-step by-${step.author}`);
  box.dataset.testid = 'reasoning-step';
  box.dataset.author = step.author;
  box.dataset.kind = step.kind;
  const label = el('span', 'step-label', stepLabel(step));
  label.dataset.testid = 'step-label';
  label.title = STEP_TITLE[step.kind];
  // The blank line that ends a step is the block's own margin here.
  box.append(label, document.createTextNode(text.replace(/\s+$/, '')));
  return box;
}

/** "draft 8/9" for a kept draft; "base · draft 3/9" for a rewrite of a rejected draft; "base" for the steps no draft was judged for. */
export function stepLabel(step: ReasoningStepMark): string {
  const score = step.score === null ? 'unscored' : `${step.score}/9`;
  if (step.kind === 'accepted') return `draft ${score}`;
  if (step.kind === 'rewritten') return `base · draft ${score}`;
  return step.author;
}

const STEP_TITLE: Record<ReasoningStepMark['kind'], string> = {
  reserved: 'A first step the base model writes itself (foresight.specReason.reservedSteps).',
  accepted: 'Written by the draft model and kept: the base model scored it at or above foresight.specReason.threshold.',
  rewritten: 'The base model scored the draft below the threshold and wrote this step itself.',
  continued: 'The base model went on from the kept steps to the answer.',
};

const PHASE_TEXT: Record<ToolCardModel['phase'], string> = {
  streaming: 'calling…',
  called: 'called',
  running: 'running…',
  done: '',
};

class ToolCardView {
  readonly root = el('div', 'tool-card');
  private readonly name = el('span', 'tool-name');
  private readonly server = el('span', 'tool-server');
  private readonly badge = el('span', 'badge', 'recorded');
  private readonly early = el('span', 'badge speculative');
  private readonly phase = el('span', 'tool-phase');
  private readonly duration = el('span', 'tool-duration');
  private readonly args = el('pre', 'tool-args');
  private readonly result = el('pre', 'tool-result');

  constructor() {
    this.root.dataset.testid = 'tool-card';
    this.name.dataset.testid = 'tool-name';
    this.server.dataset.testid = 'tool-server';
    this.badge.dataset.testid = 'tool-recorded';
    this.early.dataset.testid = 'tool-speculative';
    this.duration.dataset.testid = 'tool-duration';
    this.args.dataset.testid = 'tool-arguments';
    this.result.dataset.testid = 'tool-result';
    this.badge.title = 'A recorded stand-in replayed this result; nothing was computed.';
    const head = el('div', 'tool-head');
    head.append(this.name, this.server, this.badge, this.early, this.phase, this.duration);
    this.root.append(head, this.args, this.result);
  }

  update(card: ToolCardModel): void {
    this.root.dataset.phase = card.phase;
    this.root.classList.toggle('error', card.isError);
    setText(this.name, card.name || '…');
    // The server's name is text its configuration chose: set as text, never as markup.
    // A transcript saved before cards had a server has none: typeof, not === null.
    const server = typeof card.server === 'string' ? card.server : '';
    this.server.hidden = server === '';
    setText(this.server, server === '' ? '' : `from ${server}`);
    this.server.title = server === '' ? '' : `A tool of the MCP server "${server}"`;
    this.badge.hidden = !card.recorded;
    this.early.hidden = card.speculative === null;
    if (card.speculative) {
      const words = OUTCOME_WORDS[servedOutcome(card.speculative.outcome, card.speculative.crossTurn === true)];
      setText(this.early, `${words.word} · saved ${formatDuration(card.speculative.savedMs)}`);
      this.early.title = `${words.word}: Foresight ${words.meaning}.`;
    }
    setText(this.phase, PHASE_TEXT[card.phase]);
    setText(this.duration, card.durationMs === null ? '' : formatDuration(card.durationMs));
    setText(this.args, card.phase === 'streaming' ? card.arguments : readableJson(card.arguments, 0));
    this.result.hidden = card.phase !== 'done';
    setText(this.result, readableJson(card.output, 2));
  }
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** JSON objects and arrays re-printed (indented when `indent` > 0); any other text as it is. */
function readableJson(text: string, indent: number): string {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return text;
  try {
    return JSON.stringify(JSON.parse(trimmed), null, indent);
  } catch {
    return text;
  }
}
