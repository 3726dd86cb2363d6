import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ProxyRecorder } from './proxy-recorder.js';
import { RecorderBatch } from './recorder-batch.js';
import type { RecorderInput, RecorderOutput, RecorderSetup, RecorderWire } from './recorder-messages.js';
import type { StepRunner } from './recording-tap.js';

/** The forwarding side's handle on the recorder; `send` never throws and never waits. */
export interface RecorderLink {
  /** Hands `input` over; its bytes are read (copied) during the call only. */
  send(input: RecorderInput): void;
  /** Resolves once everything sent so far is recorded. */
  settled(): Promise<void>;
  /** Records what is left, closes the sessions and ends the recorder. */
  close(): Promise<void>;
}

/** Makes the recorder for a proxy: told its setup and where its output goes. */
export type RecorderFactory = (setup: RecorderSetup, emit: (out: RecorderOutput) => void) => RecorderLink;

/**
 * Where the worker's script is: out/proxy-recorder-worker.js beside the bundle that runs the
 * proxy, or this folder's .ts source when running from source (tests, tsx).
 */
export function recorderWorkerScript(dir: string = __dirname): { path: string; source: boolean } {
  const bundled = join(dir, 'proxy-recorder-worker.js');
  if (existsSync(bundled)) return { path: bundled, source: false };
  return { path: join(dir, 'proxy-recorder-worker.ts'), source: true };
}

export interface WorkerRecorderOptions {
  /** Where the worker's script is, when not beside this module (a bundle run from elsewhere). */
  scriptPath?: string;
  /** The first wait before a failed recording thread is started again, doubled on each failure in a row; 250 ms by default. */
  restartDelayMs?: number;
  /** Failures in a row (each within a minute of its start) after which recording stops for good; 6 by default. */
  maxRestarts?: number;
  /** For tests: the first recording thread crashes after this many inputs. */
  crashAfterInputs?: number;
  /** How long what is handed over gathers before it crosses as one batch; 16 ms by default. */
  batchMs?: number;
}

// A name, not a literal: bundles never include the TypeScript loader, only source runs use it.
const TS_LOADER = 'tsx/cjs';
// A batch gathered while no thread runs is kept up to this size; beyond, its answers go unrecorded (and marked so).
const MAX_WAITING_BYTES = 32 * 1024 * 1024;
// A thread that ran this long before failing starts the backoff again from its first wait.
const HEALTHY_MS = 60_000;
// A batch this large crosses at once rather than at the end of its wait.
const BATCH_BYTES = 256 * 1024;
// The sessions (newest) a restarted thread is told of, to go on with a conversation that continues one.
const MAX_RESUMABLE = 8;

interface InFlight {
  file?: string;
  turn?: number;
  startedAt?: number;
}

/**
 * The recorder in a worker thread of its own, so recording never takes time from forwarding.
 * What is sent crosses in batches, every `batchMs` (or sooner when one grows large): one
 * postMessage, and one wake-up of the recording thread, for many chunks of many streams, so
 * the thread competes for the cores a few dozen times a second, not once per chunk. A thread that
 * dies (a crash, out of memory) costs recording only: forwarding goes on, one line is logged,
 * the answers it was recording get an error record saying they are incomplete, and a new
 * thread is started after a wait that doubles with each failure in a row.
 */
