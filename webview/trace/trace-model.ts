import type { TraceDecisionExplanation, TraceEvent, TraceOutcome, TraceSource, TraceTurnFigures } from '../../src/shared/protocol.js';

/** A sniffed intent as the think stream highlights it. */
export interface IntentView {
  id: number;
  turn: number;
  kind: 'call' | 'warm';
  tool: string;
  canonical: string;
  ruleId: string;
  probability: number;
  decision: string;
  /** Offsets in the turn's reasoning. */
  start: number;
  end: number;
  outcome: TraceOutcome;
  /** When it was sniffed. */
  t: number;
  /** Absent in traces made before explanations existed. */
  explanation?: TraceDecisionExplanation;
  /** The formal call it predicted, once one was claimed. */
  callId: string | null;
  /** Decided while a proxied turn streamed: what speculation would do, not what it did. */
  prediction?: true;
}

/** A formal call's result, as the model got it: the `toolResult` event, kept as it came. */
export type ToolCallView = Omit<Extract<TraceEvent, { type: 'toolResult' }>, 'type'>;

/** One speculative run on the timeline. */
export interface SpecBar {
  specId: number;
  turn: number;
  tool: string;
  canonical: string;
  ruleId: string;
  start: number;
  /** Null while it runs. */
  end: number | null;
  /** When the formal call it served was sealed, if one was. */
  sealAt: number | null;
  outcome: TraceOutcome;
  intentId: number | null;
  /** The formal call it served or was claimed for, and that call's turn (a later one for a cross-turn hit). */
  callId: string | null;
  callTurn: number | null;
  /** Tool time the formal call did not wait for. */
  savedMs: number;
}

/** A formal call's seal, drawn on its tool's lane. */
export interface SealMark {
  turn: number;
  t: number;
  callId: string;
  tool: string;
  outcome: TraceOutcome;
  /** The call's canonical arguments, once claimed. */
  canonical: string | null;
}

export interface TurnTrace {
  turn: number;
  label: string;
  start: number;
  /** Characters of reasoning received. */
  length: number;
  figures: TraceTurnFigures | null;
  /** The answer text streamed in this turn. */
  answer: string;
  /** SpecReason: who wrote each stretch of the reasoning, in order; empty for other turns. */
  steps: StepView[];
  /** SpecReason: the turn's figures in one line, once the turn has ended; null before and for other turns. */
  specReasonFigures: string | null;
}

/** One SpecReason step of a turn's reasoning. */
export interface StepView {
  start: number;
  end: number;
  author: 'draft' | 'base';
  kind: 'reserved' | 'accepted' | 'rewritten' | 'continued';
  score: number | null | undefined;
}

/** What applying a batch changed, so the views redraw only that. */
export interface TraceChange {
  /** Reasoning appended, per turn, in order. */
  appended: { turn: number; text: string }[];
  newTurns: TurnTrace[];
  /** Intents added or whose outcome changed. */
  intents: IntentView[];
  timeline: boolean;
  figures: boolean;
  /** Tool results added. */
  calls: ToolCallView[];
  /** Turns whose answer text changed. */
  answers: TurnTrace[];
  /** Turns whose SpecReason steps changed. */
  steps: TurnTrace[];
}

/** Colours by outcome follow the claim: hit and partial served the call, miss did not, misfire ran for nothing. */
function claimOutcome(outcome: 'hit' | 'partial' | 'miss' | 'stale'): TraceOutcome {
  return outcome === 'stale' ? 'miss' : outcome;
}

/**
 * The trace as the panel draws it, built from trace events in order: turns with their
 * reasoning length and figures, intents with their outcome (blocked, skipped, pending until a
 * claim or misfire settles it), speculation bars and formal-call seals. Applying the same
 * events in any batching gives the same model.
 */
export class TraceModel {
  source: TraceSource = { kind: 'live', title: 'Live chat' };
  readonly turns: TurnTrace[] = [];
  readonly intents: IntentView[] = [];
  readonly bars: SpecBar[] = [];
  readonly seals: SealMark[] = [];
  readonly calls: ToolCallView[] = [];
  /** Latest event time seen. */
  endT = 0;
  private readonly turnByIndex = new Map<number, TurnTrace>();
  private readonly intentById = new Map<number, IntentView>();
  private readonly barById = new Map<string, SpecBar>();

