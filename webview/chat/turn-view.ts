import type { ToolCardModel, TurnEntry } from './transcript.js';
import { el, setText } from './dom.js';

/** The DOM of one model call: reasoning, tool cards, answer; parts appear when they have content. */
export class TurnView {
  readonly root = el('div', 'turn');
  private reasoning: HTMLElement | undefined;
  private readonly toolList = el('div', 'tools');
  private readonly cards: ToolCardView[] = [];
  private answer: HTMLElement | undefined;

  constructor() {
    this.root.append(this.toolList);
  }

  update(turn: TurnEntry): void {
    this.root.classList.toggle('finished', turn.finished);
    if (turn.reasoning && !this.reasoning) {
      const block = el('div', 'reasoning-block');
      block.append(el('div', 'label', 'Reasoning'));
      this.reasoning = el('div', 'reasoning');
      this.reasoning.dataset.testid = 'reasoning';
      block.append(this.reasoning);
      this.root.prepend(block);
    }
    if (this.reasoning) setText(this.reasoning, turn.reasoning);

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
    }
    if (this.answer) setText(this.answer, turn.answer);
  }
}

const PHASE_TEXT: Record<ToolCardModel['phase'], string> = {
  streaming: 'calling…',
  called: 'called',
  running: 'running…',
  done: '',
};

class ToolCardView {
  readonly root = el('div', 'tool-card');
  private readonly name = el('span', 'tool-name');
  private readonly badge = el('span', 'badge', 'recorded');
  private readonly early = el('span', 'badge speculative');
  private readonly phase = el('span', 'tool-phase');
  private readonly duration = el('span', 'tool-duration');
  private readonly args = el('pre', 'tool-args');
  private readonly result = el('pre', 'tool-result');

  constructor() {
    this.root.dataset.testid = 'tool-card';
    this.name.dataset.testid = 'tool-name';
    this.badge.dataset.testid = 'tool-recorded';
    this.early.dataset.testid = 'tool-speculative';
    this.duration.dataset.testid = 'tool-duration';
    this.args.dataset.testid = 'tool-arguments';
    this.result.dataset.testid = 'tool-result';
    this.badge.title = 'A recorded stand-in replayed this result; nothing was computed.';
    const head = el('div', 'tool-head');
    head.append(this.name, this.badge, this.early, this.phase, this.duration);
    this.root.append(head, this.args, this.result);
  }

  update(card: ToolCardModel): void {
    this.root.dataset.phase = card.phase;
    this.root.classList.toggle('error', card.isError);
    setText(this.name, card.name || '…');
    this.badge.hidden = !card.recorded;
    this.early.hidden = card.speculative === null;
    if (card.speculative) {
      setText(this.early, `${card.speculative.outcome === 'hit' ? 'ran early' : 'started early'} · saved ${formatDuration(card.speculative.savedMs)}`);
      this.early.title =
        card.speculative.outcome === 'hit'
          ? 'Foresight ran this read-only call while the model was still thinking; the result was ready when the call arrived.'
          : 'Foresight started this read-only call while the model was still thinking; the call waited only for the rest of it.';
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
