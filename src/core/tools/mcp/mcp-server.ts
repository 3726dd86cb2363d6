import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, McpError, type CallToolResult, type Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import type { Disposable } from '../../disposable.js';
import { delay } from '../../util/delay.js';
import type { McpServerConfig } from './mcp-config.js';

/** How long calls may take and how a crashed server is brought back. */
export interface McpServerOptions {
  /** Longest a tools/call may take before it is cancelled (ms). */
  callTimeoutMs?: number;
  /** Longest starting the server (spawn and initialize) or one tools/list page may take (ms). */
  startTimeoutMs?: number;
  /** Starts tried after failures in a row (crash or failed start) before giving up. */
  maxRestarts?: number;
  /** Wait before the n-th restart in a row (n from 1), in ms. */
  backoffMs?: (attempt: number) => number;
  /** Lines the server wrote to stderr, and its starts and stops, for the log. */
  onLog?: (message: string) => void;
}

/** A failure of the server itself (would not start, stopped, timed out), in words for the user and the log. */
export class McpServerError extends Error {}

const DEFAULTS = {
  callTimeoutMs: 60_000,
  startTimeoutMs: 30_000,
  maxRestarts: 3,
  backoffMs: (attempt: number) => 500 * 2 ** (attempt - 1),
};
const CLIENT_INFO = { name: 'foresight', version: '0.1.0' };
const STDERR_TAIL_LINES = 5;
// A server that pages forever must not keep a listing going forever.
const MAX_LIST_PAGES = 100;

/**
 * One MCP server, started on first use (list or call), restarted with backoff after it stops
 * unexpectedly, up to `maxRestarts` failures in a row; then every call fails at once with a
 * sentence saying so. Every request has a timeout and obeys its AbortSignal (the request is
 * cancelled on the server); server failures are thrown as McpServerError, never left hanging.
 */
export class McpServerConnection implements Disposable {
  private live: Client | undefined;
  private starting: Promise<Client> | undefined;
  private failures = 0;
  private lastFailure = '';
  private stderrTail: string[] = [];
  private disposed = false;
  private readonly opts: Required<Omit<McpServerOptions, 'onLog'>> & Pick<McpServerOptions, 'onLog'>;

  constructor(readonly config: McpServerConfig, options: McpServerOptions = {}) {
    this.opts = { ...DEFAULTS, ...options };
  }

  /** Starts the server if it is not running (a tool's warm-up); throws McpServerError if it cannot. */
  async connect(signal: AbortSignal): Promise<void> {
    await this.client(signal);
  }

  /** Every tool the server lists, following `nextCursor` pages. */
  async listTools(signal: AbortSignal): Promise<McpTool[]> {
    const client = await this.client(signal);
    const tools: McpTool[] = [];
    let cursor: string | undefined;
    let pages = 0;
    try {
      do {
        const page = await client.listTools(cursor === undefined ? undefined : { cursor }, { signal, timeout: this.opts.startTimeoutMs });
        tools.push(...page.tools);
        cursor = page.nextCursor;
      } while (cursor !== undefined && ++pages < MAX_LIST_PAGES);
    } catch (err) {
      throw this.failure(err, client, signal, 'listing its tools', this.opts.startTimeoutMs);
    }
    this.failures = 0;
    return tools;
  }

  /** Runs one tool; a tool's own error comes back as a result with `isError`, a server failure is thrown. */
  async callTool(name: string, args: Record<string, unknown>, signal: AbortSignal): Promise<CallToolResult> {
    const client = await this.client(signal);
    try {
      const result = (await client.callTool({ name, arguments: args }, undefined, { signal, timeout: this.opts.callTimeoutMs })) as CallToolResult;
      this.failures = 0;
      return result;
    } catch (err) {
      throw this.failure(err, client, signal, `running ${name}`, this.opts.callTimeoutMs);
    }
  }

  /** Allows starts again after the server gave up (the user fixed it and asked to retry). */
  reset(): void {
    this.failures = 0;
  }

  dispose(): void {
    void this.close();
  }

  /** Like dispose, resolving once the process is stopped or the HTTP session ended. */
  async close(): Promise<void> {
    this.disposed = true;
    const client = this.live;
    this.live = undefined;
    await Promise.all([client ? closeClient(client) : undefined, this.starting?.then(closeClient, () => undefined)]);
  }

  private async client(signal: AbortSignal): Promise<Client> {
    signal.throwIfAborted();
    if (this.disposed) throw new McpServerError(`MCP server "${this.config.name}" was shut down.`);
    if (this.live) return this.live;
    // One start shared by every caller; one caller giving up must not stop it for the others.
    this.starting ??= this.start().finally(() => {
      this.starting = undefined;
    });
    return raceAbort(this.starting, signal);
  }

