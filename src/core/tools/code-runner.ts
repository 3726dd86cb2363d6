import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Tool, ToolResult } from '../chat/tool.js';
import { processReport } from './workspace/process-report.js';
import { collectOutput, killProcessTree, OWN_PROCESS_GROUP, runProcess, watchProcess, type CollectedOutput } from './workspace/run-process.js';

/** The languages `run_code` may offer. */
export type CodeLanguage = 'javascript' | 'python';

export interface CodeRunnerOptions {
  /** How long the code may run once sent (ms); 10 s by default. */
  timeLimitMs?: number;
  /** Most bytes kept of stdout and of stderr each; past it the program is stopped. 64 KiB by default. */
  maxOutputBytes?: number;
  /** The Node.js program; the current `process.execPath` by default (VS Code's, run as Node). */
  node?: string;
  /** The Python program; `python3` by default; null never offers Python. */
  python?: string | null;
  /** A warm interpreter nobody used is stopped after this long (ms); 60 s by default. */
  idleMs?: number;
  /** Where each run's scratch folder is made; the system's temporary folder by default. */
  scratchParent?: string;
}

/** `run_code` with its warm-up and its clean-up. */
export interface CodeRunner extends Tool {
  /** What the schema's `language` enum offers: JavaScript always, Python where it was found. */
  readonly languages: readonly CodeLanguage[];
  /** Starts one interpreter per offered language (at most one each), resolving once they wait for code. */
  warm(signal: AbortSignal): Promise<void>;
  /** Starts the interpreter of one language ahead, resolving once it waits for code. */
  warmLanguage(language: CodeLanguage, signal: AbortSignal): Promise<void>;
  /** Languages with an interpreter started ahead and not yet used. */
  warmLanguages(): CodeLanguage[];
  /** Stops every interpreter, warm or running, and removes their scratch folders. */
  dispose(): Promise<void>;
}

// The interpreter writes this byte once its runtime is loaded, then reads the program from stdin.
const READY = 0x06;

// Kept free of any name the program could see: it runs in its own function scope.
const NODE_BOOTSTRAP = `(() => {
  const { compileFunction } = require('node:vm');
  const { createRequire } = require('node:module');
  const { join } = require('node:path');
  const file = join(process.cwd(), 'main.js');
  const chunks = [];
  process.stdin.on('data', (c) => chunks.push(c));
  process.stdin.on('end', () => {
    const program = compileFunction(Buffer.concat(chunks).toString('utf8'), ['exports', 'require', 'module', '__filename', '__dirname'], { filename: 'main.js' });
    const mod = { exports: {} };
    program.call(mod.exports, mod.exports, createRequire(file), mod, file, process.cwd());
  });
  process.stdout.write('\\x06');
})();`;

const PYTHON_BOOTSTRAP = [
  'import sys',
  "sys.stdout.write('\\x06'); sys.stdout.flush()",
  "_source = sys.stdin.buffer.read().decode('utf-8')",
  "sys.argv = ['main.py']",
  "exec(compile(_source, 'main.py', 'exec'), {'__name__': '__main__', '__file__': 'main.py', '__builtins__': __builtins__})",
].join('\n');

/** A started interpreter waiting for (or running) one program. */
interface Interpreter {
  child: ChildProcess;
  output: CollectedOutput;
  ready: Promise<void>;
  dir: string;
  abandon?: () => void;
  released?: Promise<void>;
}

/**
 * `run_code`: runs a JavaScript (Node.js) or Python program in a child process, in a scratch
 * folder of its own, with a time limit and an output cap, killed (its process group) on abort.
 * `readOnly: false`: code can do anything, so it never runs speculatively. `warm` starts the
 * interpreter ahead (it loads its runtime, then waits for the program on stdin), so a warmed
 * run skips the start-up; a run without a warm interpreter starts one the same way, so output
 * is the same either way. Python is offered only when `python3` answers.
 */
