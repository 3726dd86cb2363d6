import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/** How a child process ended, with what it wrote (each stream capped). */
export interface ProcessOutcome {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  exitSignal: NodeJS.Signals | null;
  timedOut: boolean;
  /** The output passed the cap: the process was stopped and the rest dropped. */
  outputCapped: boolean;
  /** The program could not be started (not installed, say); `code` is Node's (`ENOENT`…). */
  spawnError?: { code: string; message: string };
}

export interface WatchOptions {
  timeoutMs: number;
  /** Most bytes kept of stdout and of stderr each; past it the process is killed. */
  maxOutputBytes: number;
  signal: AbortSignal;
  /** Text written to stdin, which is then closed; stdin is left alone when absent. */
  input?: string;
}

/** Whether child processes are started in their own process group, so a kill reaches their children too. */
export const OWN_PROCESS_GROUP = process.platform !== 'win32';

/** Kills the child and, on POSIX, its whole process group, at once (SIGKILL). */
export function killProcessTree(child: ChildProcess): void {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    if (OWN_PROCESS_GROUP && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    else child.kill('SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

/**
 * Starts `command` (never through a shell unless the caller passes one) in its own process
 * group with piped stdio, and watches it (see `watchProcess`).
 */
export function runProcess(command: string, args: readonly string[], spawnOptions: SpawnOptions, watch: WatchOptions): Promise<ProcessOutcome> {
  watch.signal.throwIfAborted();
  const child = spawn(command, args, { ...spawnOptions, stdio: ['pipe', 'pipe', 'pipe'], detached: OWN_PROCESS_GROUP, windowsHide: true });
  return watchProcess(child, collectOutput(child, watch.maxOutputBytes), watch);
}

/** Output gathered from a child's stdout and stderr, up to a cap each. */
export interface CollectedOutput {
  stdout(): Buffer;
  stderr(): Buffer;
  capped(): boolean;
  /** Called once when a stream passes the cap. */
  onCap(listener: () => void): void;
}

/** Starts gathering a child's output at once (so nothing is lost before it is watched). */
export function collectOutput(child: ChildProcess, maxBytes: number, skipStdoutPrefix = 0): CollectedOutput {
  const streams = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  const sizes = { stdout: 0, stderr: 0 };
  let capped = false;
  let capListener: (() => void) | undefined;
  let toSkip = skipStdoutPrefix;
  const take = (name: 'stdout' | 'stderr') => (chunk: Buffer) => {
    if (name === 'stdout' && toSkip > 0) {
      const skipped = Math.min(toSkip, chunk.length);
      toSkip -= skipped;
      chunk = chunk.subarray(skipped);
    }
    const room = maxBytes - sizes[name];
    if (chunk.length > room) {
      if (room > 0) streams[name].push(chunk.subarray(0, room));
      sizes[name] = maxBytes;
      if (!capped) {
        capped = true;
        capListener?.();
      }
      return;
    }
    streams[name].push(chunk);
    sizes[name] += chunk.length;
  };
  child.stdout?.on('data', take('stdout'));
  child.stderr?.on('data', take('stderr'));
  return {
    stdout: () => Buffer.concat(streams.stdout),
    stderr: () => Buffer.concat(streams.stderr),
    capped: () => capped,
    onCap: (listener) => {
      capListener = listener;
      if (capped) listener();
    },
  };
}

/**
 * Waits for `child` to exit, killing its process group at the timeout, when the output passes
 * the cap, or when `signal` aborts; an abort rejects with an AbortError only once the child
 * has exited, so no process outlives the call.
 */
export function watchProcess(child: ChildProcess, output: CollectedOutput, options: WatchOptions): Promise<ProcessOutcome> {
  return new Promise((resolve, reject) => {
    let timedOut = false;
    let spawnError: { code: string; message: string } | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      killProcessTree(child);
    }, options.timeoutMs);
    const onAbort = () => killProcessTree(child);
    options.signal.addEventListener('abort', onAbort, { once: true });
    output.onCap(() => killProcessTree(child));
    child.once('error', (err: NodeJS.ErrnoException) => {
      spawnError = { code: err.code ?? 'ERROR', message: err.message };
      // A spawn failure emits no 'exit'; end here.
      if (child.pid === undefined) finish(null, null);
    });
    let settled = false;
    const finish = (code: number | null, sig: NodeJS.Signals | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      child.stdout?.destroy();
      child.stderr?.destroy();
      child.stdin?.destroy();
      if (options.signal.aborted) {
        reject(options.signal.reason instanceof Error ? options.signal.reason : new DOMException('aborted', 'AbortError'));
        return;
      }
      resolve({
        stdout: output.stdout().toString('utf8'),
        stderr: output.stderr().toString('utf8'),
        exitCode: code,
        exitSignal: sig,
        timedOut,
        outputCapped: output.capped(),
        ...(spawnError ? { spawnError } : {}),
      });
    };
    // 'exit', not 'close': a grandchild that escaped the group may hold the pipes open.
    // Wait for the pipes briefly so the last output is in.
    const onExit = (code: number | null, sig: NodeJS.Signals | null) => {
      let pending = [child.stdout, child.stderr].filter((s) => s && !s.readableEnded && !s.destroyed).length;
      if (pending === 0 || options.signal.aborted) {
        finish(code, sig);
        return;
      }
      const grace = setTimeout(() => finish(code, sig), 200);
      const ended = () => {
        pending--;
        if (pending === 0) {
          clearTimeout(grace);
          finish(code, sig);
        }
      };
      child.stdout?.once('end', ended);
      child.stderr?.once('end', ended);
    };
    // A child started earlier (a warm interpreter) may be gone already.
    if (child.exitCode !== null || child.signalCode !== null) onExit(child.exitCode, child.signalCode);
    else child.once('exit', onExit);
    if (options.signal.aborted) killProcessTree(child);
    if (options.input !== undefined && child.stdin) {
      child.stdin.on('error', () => {});
      child.stdin.end(options.input);
    }
  });
}
