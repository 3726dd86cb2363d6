import { Worker } from 'node:worker_threads';
import type { ToolSpec } from '../../core/chat/types.js';
import type { EvaluationResult } from '../analysis/evaluation-result.js';
import type { WorkerRequest, WorkerResponse } from './worker-messages.js';

type Pending = { resolve: (r: WorkerResponse) => void; timer: unknown };

/** Where request deadlines are kept; tests pass their own to expire one deliberately. */
export interface DeadlineTimers {
  set(expire: () => void, ms: number): unknown;
  clear(timer: unknown): void;
}

const REAL_TIMERS: DeadlineTimers = { set: (expire, ms) => setTimeout(expire, ms), clear: (timer) => clearTimeout(timer as NodeJS.Timeout) };

/** What an evaluation came to: a result, or a timeout after which the worker was restarted. */
export type EvaluationOutcome = { ok: true; result: EvaluationResult } | { ok: false; message: string };

/**
 * The main thread's handle on the evaluation worker. Every request has a deadline; a worker
 * that misses one (a regex that slipped past the checks and backtracks) is terminated and a
 * fresh one started with the same sessions, so the server never hangs.
 */
export class EvaluationWorker {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private sessionPaths: string[] = [];

  constructor(
    private readonly scriptPath: string,
    private readonly timeoutMs = 10_000,
    private readonly timers: DeadlineTimers = REAL_TIMERS,
  ) {}

  async setSessions(paths: string[]): Promise<{ tools: ToolSpec[]; sessions: number; problems: string[] }> {
    this.sessionPaths = paths;
    const response = await this.request({ type: 'setSessions', paths }, 60_000);
    if (response.type === 'sessions') return response;
    throw new Error(response.type === 'failed' ? response.message : 'unexpected answer from the evaluation worker');
  }

  /** `testsOnly`: run the tests and ReDoS checks, not the re-sniffing of the sessions. */
  async evaluate(text: string, tools: ToolSpec[], testsOnly = false): Promise<EvaluationOutcome> {
    const response = await this.request({ type: 'evaluate', text, tools, ...(testsOnly ? { testsOnly } : {}) }, this.timeoutMs);
    if (response.type === 'evaluated') return { ok: true, result: response.result };
    return { ok: false, message: response.type === 'failed' ? response.message : 'unexpected answer from the evaluation worker' };
  }

  dispose(): void {
    this.failAll('the server is shutting down');
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private request(body: DistributiveOmit<WorkerRequest, 'id'>, timeoutMs: number): Promise<WorkerResponse> {
    const id = this.nextId++;
    const worker = this.ensureWorker();
    return new Promise((resolve) => {
      const timer = this.timers.set(() => {
        this.pending.delete(id);
        resolve({ id, type: 'failed', message: `evaluating the rules took longer than ${Math.round(timeoutMs / 1000)} s and was stopped; a pattern may backtrack catastrophically` });
        this.restart();
      }, timeoutMs);
      this.pending.set(id, { resolve, timer });
      worker.postMessage({ ...body, id } as WorkerRequest);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.scriptPath);
    worker.unref();
    worker.on('message', (response: WorkerResponse) => {
      const p = this.pending.get(response.id);
      if (!p) return;
      this.timers.clear(p.timer);
      this.pending.delete(response.id);
      p.resolve(response);
    });
    worker.on('error', (err) => {
      if (this.worker === worker) this.worker = undefined;
      this.failAll(`the evaluation worker failed: ${err.message}`);
    });
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
    });
    this.worker = worker;
    return worker;
  }

  private restart(): void {
    const old = this.worker;
    this.worker = undefined;
    this.failAll('the evaluation worker was restarted');
    void old?.terminate();
    if (this.sessionPaths.length > 0) void this.setSessions(this.sessionPaths).catch(() => undefined);
  }

  private failAll(message: string): void {
    for (const [id, p] of this.pending) {
      this.timers.clear(p.timer);
      p.resolve({ id, type: 'failed', message });
    }
    this.pending.clear();
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