export async function createCodeRunner(options: CodeRunnerOptions = {}): Promise<CodeRunner> {
  const timeLimitMs = options.timeLimitMs ?? 10_000;
  const maxOutputBytes = options.maxOutputBytes ?? 64 * 1024;
  const idleMs = options.idleMs ?? 60_000;
  const scratchParent = options.scratchParent ?? tmpdir();
  const programs: Partial<Record<CodeLanguage, { command: string; args: string[] }>> = {
    javascript: { command: options.node ?? process.execPath, args: ['-e', NODE_BOOTSTRAP] },
  };
  const python = options.python === undefined ? 'python3' : options.python;
  if (python !== null && (await answers(python))) programs.python = { command: python, args: ['-I', '-u', '-X', 'utf8', '-c', PYTHON_BOOTSTRAP] };
  const languages = (Object.keys(programs) as CodeLanguage[]).sort();
  const warm = new Map<CodeLanguage, Promise<Interpreter>>();
  const live = new Set<Interpreter>();
  let disposed = false;

  async function start(language: CodeLanguage): Promise<Interpreter> {
    const program = programs[language]!;
    const dir = await mkdtemp(join(scratchParent, 'foresight-run-'));
    if (disposed) {
      await rm(dir, { recursive: true, force: true });
      throw new Error('the code runner was disposed');
    }
    const child = spawn(program.command, program.args, { cwd: dir, env: childEnv(), stdio: ['pipe', 'pipe', 'pipe'], detached: OWN_PROCESS_GROUP, windowsHide: true });
    child.stdin?.on('error', () => {});
    const output = collectOutput(child, maxOutputBytes, 1);
    const ready = new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        if (chunk[0] === READY) resolve();
        else reject(new Error(`the ${language} interpreter did not start as expected`));
        child.stdout?.off('data', onData);
      };
      child.stdout?.on('data', onData);
      child.once('error', (err) => reject(err));
      child.once('exit', (code) => reject(new Error(`the ${language} interpreter exited (code ${code}) before it was ready: ${output.stderr().toString('utf8').trim().slice(0, 500)}`)));
    });
    ready.catch(() => undefined);
    const interpreter: Interpreter = { child, output, ready, dir };
    live.add(interpreter);
    child.once('exit', () => void release(interpreter));
    return interpreter;
  }

  /** Kills the interpreter and removes its folder; every caller waits for the same removal. */
  function release(interpreter: Interpreter): Promise<void> {
    killProcessTree(interpreter.child);
    live.delete(interpreter);
    interpreter.released ??= rm(interpreter.dir, { recursive: true, force: true }).catch(() => undefined);
    return interpreter.released;
  }

  async function warmLanguage(language: CodeLanguage, signal: AbortSignal): Promise<void> {
    if (disposed || !programs[language] || signal.aborted) return;
    let pending = warm.get(language);
    if (!pending) {
      pending = start(language);
      warm.set(language, pending);
      const interpreter = await pending.catch(() => undefined);
      if (!interpreter) {
        if (warm.get(language) === pending) warm.delete(language);
        return;
      }
      const reap = () => {
        if (warm.get(language) === pending) warm.delete(language);
        void release(interpreter);
      };
      const idle = setTimeout(reap, idleMs);
      idle.unref?.();
      signal.addEventListener('abort', reap, { once: true });
      interpreter.abandon = () => {
        clearTimeout(idle);
        signal.removeEventListener('abort', reap);
      };
      interpreter.child.once('exit', () => warm.get(language) === pending && warm.delete(language));
      if (signal.aborted) reap();
    }
    const interpreter = await pending.catch(() => undefined);
    await interpreter?.ready.catch(() => undefined);
  }

  /** The warm interpreter of `language` if one is alive, taken out of the pool. */
  async function takeWarm(language: CodeLanguage): Promise<Interpreter | undefined> {
    const pending = warm.get(language);
    if (!pending) return undefined;
    warm.delete(language);
    const interpreter = await pending.catch(() => undefined);
    if (!interpreter) return undefined;
    interpreter.abandon?.();
    if (interpreter.child.exitCode !== null || interpreter.child.signalCode !== null) return undefined;
    return interpreter;
  }

  async function runCode(args: Record<string, unknown>, signal: AbortSignal): Promise<ToolResult> {
    signal.throwIfAborted();
    const { language, code } = args;
    if (typeof code !== 'string') return { output: 'Error: run_code needs "code" as a string.', isError: true };
    if (typeof language !== 'string' || !languages.includes(language as CodeLanguage)) return { output: `Error: "language" must be one of ${languages.map((l) => `"${l}"`).join(', ')}.`, isError: true };
    const lang = language as CodeLanguage;
    let interpreter = await takeWarm(lang);
    if (!interpreter) {
      try {
        interpreter = await start(lang);
      } catch (err) {
        return { output: `Error: the ${lang} interpreter could not be started: ${err instanceof Error ? err.message : String(err)}`, isError: true };
      }
    }
    try {
      const started = await readyOrStop(interpreter, signal, timeLimitMs);
      if (started !== true) return { output: `Error: ${started}`, isError: true };
      const outcome = await watchProcess(interpreter.child, interpreter.output, { timeoutMs: timeLimitMs, maxOutputBytes, signal, input: code });
      return processReport(outcome, { timeoutMs: timeLimitMs, maxOutputBytes });
    } finally {
      await release(interpreter);
    }
  }

  return {
    name: 'run_code',
    description: `Run a short program and return its exit code, stdout and stderr. Languages: ${languages.join(', ')} (${languages.includes('python') ? 'Python 3; ' : ''}JavaScript runs on Node.js, as CommonJS). It runs in an empty scratch folder and is stopped after ${Math.round(timeLimitMs / 1000)} s. Print what you want to see.`,
    parameters: {
      type: 'object',
      properties: {
        language: { type: 'string', enum: [...languages] },
        code: { type: 'string', description: 'The whole program.' },
      },
      required: ['language', 'code'],
      additionalProperties: false,
    },
    readOnly: false,
    languages,
    run: runCode,
    warm: async (signal) => {
      await Promise.all(languages.map((l) => warmLanguage(l, signal)));
    },
    warmLanguage,
    warmLanguages: () => languages.filter((l) => warm.has(l)),
    dispose: async () => {
      disposed = true;
      const pending = [...warm.values()];
      warm.clear();
      await Promise.all(pending.map((p) => p.catch(() => undefined)));
      await Promise.all([...live].map((i) => release(i)));
    },
  };
}

