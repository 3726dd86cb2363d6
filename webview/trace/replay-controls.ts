import { REPLAY_SPEEDS, type ReplayState, type TraceToHost } from '../../src/shared/protocol.js';
import { button, el, formatMs } from '../shared/dom.js';

type Send = <K extends keyof TraceToHost & string>(type: K, payload: TraceToHost[K]) => void;

const SPEEDS = [1, 2, 5, 10, 20].filter((s) => s >= REPLAY_SPEEDS.min && s <= REPLAY_SPEEDS.max);

/** The replay bar: play/pause, speed, step to the next intent or call, a scrubber, the re-sniff toggle, and fork into chat. */
export class ReplayControls {
  readonly root = el('section', 'replay-controls');
  private readonly playButton = button('Play', 'replay-play', { secondary: true });
  private readonly speed = el('select', 'replay-speed');
  private readonly scrubber = el('input', 'replay-scrubber');
  private readonly where = el('span', 'replay-position');
  private readonly resniff = el('input');
  private readonly fork = button('Fork into chat…', 'replay-fork', { secondary: true, title: 'Continue this session live in the chat from the turn shown (asks first)' });
  private state: ReplayState | undefined;

  /** `shownTurn` is the turn the replay has reached (0-based), which a fork continues from. */
  constructor(send: Send, shownTurn: () => number) {
    this.root.dataset.testid = 'replay-controls';
    this.speed.dataset.testid = 'replay-speed';
    this.speed.setAttribute('aria-label', 'Replay speed');
    for (const s of SPEEDS) {
      const o = el('option', undefined, `${s}x`);
      o.value = String(s);
      this.speed.append(o);
    }
    this.scrubber.type = 'range';
    this.scrubber.min = '0';
    this.scrubber.dataset.testid = 'replay-scrubber';
    this.scrubber.setAttribute('aria-label', 'Replay position');
    this.where.dataset.testid = 'replay-position';
    this.resniff.type = 'checkbox';
    this.resniff.dataset.testid = 'replay-resniff';
    const resniffLabel = el('label', 'replay-resniff');
    resniffLabel.append(this.resniff, document.createTextNode(' re-sniff with current rules'));
    const stepIntent = button('Next intent', 'replay-step-intent', { secondary: true, title: 'Play up to the next sniffed intent' });
    const stepCall = button('Next call', 'replay-step-call', { secondary: true, title: 'Play up to the next formal tool call' });
    this.root.append(this.playButton, this.speed, stepIntent, stepCall, this.scrubber, this.where, resniffLabel, this.fork);

    this.playButton.addEventListener('click', () => send(this.state?.playing ? 'replay/pause' : 'replay/play', {}));
    this.speed.addEventListener('change', () => send('replay/speed', { speed: Number(this.speed.value) }));
    stepIntent.addEventListener('click', () => send('replay/step', { to: 'intent' }));
    stepCall.addEventListener('click', () => send('replay/step', { to: 'call' }));
    this.scrubber.addEventListener('input', () => send('replay/seek', { position: Number(this.scrubber.value) }));
    this.resniff.addEventListener('change', () => send('replay/resniff', { on: this.resniff.checked }));
    this.fork.addEventListener('click', () => {
      if (this.state) send('replay/fork', { turn: shownTurn() });
    });
  }

  update(state: ReplayState | undefined): void {
    this.state = state;
    this.root.hidden = state === undefined;
    this.fork.toggleAttribute('disabled', state === undefined);
    if (!state) return;
    this.playButton.textContent = state.playing ? 'Pause' : 'Play';
    this.playButton.dataset.playing = String(state.playing);
    if (this.speed.value !== String(state.speed)) this.speed.value = String(state.speed);
    this.scrubber.max = String(state.total);
    // Do not fight the user's drag.
    if (document.activeElement !== this.scrubber) this.scrubber.value = String(state.position);
    this.where.textContent = `${state.position}/${state.total} · ${formatMs(state.timeMs)} of ${formatMs(state.durationMs)}`;
    this.resniff.checked = state.resniff;
  }
}
