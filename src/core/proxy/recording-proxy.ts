import { Agent as HttpAgent, createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Disposable } from '../disposable.js';
import { DEFAULT_MAX_BODY_BYTES } from '../endpoint/local-endpoint.js';
import { errorBody } from '../endpoint/openai-errors.js';
import { redactText, redactUrl } from '../util/redact-url.js';
import { isChatCompletion, requestHeadersForUpstream, responseHeadersForClient, upstreamUrl, withFallbackKey } from './forwarding.js';
import { workerRecorder, type RecorderFactory, type RecorderLink } from './recorder-link.js';
import type { ProxyLiveEvent, RecorderInput, RecorderOutput } from './recorder-messages.js';
import type { ShadowOptions, ShadowTurn } from './shadow-speculation.js';

export interface RecordingProxyOptions {
  /** The OpenAI-compatible base URL requests go to, e.g. `https://api.example.com/v1`. */
  upstream: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Record conversations here as session files; nothing is recorded when absent. */
  sessionsDir?: string;
  /** Sniff the reasoning and work out what speculation would have done; off when absent. */
  shadow?: ShadowOptions;
  foresightVersion?: string;
  /** Largest request body forwarded; larger gets 413. As the replay endpoint's by default. */
  maxBodyBytes?: number;
  /** Conversations kept open for continuation; the oldest is closed beyond this. 64 by default. */
  maxConversations?: number;
  /** Told what shadow speculation found for each turn, with the session file it went to. */
  onShadow?: (turn: ShadowTurn, file: string) => void;
  /** One line per notable thing; never a header, a key or a message's text. */
  log?: (line: string) => void;
  /** Clock in ms, for tests; `performance.now` by default. */
  now?: () => number;
  /**
   * Sent upstream as `Bearer KEY` when the agent sends no `Authorization` header (the editor's
   * stored key); like the agent's own, never recorded or logged.
   */
  fallbackKey?: string;
  /** Told when a session file is begun, gets a turn's answer or is closed (for a list of sessions). */
  onSession?: (file: string, change: 'opened' | 'turn' | 'closed') => void;
  /**
   * Told, per session file, each turn's start and its stream as it is recorded (a batch per
   * turn of the recorder's event loop), for a view that follows sessions live; off when absent.
   */
  onLive?: (file: string, events: ProxyLiveEvent[]) => void;
  /** Makes the recorder; a worker thread of the proxy's own by default (`inlineRecorder` in tests). */
  recorder?: RecorderFactory;
}

/**
 * An OpenAI-protocol proxy on 127.0.0.1 in front of an agent's own endpoint. It forwards every
 * request as bytes (status, headers but hop-by-hop ones, each chunk as it arrives, errors as
 * they are), pausing the upstream when the client is slow and aborting it when the client goes;
 * the `Authorization` header goes upstream only. With `sessionsDir`, a recorder in a worker
 * thread gets the request body and a copy of each chunk (posted after the chunk is written to
 * the client), records each conversation as one session and, with `shadow`, what speculation
 * would have done: the forwarding thread does no parsing, writing or replay.
 */
export class RecordingProxy implements Disposable {
  private readonly upstreamBase: URL;
  private readonly agent: HttpAgent;
  private readonly now: () => number;
  private readonly open = new Set<ServerResponse>();
  /** Absent when nothing is recorded. */
  private readonly recorder: RecorderLink | undefined;
  private nextId = 1;

  private constructor(
    private readonly server: Server,
    private readonly options: RecordingProxyOptions,
    readonly port: number,
  ) {
    this.upstreamBase = new URL(options.upstream);
    this.agent = this.upstreamBase.protocol === 'https:' ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
    this.now = options.now ?? (() => performance.now());
    const dir = options.sessionsDir;
    this.recorder =
      dir === undefined
        ? undefined
        : (options.recorder ?? workerRecorder())(
            {
              sessionsDir: dir,
              upstream: options.upstream,
              ...(options.shadow ? { shadow: options.shadow } : {}),
              ...(options.foresightVersion !== undefined ? { foresightVersion: options.foresightVersion } : {}),
              ...(options.maxConversations !== undefined ? { maxConversations: options.maxConversations } : {}),
              ...(options.onLive ? { live: true } : {}),
            },
            (out) => this.fromRecorder(out),
          );
  }