  reset(source: TraceSource): void {
    this.source = source;
    this.turns.length = 0;
    this.intents.length = 0;
    this.bars.length = 0;
    this.seals.length = 0;
    this.calls.length = 0;
    this.endT = 0;
    this.turnByIndex.clear();
    this.intentById.clear();
    this.barById.clear();
  }

  turn(index: number): TurnTrace | undefined {
    return this.turnByIndex.get(index);
  }

  intent(id: number): IntentView | undefined {
    return this.intentById.get(id);
  }

  apply(events: readonly TraceEvent[]): TraceChange {
    const change: TraceChange = { appended: [], newTurns: [], intents: [], timeline: false, figures: false, calls: [], answers: [], steps: [] };
    const touched = new Set<IntentView>();
    for (const e of events) {
      this.endT = Math.max(this.endT, e.t);
      switch (e.type) {
        case 'turnStart':
          this.ensureTurn(e.turn, e.t, e.label, change);
          break;
        case 'reasoning': {
          const turn = this.ensureTurn(e.turn, e.t, `turn ${e.turn + 1}`, change);
          turn.length += e.text.length;
          const last = change.appended[change.appended.length - 1];
          if (last && last.turn === e.turn) last.text += e.text;
          else change.appended.push({ turn: e.turn, text: e.text });
          break;
        }
        case 'intent': {
          const view: IntentView = {
            id: e.id,
            turn: e.turn,
            kind: e.kind,
            tool: e.tool,
            canonical: e.canonical,
            ruleId: e.ruleId,
            probability: e.probability,
            decision: e.decision,
            start: e.span.start,
            end: e.span.end,
            outcome: e.decision === 'blocked' ? 'blocked' : e.decision === 'fired' ? 'pending' : 'skipped',
            t: e.t,
            ...(e.explanation ? { explanation: e.explanation } : {}),
            callId: null,
            ...(e.prediction ? { prediction: true as const } : {}),
          };
          this.intents.push(view);
          this.intentById.set(view.id, view);
          touched.add(view);
          // The speculator may report the run before the intent that fired it.
          if (e.decision === 'fired') {
            const bar = this.bars.find((b) => b.intentId === null && b.turn === e.turn && b.tool === e.tool && b.canonical === e.canonical);
            if (bar) {
              bar.intentId = view.id;
              if (bar.outcome !== 'pending') view.outcome = bar.outcome;
            }
          }
          break;
        }
        case 'specStart': {
          const intent = this.findIntent(e.turn, e.tool, e.canonical, (i) => i.decision === 'fired');
          const bar: SpecBar = { specId: e.specId, turn: e.turn, tool: e.tool, canonical: e.canonical, ruleId: e.ruleId, start: e.t, end: null, sealAt: null, outcome: 'pending', intentId: intent?.id ?? null, callId: null, callTurn: null, savedMs: 0 };
          this.bars.push(bar);
          this.barById.set(barKey(e.turn, e.specId), bar);
          change.timeline = true;
          break;
        }
        case 'specEnd': {
          const bar = this.barById.get(barKey(e.turn, e.specId));
          if (bar) bar.end = e.t;
          change.timeline = true;
          break;
        }
        case 'seal':
          this.seals.push({ turn: e.turn, t: e.t, callId: e.callId, tool: e.tool, outcome: 'pending', canonical: null });
          change.timeline = true;
          break;
        case 'claim': {
          const outcome = claimOutcome(e.outcome);
          const seal = this.seals.find((s) => s.turn === e.turn && s.callId === e.callId);
          if (seal) {
            seal.outcome = outcome;
            seal.canonical = e.canonical;
          }
          const bar = e.specId !== undefined ? (this.barById.get(barKey(e.turn, e.specId)) ?? this.latestBar(e.specId)) : undefined;
          if (bar) {
            bar.outcome = outcome;
            bar.sealAt = seal?.t ?? e.t;
            bar.callId = e.callId;
            bar.callTurn = e.turn;
            bar.savedMs = e.savedMs;
            const intent = bar.intentId !== null ? this.intentById.get(bar.intentId) : undefined;
            if (intent) {
              intent.callId = e.callId;
              this.settle(intent, outcome, touched);
            }
          } else {
            for (const i of this.intents) if (i.turn === e.turn && i.tool === e.tool && i.canonical === e.canonical && i.outcome !== 'blocked') this.settle(i, outcome, touched);
          }
          // Blocked and skipped intents of the same call point at it too.
          for (const i of this.intents) {
            if (i.turn === e.turn && i.tool === e.tool && i.canonical === e.canonical && i.callId === null) {
              i.callId = e.callId;
              touched.add(i);
            }
          }
          change.timeline = true;
          break;
        }
        case 'misfire': {
          const bar = this.barById.get(barKey(e.turn, e.specId));
          if (bar) {
            bar.outcome = 'misfire';
            if (bar.end === null) bar.end = e.t;
            const intent = bar.intentId !== null ? this.intentById.get(bar.intentId) : undefined;
            if (intent) this.settle(intent, 'misfire', touched);
          }
          change.timeline = true;
          break;
        }
        case 'figures': {
          const turn = this.ensureTurn(e.turn, e.t, `turn ${e.turn + 1}`, change);
          turn.figures = e.figures;
          change.figures = true;
          break;
        }
        case 'toolResult': {
          const { type: _type, ...view } = e;
          this.ensureTurn(e.turn, e.t, `turn ${e.turn + 1}`, change);
          this.calls.push(view);
          change.calls.push(view);
          change.timeline = true;
          break;
        }
        case 'answer': {
          const turn = this.ensureTurn(e.turn, e.t, `turn ${e.turn + 1}`, change);
          turn.answer = e.replace ? e.text : turn.answer + e.text;
          if (!change.answers.includes(turn)) change.answers.push(turn);
          break;
        }
        case 'reasoningStep': {
          const turn = this.ensureTurn(e.turn, e.t, `turn ${e.turn + 1}`, change);
          // The same step delivered twice (a replay seeking back) is kept once.
          if (!turn.steps.some((s) => s.start === e.start && s.end === e.end)) turn.steps.push({ start: e.start, end: e.end, author: e.author, kind: e.kind, score: e.score });
          if (!change.steps.includes(turn)) change.steps.push(turn);
          break;
        }
        case 'specReasonFigures': {
          const turn = this.ensureTurn(e.turn, e.t, `turn ${e.turn + 1}`, change);
          turn.specReasonFigures = e.text;
          if (!change.steps.includes(turn)) change.steps.push(turn);
          break;
        }
        default: {
          const unknown: never = e;
          void unknown;
        }
      }
    }
    change.intents = [...touched];
    return change;
  }