export const workerRecorder =
  (options: WorkerRecorderOptions = {}): RecorderFactory =>
  (setup, emit) => {
    const script = options.scriptPath !== undefined ? { path: options.scriptPath, source: options.scriptPath.endsWith('.ts') } : recorderWorkerScript();
    const firstDelay = options.restartDelayMs ?? 250;
    const batchMs = options.batchMs ?? 16;
    const maxRestarts = options.maxRestarts ?? 6;
    let worker: Worker | undefined;
    let startedAt = 0;
    let failures = 0;
    let closed = false;
    let gaveUp = false;
    let restartTimer: ReturnType<typeof setTimeout> | undefined;
    /** Resolves when a thread runs again (or never will). */
    let restarted: Promise<void> | undefined;
    let markRestarted: () => void = () => {};
    let seq = 0;
    const waiting = new Map<number, () => void>();
    const inFlight = new Map<number, InFlight>();
    /** Session files this proxy's threads recorded, newest last, each with its start (forwarding clock). */
    const recorded = new Map<string, number>();
    /** Requests whose recording died with a thread: what still comes for them is dropped. */
    const lost = new Set<number>();
    const batch = new RecorderBatch();
    let flushTimer: ReturnType<typeof setTimeout> | undefined;
    let flushingNow = false;

    const release = () => {
      for (const done of waiting.values()) done();
      waiting.clear();
    };

    const spawn = (first: boolean) => {
      const resume = [...recorded].map(([file, at]) => ({ file, startedAt: at }));
      const data: RecorderSetup = first
        ? options.crashAfterInputs !== undefined
          ? { ...setup, crashAfterInputs: options.crashAfterInputs }
          : setup
        : resume.length > 0
          ? { ...setup, resume }
          : setup;
      let failure = '';
      let w: Worker;
      try {
        // From source the worker has to load TypeScript itself: Node's worker does not take a .ts file.
        w = script.source
          ? new Worker(`require(${JSON.stringify(require.resolve(TS_LOADER))}); require(${JSON.stringify(script.path)});`, { eval: true, workerData: data })
          : new Worker(script.path, { workerData: data });
      } catch (err) {
        failed(err instanceof Error ? err.message : String(err));
        return;
      }
      worker = w;
      startedAt = Date.now();
      w.on('message', (out: RecorderOutput) => {
        if (out.type === 'settled') {
          waiting.get(out.seq)?.();
          waiting.delete(out.seq);
          return;
        }
        if (out.type === 'turn') {
          const known = inFlight.get(out.id);
          if (known) Object.assign(known, { file: out.file, turn: out.turn, startedAt: out.startedAt });
          recorded.delete(out.file);
          recorded.set(out.file, out.startedAt);
          if (recorded.size > MAX_RESUMABLE) recorded.delete(recorded.keys().next().value!);
          return;
        }
        emit(out);
      });
      w.on('error', (err) => (failure = err.message));
      w.on('exit', (code) => {
        if (worker !== w) return;
        worker = undefined;
        release();
        if (closed) return;
        failed(failure || `it exited with code ${code}`);
      });
    };

    /** The thread died: marks what it was recording, then starts another after the backoff. */
    const failed = (reason: string) => {
      if (Date.now() - startedAt > HEALTHY_MS) failures = 0;
      failures++;
      const marks = [...inFlight.entries()];
      inFlight.clear();
      for (const [id] of marks) lost.add(id);
      const recorded = marks.filter(([, f]) => f.file !== undefined);
      const unplaced = marks.length - recorded.length;
      const now = performance.now();
      for (const [, f] of recorded) {
        batch.add({ type: 'incomplete', file: f.file!, turn: f.turn!, startedAt: f.startedAt!, at: now, message: `Foresight's recorder stopped while this answer streamed (${reason}); the recording of this turn is incomplete. The client got the whole answer.` });
      }
      const what = marks.length === 0 ? 'no answer was being recorded' : `${recorded.length} answer(s) being recorded marked incomplete${unplaced ? `, ${unplaced} not recorded` : ''}`;
      if (failures > maxRestarts) {
        gaveUp = true;
        batch.clear();
        emit({ type: 'log', line: `the recording thread failed again (${reason}); recording stopped after ${maxRestarts} restarts, forwarding goes on; ${what}.` });
        markRestarted();
        return;
      }
      const delay = firstDelay * 2 ** (failures - 1);
      emit({ type: 'log', line: `the recording thread failed (${reason}); forwarding goes on; ${what}; starting a new recording thread in ${delay} ms.` });
      restarted ??= new Promise<void>((resolve) => (markRestarted = resolve));
      restartTimer = setTimeout(() => {
        restartTimer = undefined;
        const done = markRestarted;
        restarted = undefined;
        spawn(false);
        done();
        flush();
      }, delay);
    };

    const flush = () => {
      if (flushTimer) clearTimeout(flushTimer);
      flushTimer = undefined;
      flushingNow = false;
      if (!worker) {
        // No thread now: the batch waits for the next one, within bounds.
        if (batch.byteLength > MAX_WAITING_BYTES) {
          for (const id of batch.ids) lost.add(id);
          batch.clear();
          emit({ type: 'log', line: 'the recording thread is not running and too much is waiting: answers forwarded meanwhile go unrecorded.' });
        }
        return;
      }
      const taken = batch.take();
      if (!taken) return;
      try {
        worker.postMessage(taken.wire, taken.transfer);
      } catch (err) {
        emit({ type: 'log', line: `could not hand chunks to the recording thread: ${err instanceof Error ? err.message : String(err)}` });
      }
    };

    const ask = async (type: 'settle' | 'close'): Promise<void> => {
      flush();
      if (!worker && restarted) {
        await restarted;
        flush();
      }
      const w = worker;
      if (!w) return;
      await new Promise<void>((resolve) => {
        const n = ++seq;
        waiting.set(n, resolve);
        w.postMessage({ type, seq: n } satisfies RecorderWire);
      });
    };

    spawn(true);
    return {
      send(input) {
        if (closed || gaveUp) return;
        if ('id' in input) {
          if (lost.has(input.id)) {
            if (input.type === 'end' || input.type === 'gone' || input.type === 'failed') lost.delete(input.id);
            return;
          }
          if (input.type === 'request') inFlight.set(input.id, {});
          else if (input.type === 'end' || input.type === 'gone' || input.type === 'failed') inFlight.delete(input.id);
        }
        batch.add(input);
        if (batch.byteLength >= BATCH_BYTES) {
          // Large enough to be worth its message now; after this turn, so the writes go first.
          if (!flushingNow) {
            flushingNow = true;
            setImmediate(flush);
          }
          return;
        }
        if (flushTimer || flushingNow) return;
        flushTimer = setTimeout(flush, batchMs);
        // The proxy's server keeps the process alive; a batch in waiting must not.
        flushTimer.unref();
      },
      settled: () => ask('settle'),
      async close() {
        await ask('close');
        closed = true;
        if (restartTimer) clearTimeout(restartTimer);
        if (flushTimer) clearTimeout(flushTimer);
        markRestarted();
        const w = worker;
        worker = undefined;
        await w?.terminate();
        release();
      },
    };
  };

/** The recorder on the calling thread, its steps run by `steps` (a scheduler, or at once). For tests. */
export function inlineRecorder(steps?: StepRunner): RecorderFactory {
  return (setup, emit) => {
    const recorder = new ProxyRecorder(setup, emit, steps);
    return {
      send: (input) => {
        try {
          // The caller may reuse its buffers after the call, as with the worker.
          if (input.type === 'bytes') recorder.take({ ...input, bytes: new Uint8Array(input.bytes) });
          else if (input.type === 'request') recorder.take({ ...input, body: new Uint8Array(input.body) });
          else recorder.take(input);
        } catch (err) {
          emit({ type: 'log', line: `recording failed: ${err instanceof Error ? err.message : String(err)}` });
        }
      },
      settled: () => recorder.settled(),
      close: () => recorder.close(),
    };
  };
}