  private async start(): Promise<Client> {
    const name = this.config.name;
    if (this.failures > this.opts.maxRestarts) {
      throw new McpServerError(`MCP server "${name}" failed ${this.failures} times in a row and is not restarted again (last: ${this.lastFailure}). Fix it, then reload the MCP servers.`);
    }
    if (this.failures > 0) await delay(this.opts.backoffMs(this.failures));
    const client = new Client(CLIENT_INFO);
    this.stderrTail = [];
    const transport = this.transport();
    client.onclose = () => {
      if (this.live !== client) return;
      // Closed while in use and not by us: the process exited or the connection dropped.
      this.live = undefined;
      this.noteFailure(`it stopped${this.stderrSummary()}`);
      this.opts.onLog?.(`MCP server "${name}" stopped${this.stderrSummary()}; it is restarted on the next call.`);
    };
    try {
      await client.connect(transport, { timeout: this.opts.startTimeoutMs });
    } catch (err) {
      await client.close().catch(() => undefined);
      const why = isTimeout(err) ? `it did not answer within ${seconds(this.opts.startTimeoutMs)}` : `${messageOf(err)}${this.stderrSummary()}`;
      this.noteFailure(why);
      const message = `MCP server "${name}" (${this.describe()}) could not be started: ${why}.`;
      this.opts.onLog?.(message);
      throw new McpServerError(message);
    }
    if (this.disposed) {
      await client.close().catch(() => undefined);
      throw new McpServerError(`MCP server "${name}" was shut down.`);
    }
    this.live = client;
    this.opts.onLog?.(`MCP server "${name}" started (${this.describe()}).`);
    return client;
  }

  private transport(): Transport {
    const c = this.config;
    if (c.type === 'http') {
      return new StreamableHTTPClientTransport(new URL(c.url ?? ''), c.headers ? { requestInit: { headers: c.headers } } : {});
    }
    const transport = new StdioClientTransport({
      command: c.command ?? '',
      ...(c.args ? { args: c.args } : {}),
      ...(c.env ? { env: c.env } : {}),
      ...(c.cwd ? { cwd: c.cwd } : {}),
      stderr: 'pipe',
    });
    let partial = '';
    transport.stderr?.on('data', (chunk: Buffer | string) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines.map((l) => l.trimEnd()).filter((l) => l !== '')) {
        this.stderrTail = [...this.stderrTail, line].slice(-STDERR_TAIL_LINES);
        this.opts.onLog?.(`[${c.name}] ${line}`);
      }
    });
    return transport;
  }

  /** Turns what a request threw into a sentence (also logged), and drops a connection that no longer works. */
  private failure(err: unknown, client: Client, signal: AbortSignal, doing: string, timeoutMs: number): unknown {
    if (signal.aborted) return signal.reason;
    const name = this.config.name;
    let message: string;
    if (this.disposed) {
      message = `MCP server "${name}" was shut down while ${doing}.`;
    } else if (isTimeout(err)) {
      message = `MCP server "${name}" did not finish ${doing} within ${seconds(timeoutMs)}; the request was cancelled.`;
    } else if (err instanceof McpError && err.code !== ErrorCode.ConnectionClosed) {
      // The server answered with an error: the connection itself is fine.
      message = `MCP server "${name}" refused ${doing}: ${err.message}`;
    } else {
      if (this.live === client) {
        // A transport failure (HTTP error, dropped session): start afresh on the next call.
        this.live = undefined;
        this.noteFailure(messageOf(err));
        void client.close().catch(() => undefined);
      }
      message = `MCP server "${name}" stopped while ${doing}${this.stderrSummary()}. It is restarted on the next call.`;
    }
    this.opts.onLog?.(message);
    return new McpServerError(message);
  }

  private noteFailure(why: string): void {
    this.failures++;
    this.lastFailure = why;
  }

  private stderrSummary(): string {
    return this.stderrTail.length === 0 ? '' : ` (its last output: ${this.stderrTail.join(' | ')})`;
  }

  private describe(): string {
    const c = this.config;
    return c.type === 'http' ? c.url ?? '' : [c.command ?? '', ...(c.args ?? [])].join(' ');
  }
}

/** Ends an HTTP session politely (DELETE) before closing; a stdio close ends the process. */
async function closeClient(client: Client): Promise<void> {
  const transport = client.transport;
  if (transport instanceof StreamableHTTPClientTransport) await transport.terminateSession().catch(() => undefined);
  await client.close().catch(() => undefined);
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function isTimeout(err: unknown): boolean {
  return err instanceof McpError && err.code === ErrorCode.RequestTimeout;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}
