import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DidSaveTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  NotificationType,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type Position,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import type { SniffInitializationOptions } from '../../src/shared/lsp-protocol.js';

const ROOT = process.cwd();

/** Builds out/ when a server, core or shared source is newer than out/server.js, so the tests never run a stale bundle. */
export function ensureServerBuilt(): void {
  const built = mtime(join(ROOT, 'out/server.js'));
  const worker = mtime(join(ROOT, 'out/evaluation-worker.js'));
  const newest = Math.max(...['src/server', 'src/core', 'src/shared'].map((d) => newestIn(join(ROOT, d))));
  if (Math.min(built, worker) < newest) execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'ignore' });
}

/**
 * `node out/server.js --stdio`, reporting each analysis (`foresight/analysed`), which it does
 * only for a test, and with an evaluation deadline no loaded machine reaches: the deadline
 * itself is pinned by the evaluation worker's own test, with timers the test expires.
 */
export function spawnServer(stderr: 'inherit' | 'pipe'): ChildProcess {
  const env = { ...process.env, FORESIGHT_SNIFF_TEST_REPORTS: '1', FORESIGHT_SNIFF_TEST_EVALUATION_DEADLINE_MS: '600000' };
  return spawn(process.execPath, [join(ROOT, 'out/server.js'), '--stdio'], { stdio: ['pipe', 'pipe', stderr], env });
}

/**
 * A real LSP client on `node out/server.js --stdio`. Waits are explicit: each resolves when the
 * awaited message arrives (or rejects after a deadline), never after a fixed sleep.
 */
export class LspSession {
  private readonly diagnostics = new Map<string, { version: number | undefined; items: Diagnostic[] }>();
  private readonly waiters: { check: () => boolean }[] = [];
  private readonly notifications: { method: string; params: unknown }[] = [];

  private constructor(
    readonly connection: ProtocolConnection,
    private readonly child: ChildProcess,
  ) {}

  /** Every diagnostics publication, in the order received. */
  readonly published: { uri: string; version: number | undefined }[] = [];

  /** `workspace/configuration` requests the server made, by section. */
  readonly configurationAsked: string[] = [];

  /** `settings`, when given, are the client's settings by section and the client says it supports `workspace/configuration`. */
  static async start(options: SniffInitializationOptions = {}, settings?: Record<string, unknown>): Promise<LspSession> {
    const child = spawnServer('inherit');
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const session = new LspSession(connection, child);
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      session.diagnostics.set(p.uri, { version: p.version, items: p.diagnostics });
      session.published.push({ uri: p.uri, version: p.version });
      session.poke();
    });
    for (const method of ['foresight/sessionsLoaded', 'foresight/evaluated', 'foresight/analysed', 'window/showMessage']) {
      connection.onNotification(new NotificationType<unknown>(method), (params) => {
        session.notifications.push({ method, params });
        session.poke();
      });
    }
    connection.onRequest(ConfigurationRequest.type, (p) => {
      session.configurationAsked.push(...p.items.map((i) => i.section ?? ''));
      session.poke();
      return p.items.map((i) => settings?.[i.section ?? ''] ?? null);
    });
    connection.listen();
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } }, workspace: { configuration: settings !== undefined } },
      initializationOptions: options,
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return session;
  }

  async open(uri: string, text: string, version = 1): Promise<void> {
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'sniff', version, text } });
  }

  async save(uri: string): Promise<void> {
    await this.connection.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** Resolves once the server has asked for the settings section `section`. */
  waitForConfigurationRequest(section: string, timeoutMs = 10_000): Promise<true> {
    return this.waitFor(() => (this.configurationAsked.includes(section) ? true : undefined), timeoutMs, `a workspace/configuration request for ${section}`);
  }

  async change(uri: string, version: number, text: string): Promise<void> {
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  /** Sends one incremental edit: `text` replaces the range from `start` to `end`. */
  async edit(uri: string, version: number, start: Position, end: Position, text: string): Promise<void> {
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ range: { start, end }, text }] });
  }

  /** Whether any diagnostics of `uri` have arrived yet. */
  hasDiagnostics(uri: string): boolean {
    return this.diagnostics.has(uri);
  }

  /** The first published diagnostics of `uri` (at `version`, if given) that satisfy `accept`. */
  waitForDiagnostics(uri: string, accept: (d: Diagnostic[]) => boolean = () => true, options: { version?: number; timeoutMs?: number } = {}): Promise<Diagnostic[]> {
    return this.waitFor(() => {
      const got = this.diagnostics.get(uri);
      if (!got || (options.version !== undefined && got.version !== options.version)) return undefined;
      return accept(got.items) ? got.items : undefined;
    }, options.timeoutMs ?? 10_000, `diagnostics of ${uri}`);
  }

  /** The first notification `method` (received before or after this call) whose params satisfy `accept`. */
  waitForNotification<P>(method: string, accept: (p: P) => boolean = () => true, timeoutMs = 10_000): Promise<P> {
    return this.waitFor(() => this.notifications.find((n) => n.method === method && accept(n.params as P))?.params as P | undefined, timeoutMs, method);
  }

  async stop(): Promise<void> {
    try {
      await withDeadline(this.connection.sendRequest(ShutdownRequest.type), 5_000, 'shutdown');
      await this.connection.sendNotification(ExitNotification.type);
    } finally {
      this.connection.dispose();
      this.child.kill();
    }
  }

  private waitFor<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const now = probe();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const waiter = {
        check: () => {
          const value = probe();
          if (value === undefined) return false;
          clearTimeout(timer);
          resolve(value);
          return true;
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  private poke(): void {
    for (const w of [...this.waiters]) if (w.check()) this.waiters.splice(this.waiters.indexOf(w), 1);
  }
}

/** Rejects when `promise` takes longer than `ms`: how a test states "answers quickly". */
export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

function mtime(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function newestIn(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestIn(path) : mtime(path));
  }
  return newest;
}
