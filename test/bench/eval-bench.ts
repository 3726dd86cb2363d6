import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ToolSpec } from '../../src/core/chat/types.js';
import { SESSION_FORMAT, SESSION_FORMAT_VERSION, type SessionRecord, type Session } from '../../src/core/session/format.js';
import type { RawChoice, RawChunk } from '../../src/core/stream/raw-chunk.js';
import { fmt, printTable } from './bench-table.js';
import { allTools, repeatedReasoning } from './corpus-reasoning.js';

/** Characters of reasoning per recorded chunk in the generated sessions (recorded timing: eval replays the chunks as they are). */
const DELTA_CHARS = 256;

/** One `eval` run of one generated session, as measured from outside the process. */
export interface EvalRun {
  mb: number;
  /** Reasoning bytes in the generated session's single turn. */
  reasoningBytes: number;
  fileMB: number;
  /** Wall seconds from spawn to exit; undefined when killed at the cap or not run. */
  seconds: number | undefined;
  /** CPU seconds the child used (user + system, all its threads), as it reported on exit; a busy machine inflates wall time far more. */
  cpuSeconds?: number;
  /** RSS high-water mark in MB; when killed, the last one seen (a lower bound). */
  peakMB: number | undefined;
  /** Why there is no figure: over the cap, crashed, or not run. */
  failure?: string;
  /** What eval itself said: reasoning characters read and calls found, to check it read everything. */
  reported?: { reasoningChars: number; calls: number; intents: number; sniffMBps: number };
}

/** The first recorded tool call of the corpus (name and whole arguments), to end the generated turn with. */
export function firstCorpusCall(sessions: readonly Session[]): { name: string; arguments: string } {
  for (const s of sessions) {
    for (const t of s.turns) {
      let name: string | undefined;
      let args = '';
      for (const { chunk } of t.chunks) {
        for (const d of chunk.choices?.[0]?.delta?.tool_calls ?? []) {
          if ((d.index ?? 0) !== 0) continue;
          name ??= d.function?.name;
          args += d.function?.arguments ?? '';
        }
      }
      if (name !== undefined) return { name, arguments: args };
    }
  }
  throw new Error('the corpus has no tool call');
}

/**
 * Writes a session of one turn whose reasoning is `reasoning`, streamed as `reasoning_content`
 * deltas, then one tool call and its finish: a header, a request and chunk records, as
 * format.ts defines them. Written in blocks so a 50 MB turn never sits in one string twice.
 */
export function writeOneTurnSession(path: string, tools: ToolSpec[], reasoning: string, call: { name: string; arguments: string }): void {
  const fd = openSync(path, 'w');
  let block: string[] = [];
  let blockChars = 0;
  const put = (r: SessionRecord) => {
    const line = `${JSON.stringify(r)}\n`;
    block.push(line);
    blockChars += line.length;
    if (blockChars > 1 << 20) flush();
  };
  const flush = () => {
    writeSync(fd, block.join(''));
    block = [];
    blockChars = 0;
  };
  const chunk = (choice: RawChoice): RawChunk => ({ id: 'bench', object: 'chat.completion.chunk', choices: [choice] });
  let t = 0;
  put({
    kind: 'header',
    format: SESSION_FORMAT,
    version: SESSION_FORMAT_VERSION,
    id: `bench-${reasoning.length}`,
    createdAt: new Date(0).toISOString(),
    model: 'bench-generated',
    endpoint: 'http://127.0.0.1/v1',
    tools,
    versions: { foresight: 'bench' },
    source: { kind: 'recording' },
    timing: 'recorded',
    title: `one turn, ${(reasoning.length / 1e6).toFixed(1)} M chars of reasoning (corpus reasoning repeated)`,
  });
  put({ kind: 'request', t, turn: 0, messages: [{ role: 'user', content: 'Work through the task with the tools offered.' }] });
  put({ kind: 'chunk', t: (t += 5), turn: 0, chunk: chunk({ index: 0, delta: { role: 'assistant' }, finish_reason: null }) });
  for (let i = 0; i < reasoning.length; ) {
    // Cut after a space where one is near, so recorded deltas do not split words.
    let end = Math.min(reasoning.length, i + DELTA_CHARS);
    const space = reasoning.lastIndexOf(' ', end);
    if (end < reasoning.length && space > i + DELTA_CHARS / 2) end = space + 1;
    const code = reasoning.charCodeAt(end - 1);
    if (end < reasoning.length && code >= 0xd800 && code <= 0xdbff) end++;
    put({ kind: 'chunk', t: (t += 25), turn: 0, chunk: chunk({ index: 0, delta: { reasoning_content: reasoning.slice(i, end) }, finish_reason: null }) });
    i = end;
  }
  put({ kind: 'chunk', t: (t += 25), turn: 0, chunk: chunk({ index: 0, delta: { tool_calls: [{ index: 0, id: 'call_bench_1', type: 'function', function: { name: call.name, arguments: call.arguments } }] }, finish_reason: null }) });
  put({ kind: 'chunk', t: (t += 5), turn: 0, chunk: chunk({ index: 0, delta: {}, finish_reason: 'tool_calls' }) });
  flush();
  closeSync(fd);
}