  /** The sum of every turn's figures. */
  totals(): TraceTurnFigures | null {
    const all = this.turns.map((t) => t.figures).filter((f): f is TraceTurnFigures => f !== null);
    if (all.length === 0) return null;
    const sum = { ...all[0]! };
    for (const f of all.slice(1)) for (const k of Object.keys(sum) as (keyof TraceTurnFigures)[]) sum[k] += f[k];
    return sum;
  }

  /** The tool result of a formal call. */
  call(turn: number, callId: string): ToolCallView | undefined {
    return this.calls.find((c) => c.turn === turn && c.callId === callId);
  }

  /** A cross-turn claim names a speculation fired in an earlier turn. */
  private latestBar(specId: number): SpecBar | undefined {
    for (let k = this.bars.length - 1; k >= 0; k--) if (this.bars[k]!.specId === specId) return this.bars[k];
    return undefined;
  }

  private settle(intent: IntentView, outcome: TraceOutcome, touched: Set<IntentView>): void {
    if (intent.outcome === outcome) return;
    intent.outcome = outcome;
    touched.add(intent);
  }

  private findIntent(turn: number, tool: string, canonical: string, ok: (i: IntentView) => boolean): IntentView | undefined {
    for (let k = this.intents.length - 1; k >= 0; k--) {
      const i = this.intents[k]!;
      if (i.turn === turn && i.tool === tool && i.canonical === canonical && ok(i)) return i;
      if (i.turn < turn) break;
    }
    return undefined;
  }

  private ensureTurn(index: number, t: number, label: string, change: TraceChange): TurnTrace {
    let turn = this.turnByIndex.get(index);
    if (!turn) {
      turn = { turn: index, label, start: t, length: 0, figures: null, answer: '', steps: [], specReasonFigures: null };
      this.turns.push(turn);
      this.turnByIndex.set(index, turn);
      change.newTurns.push(turn);
    }
    return turn;
  }
}

function barKey(turn: number, specId: number): string {
  return `${turn}:${specId}`;
}