/** Waits for the interpreter to be ready: true, or why it is not; rejects on abort (killing it). */
async function readyOrStop(interpreter: Interpreter, signal: AbortSignal, limitMs: number): Promise<true | string> {
  let onAbort: (() => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      interpreter.ready.then(
        () => true as const,
        (err: unknown) => (err instanceof Error ? err.message : String(err)),
      ),
      new Promise<never>((_, reject) => {
        onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new DOMException('aborted', 'AbortError'));
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
      }),
      new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`the interpreter did not start within ${limitMs} ms.`), limitMs))),
    ]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
    clearTimeout(timer);
  }
}

/** Whether `program` runs as a Python 3. */
async function answers(program: string): Promise<boolean> {
  try {
    const o = await runProcess(program, ['-c', 'import sys; print(sys.version_info[0])'], { env: childEnv() }, { timeoutMs: 10_000, maxOutputBytes: 1024, signal: new AbortController().signal, input: '' });
    return o.exitCode === 0 && o.stdout.trim() === '3';
  } catch {
    return false;
  }
}

// Only what an interpreter needs to start: the host's other variables (tokens, NODE_OPTIONS)
// are none of the program's business, and would make runs differ between hosts.
const PASSED_ENV = ['PATH', 'HOME', 'USERPROFILE', 'LANG', 'LC_ALL', 'TMPDIR', 'TEMP', 'TMP', 'SystemRoot', 'ComSpec', 'PATHEXT'];

function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ELECTRON_RUN_AS_NODE: '1' };
  for (const name of PASSED_ENV) if (process.env[name] !== undefined) env[name] = process.env[name];
  return env;
}
