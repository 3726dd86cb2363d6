import '@vscode-elements/elements/dist/vscode-button/index.js';
import { isHostTraceMessage, Messenger, type HostToTrace, type TraceMessage, type TraceSource, type TraceToHost } from '../../src/shared/protocol.js';
import { el } from '../shared/dom.js';
import { FiguresView } from './figures-view.js';
import { IntentsView } from './intents-view.js';
import { ReplayControls } from './replay-controls.js';
import { ThinkStream } from './think-stream.js';
import { Timeline, type TimelineSelection, type TimelineView } from './timeline.js';
import { TraceModel, type TraceChange } from './trace-model.js';
import { vscodeApi } from '../shared/vscode-api.js';

/** What the page keeps across reloads; the host sends the events again on `trace/ready`. */
interface TracePageState {
  version: 1;
  timeline: TimelineView;
  source: TraceSource | null;
}

const vscode = vscodeApi<TraceMessage, TracePageState>();
const saved = restore(vscode.getState());
const messenger = new Messenger<TraceToHost, HostToTrace>((message) => vscode.postMessage(message));

const root = document.getElementById('app');
if (!root) throw new Error('the trace page has no #app element');
const model = new TraceModel();
const title = el('header', 'trace-title');
title.dataset.testid = 'trace-title';
const stream = new ThinkStream(model, (id) => select({ turn: model.intent(id)?.turn ?? 0, intentId: id }));
const timeline = new Timeline(
  model,
  () => save(),
  (selection) => select(selection),
);
const figures = new FiguresView(model);
const intents = new IntentsView(model, (intent) => select({ turn: intent.turn, intentId: intent.id, ...(intent.callId !== null ? { callId: intent.callId } : {}) }));

/** One selection across the views: the intent's highlight and row, the call's card. */
function select(selection: TimelineSelection): void {
  const intent = selection.intentId !== undefined ? model.intent(selection.intentId) : undefined;
  const callId = selection.callId ?? intent?.callId ?? undefined;
  stream.select(selection.intentId, callId !== undefined ? { turn: selection.callId !== undefined ? selection.turn : (intent?.turn ?? selection.turn), callId } : undefined);
  intents.select(selection.intentId ?? null);
}
const controls = new ReplayControls(
  (type, payload) => messenger.send(type, payload),
  // Before the first turn has been replayed, a fork starts from the first.
  () => model.turns.reduce((last, t) => Math.max(last, t.turn), 0),
);
controls.update(undefined);
if (saved) timeline.restore(saved.timeline);
const lower = el('div', 'lower');
lower.append(timeline.root, intents.root, figures.root);
root.append(title, controls.root, stream.root, lower);
showSource(saved?.source ?? model.source);

// Batches are applied to the model at once and drawn once per frame.
let frame: number | undefined;
let figuresDirty = false;
function scheduleRender(): void {
  frame ??= requestAnimationFrame(() => {
    frame = undefined;
    stream.render();
    timeline.render();
    intents.render();
    if (figuresDirty) figures.render();
    figuresDirty = false;
  });
}

function take(change: TraceChange): void {
  stream.apply(change);
  if (change.timeline || change.appended.length > 0 || change.intents.length > 0) timeline.invalidate();
  if (change.intents.length > 0) intents.invalidate();
  if (change.figures || change.newTurns.length > 0) figuresDirty = true;
  scheduleRender();
}

function showSource(source: TraceSource): void {
  title.textContent = source.kind === 'live' ? `Live: ${source.title}` : `Replay: ${source.title}`;
  title.dataset.kind = source.kind;
}

function save(): void {
  vscode.setState({ version: 1, timeline: timeline.state, source: model.source });
}

messenger.on('trace/reset', ({ source, replay }) => {
  model.reset(source);
  stream.clear();
  timeline.clear();
  intents.invalidate();
  figuresDirty = true;
  showSource(source);
  controls.update(replay);
  scheduleRender();
  save();
});

messenger.on('trace/events', ({ events, replay }) => {
  if (events.length > 0) take(model.apply(events));
  if (replay) controls.update(replay);
});

window.addEventListener('message', (e: MessageEvent<unknown>) => {
  if (isHostTraceMessage(e.data)) messenger.receive(e.data);
});
messenger.send('trace/ready', {});

function restore(value: unknown): TracePageState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const s = value as Partial<TracePageState>;
  if (s.version !== 1 || typeof s.timeline !== 'object' || s.timeline === null) return undefined;
  return s as TracePageState;
}