/** Seconds a larger size may run once a smaller one went over the cap. */
const SHORT_CAP_SECONDS = 30;

const PEAK_MARK = 'foresight-bench-maxrss-kb=';
const CPU_MARK = 'foresight-bench-cpu-us=';

/** Peak RSS in kB from /proc, while the process lives (Linux); undefined elsewhere. */
function vmHwmKb(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s*(\d+)\s*kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs `node CLI eval FILE --json` and measures it from outside: wall time, and the peak RSS
 * the child prints on exit from a preload (Node's own `resourceUsage().maxRSS`), or, when it is
 * killed at the cap, the last VmHWM read from /proc.
 */
async function runEval(cli: string, preload: string, file: string, capSeconds: number): Promise<Omit<EvalRun, 'mb' | 'reasoningBytes' | 'fileMB'>> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, ['--import', pathToFileURL(preload).href, cli, 'eval', file, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  let polledKb: number | undefined;
  const poll = setInterval(() => {
    if (child.pid !== undefined) polledKb = vmHwmKb(child.pid) ?? polledKb;
  }, 200);
  let killed = false;
  const cap = setTimeout(() => {
    killed = true;
    child.kill('SIGKILL');
  }, capSeconds * 1000);
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(poll);
  clearTimeout(cap);
  const mark = stderr.lastIndexOf(PEAK_MARK);
  const reportedKb = mark >= 0 ? Number(/^\d+/.exec(stderr.slice(mark + PEAK_MARK.length))?.[0]) : undefined;
  const peakKb = reportedKb ?? polledKb;
  const cpuMark = stderr.lastIndexOf(CPU_MARK);
  const cpuUs = cpuMark >= 0 ? Number(/^\d+/.exec(stderr.slice(cpuMark + CPU_MARK.length))?.[0]) : undefined;
  const cpuSeconds = cpuUs === undefined || Number.isNaN(cpuUs) ? undefined : cpuUs / 1e6;
  const peakMB = peakKb === undefined ? undefined : peakKb / 1024;
  if (killed) return { seconds: undefined, peakMB, failure: `over ${capSeconds} s` };
  if (code !== 0) {
    const why = /heap out of memory/i.test(stderr) ? 'out of memory' : (stderr.trim().split('\n').find((l) => !l.includes(PEAK_MARK) && !l.includes(CPU_MARK)) ?? '').slice(0, 80);
    return { seconds: undefined, peakMB, failure: `exit ${code}: ${why}` };
  }
  try {
    const r = JSON.parse(stdout) as { reasoningChars: number; calls: number; intents: number; sniffMBps: number };
    return { seconds, peakMB, ...(cpuSeconds !== undefined ? { cpuSeconds } : {}), reported: { reasoningChars: r.reasoningChars, calls: r.calls, intents: r.intents, sniffMBps: r.sniffMBps } };
  } catch {
    return { seconds: undefined, peakMB, failure: 'printed no JSON report' };
  }
}

/**
 * Whole-process `eval` of one turn of `mb` MB of reasoning, for each size: a session file is
 * generated in a temp folder from the corpus reasoning repeated, and `node CLI eval FILE --json`
 * is timed from outside. A run past `capSeconds` is killed; once one size is over the cap, the
 * larger ones are killed after SHORT_CAP_SECONDS, for a lower bound on their peak memory.
 */
export async function evalBench(sessions: Session[], cli: string, sizes: number[], capSeconds: number): Promise<EvalRun[]> {
  const dir = mkdtempSync(join(tmpdir(), 'foresight-eval-bench-'));
  const runs: EvalRun[] = [];
  try {
    const preload = join(dir, 'report-peak-rss.mjs');
    writeFileSync(
      preload,
      `process.on('exit', () => { const u = process.resourceUsage(); process.stderr.write('\\n${PEAK_MARK}' + u.maxRSS + '\\n${CPU_MARK}' + (u.userCPUTime + u.systemCPUTime) + '\\n'); });\n`,
    );
    const tools = allTools(sessions);
    const call = firstCorpusCall(sessions);
    // Once a size is over the cap, larger ones only run briefly: long enough to show how much memory they take.
    let shortCap: { seconds: number; after: number } | undefined;
    for (const mb of sizes) {
      const file = join(dir, `one-turn-${mb}MB.jsonl`);
      const reasoning = repeatedReasoning(sessions, Math.round(mb * 1e6));
      const reasoningBytes = Buffer.byteLength(reasoning);
      writeOneTurnSession(file, tools, reasoning, call);
      const fileMB = statSync(file).size / 1e6;
      const cap = shortCap?.seconds ?? capSeconds;
      const run = await runEval(cli, preload, file, cap);
      rmSync(file, { force: true });
      if (shortCap && run.failure === `over ${cap} s`) run.failure = `over ${cap} s (cap cut after ${shortCap.after} MB)`;
      // A figure only counts if eval read the whole turn and its one call.
      if (run.reported && (run.reported.reasoningChars !== reasoning.length || run.reported.calls !== 1)) {
        run.failure = `eval read ${run.reported.reasoningChars} of ${reasoning.length} chars, ${run.reported.calls} calls`;
        run.seconds = undefined;
      }
      runs.push({ mb, reasoningBytes, fileMB, ...run });
      if (run.failure !== undefined) shortCap ??= { seconds: Math.min(capSeconds, SHORT_CAP_SECONDS), after: mb };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  printTable(
    `(c) whole-process \`node ${cli} eval FILE --json\`, one turn of corpus reasoning repeated (in ${DELTA_CHARS}-char reasoning_content deltas, all ${allTools(sessions).length} corpus tools offered, one tool call at the end); ` +
      `wall time from spawn to exit, node start included; peak RSS = the child's maxRSS; a run is killed after ${capSeconds} s (and after ${Math.min(capSeconds, SHORT_CAP_SECONDS)} s once a smaller one was), its peak then a lower bound`,
    ['reasoning', 'file MB', 'wall s', 'MB/s', 'cpu s', 'MB per cpu s', 'peak RSS MB', 'eval read: chars, calls, intents', 'eval: sniff MB/s'],
    runs.map((r) => [
      `${r.mb} MB`,
      r.fileMB > 0 ? fmt(r.fileMB, 1) : '-',
      r.seconds === undefined ? (r.failure ?? '-') : fmt(r.seconds, 2),
      r.seconds === undefined ? '-' : fmt(r.reasoningBytes / 1e6 / r.seconds, 2),
      r.cpuSeconds === undefined ? '-' : fmt(r.cpuSeconds, 2),
      r.cpuSeconds === undefined || r.seconds === undefined ? '-' : fmt(r.reasoningBytes / 1e6 / r.cpuSeconds, 2),
      r.peakMB === undefined ? '-' : r.failure !== undefined ? `>= ${fmt(r.peakMB, 0)}` : fmt(r.peakMB, 0),
      r.reported ? `${r.reported.reasoningChars}, ${r.reported.calls}, ${r.reported.intents}` : '-',
      r.reported ? fmt(r.reported.sniffMBps, 1) : '-',
    ]),
  );
  return runs;
}