  /** Starts listening on 127.0.0.1; resolves once bound. Throws on an upstream that is not an http(s) URL. */
  static async start(options: RecordingProxyOptions): Promise<RecordingProxy> {
    let url: URL;
    try {
      url = new URL(options.upstream);
    } catch {
      throw new Error(`the upstream must be a URL such as https://api.example.com/v1, not "${redactUrl(options.upstream).slice(0, 120)}".`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`the upstream must be an http or https URL, not ${url.protocol}.`);
    const server = createServer({ noDelay: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const proxy = new RecordingProxy(server, options, (server.address() as AddressInfo).port);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      proxy.handle(req, res).catch((err: unknown) => {
        proxy.log(`internal error: ${redactText(err instanceof Error ? err.message : String(err))}`);
        if (!res.headersSent) json(res, 500, errorBody('The Foresight proxy failed internally; see its log.', 'server_error'));
        else res.destroy();
      });
    });
    return proxy;
  }

  /** `http://127.0.0.1:PORT/v1`, the base URL the agent is given instead of its endpoint's. */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  /** Resolves once everything recorded so far, shadow outcomes included, is written. */
  async settled(): Promise<void> {
    await this.recorder?.settled();
  }

  /** Stops forwarding, then lets the recorder write what is left, close the sessions and end. */
  async close(): Promise<void> {
    for (const res of this.open) res.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.agent.destroy();
    await this.recorder?.close();
  }

  dispose(): void {
    void this.close();
  }

  private log(line: string): void {
    this.options.log?.(line);
  }

  private fromRecorder(out: RecorderOutput): void {
    try {
      if (out.type === 'log') this.log(out.line);
      else if (out.type === 'shadow') this.options.onShadow?.(out.turn, out.file);
      else if (out.type === 'session') this.options.onSession?.(out.file, out.change);
      else if (out.type === 'live') this.options.onLive?.(out.file, out.events);
    } catch (err) {
      // A listener's failure is its own: recording and forwarding go on.
      this.log(`a proxy listener failed: ${redactText(err instanceof Error ? err.message : String(err))}`);
    }
  }

  /** Hands `input` to the recorder, which copies its bytes into the turn's batch. */
  private record(input: RecorderInput): void {
    this.recorder?.send(input);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrivedAt = this.now();
    const clientPath = req.url ?? '/';
    const limit = this.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    const body = await readBody(req, limit);
    if (body === undefined) {
      json(res, 413, errorBody(`The request body is larger than ${limit} bytes.`, 'invalid_request_error', 'body_too_large'), { connection: 'close' });
      return;
    }
    const chat = isChatCompletion(req.method, clientPath);
    // Known once the request is on its way: recording never delays the forwarding.
    const id = chat && this.recorder ? this.nextId++ : 0;
    const target = upstreamUrl(this.upstreamBase, clientPath);
    const aborted = new AbortController();
    const hasBody = body.length > 0 || (req.method !== 'GET' && req.method !== 'HEAD');
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const upstreamReq = send(target, {
      method: req.method ?? 'GET',
      headers: withFallbackKey(requestHeadersForUpstream(req.headers, hasBody ? body.length : undefined, chat), this.options.fallbackKey),
      agent: this.agent,
      signal: aborted.signal,
    });
    // Each chunk goes on as it comes: no waiting to fill a packet on either side.
    upstreamReq.setNoDelay(true);
    this.open.add(res);
    let clientGone = false;
    res.once('close', () => {
      this.open.delete(res);
      if (res.writableFinished) return;
      // The client went away: the upstream must stop generating for nobody.
      clientGone = true;
      aborted.abort();
      upstreamReq.destroy();
      if (id) this.record({ type: 'gone', id, at: this.now() });
    });
    upstreamReq.once('error', (err: Error) => {
      if (clientGone) return;
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const reason = redactText(err.message);
      this.log(`upstream ${redactUrl(target.origin)} unreachable: ${reason}`);
      const status = 502;
      json(res, status, errorBody(`The Foresight proxy could not reach the upstream ${redactUrl(target.origin)}: ${reason}`, 'server_error', 'upstream_unreachable'));
      if (id) this.record({ type: 'failed', id, status, message: `The proxy could not reach the upstream: ${reason}`, at: this.now() });
    });
    upstreamReq.once('response', (up: IncomingMessage) => this.relay(up, res, id));
    upstreamReq.end(hasBody ? body : undefined);
    if (id) this.record({ type: 'request', id, body, at: arrivedAt });
  }

  /** Sends the upstream's answer to the client as it arrives; the recorder (request `id`, 0 for none) gets a copy after each write. */
  private relay(up: IncomingMessage, res: ServerResponse, id: number): void {
    const status = up.statusCode ?? 502;
    res.writeHead(status, up.statusMessage, responseHeadersForClient(up.headers));
    // SSE is written out chunk by chunk; there is nothing to gain from delaying the head.
    res.flushHeaders();
    if (id) this.record({ type: 'begin', id, status, contentType: String(up.headers['content-type'] ?? ''), at: this.now() });
    up.on('data', (bytes: Buffer) => {
      if (!res.write(bytes)) {
        // Backpressure: read no more from the upstream until the client has taken this.
        up.pause();
        res.once('drain', () => up.resume());
      }
      if (id) this.record({ type: 'bytes', id, bytes, at: this.now() });
    });
    up.once('end', () => {
      res.end();
      if (id) this.record({ type: 'end', id, at: this.now() });
    });
    up.once('close', () => {
      if (up.complete) return;
      // The upstream cut the stream: so does the proxy, so the client sees what it would have.
      res.destroy();
      if (id) this.record({ type: 'end', id, at: this.now() });
    });
  }
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** The body, or undefined as soon as it is known to exceed `limit` bytes (then it is not read on). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    const onData = (part: Buffer) => {
      size += part.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        resolve(undefined);
        return;
      }
      parts.push(part);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(parts)));
    req.once('error', reject);
  });
}

