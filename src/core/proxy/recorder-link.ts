import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ProxyRecorder } from './proxy-recorder.js';
import type { RecorderInput, RecorderOutput, RecorderSetup, RecorderWire } from './recorder-messages.js';
import type { StepRunner } from './recording-tap.js';

/** The forwarding side's handle on the recorder; `send` never throws and never waits. */
export interface RecorderLink {
  /** Hands `input` over; the buffers in `transfer` belong to the recorder afterwards. */
  send(input: RecorderInput, transfer?: ArrayBuffer[]): void;
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

// A name, not a literal: bundles never include the TypeScript loader, only source runs use it.
const TS_LOADER = 'tsx/cjs';

/**
 * The recorder in a worker thread of its own, so recording never takes time from forwarding;
 * `scriptPath` overrides where the worker's script is found (a bundle run from elsewhere).
 * A worker that fails is logged and not restarted: forwarding goes on, unrecorded.
 */
export const workerRecorder = (scriptPath?: string): RecorderFactory => (setup, emit) => {
  const script = scriptPath !== undefined ? { path: scriptPath, source: scriptPath.endsWith('.ts') } : recorderWorkerScript();
  // From source the worker has to load TypeScript itself: Node's worker does not take a .ts file.
  const worker = script.source
    ? new Worker(`require(${JSON.stringify(require.resolve(TS_LOADER))}); require(${JSON.stringify(script.path)});`, { eval: true, workerData: setup })
    : new Worker(script.path, { workerData: setup });
  let seq = 0;
  let alive = true;
  const waiting = new Map<number, () => void>();
  const release = () => {
    for (const done of waiting.values()) done();
    waiting.clear();
  };
  worker.on('message', (out: RecorderOutput) => {
    if (out.type === 'settled') {
      waiting.get(out.seq)?.();
      waiting.delete(out.seq);
      return;
    }
    emit(out);
  });
  worker.on('error', (err) => emit({ type: 'log', line: `the recording thread failed, recording stopped: ${err.message}` }));
  worker.on('exit', () => {
    alive = false;
    release();
  });
  const ask = (type: 'settle' | 'close') =>
    new Promise<void>((resolve) => {
      if (!alive) return resolve();
      const n = ++seq;
      waiting.set(n, resolve);
      worker.postMessage({ type, seq: n } satisfies RecorderWire);
    });
  // What was handed over in this turn of the event loop, posted as one message after it: one
  // postMessage per turn rather than per chunk, however many streams are forwarding.
  let batch: RecorderInput[] = [];
  let moved: ArrayBuffer[] = [];
  let flushing = false;
  const flush = () => {
    flushing = false;
    if (batch.length === 0 || !alive) return;
    const inputs = batch;
    const transfer = moved;
    batch = [];
    moved = [];
    try {
      worker.postMessage({ type: 'batch', inputs } satisfies RecorderWire, transfer);
    } catch (err) {
      emit({ type: 'log', line: `could not hand chunks to the recording thread: ${err instanceof Error ? err.message : String(err)}` });
    }
  };
  const askAfterFlush = (type: 'settle' | 'close') => {
    flush();
    return ask(type);
  };
  return {
    send(input, transfer) {
      if (!alive) return;
      batch.push(input);
      if (transfer) for (const b of transfer) moved.push(b);
      if (flushing) return;
      flushing = true;
      setImmediate(flush);
    },
    settled: () => askAfterFlush('settle'),
    async close() {
      await askAfterFlush('close');
      alive = false;
      await worker.terminate();
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
          recorder.take(input);
        } catch (err) {
          emit({ type: 'log', line: `recording failed: ${err instanceof Error ? err.message : String(err)}` });
        }
      },
      settled: () => recorder.settled(),
      close: () => recorder.close(),
    };
  };
}
