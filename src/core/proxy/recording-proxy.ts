import { randomUUID } from 'node:crypto';
import { Agent as HttpAgent, createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { ChatMessage, ToolSpec } from '../chat/types.js';
import type { Disposable } from '../disposable.js';
import { DEFAULT_MAX_BODY_BYTES } from '../endpoint/local-endpoint.js';
import { errorBody } from '../endpoint/openai-errors.js';
import { textOfContent } from '../session/message-key.js';
import { redactText, redactUrl } from '../util/redact-url.js';
import { continues } from './conversation-match.js';
import { isChatCompletion, requestHeadersForUpstream, responseHeadersForClient, upstreamUrl } from './forwarding.js';
import { ProxyConversation } from './proxy-conversation.js';
import { RecordingScheduler } from './recording-scheduler.js';
import { RecordingTap } from './recording-tap.js';
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
  /** Runs the recording work; one with a budget of 0.2 ms per event-loop turn by default. */
  scheduler?: RecordingScheduler;
}

const DEFAULT_MAX_CONVERSATIONS = 64;

/**
 * An OpenAI-protocol proxy on 127.0.0.1 in front of an agent's own endpoint. It forwards every
 * request as bytes (status, headers but hop-by-hop ones, each chunk as it arrives, errors as
 * they are), pausing the upstream when the client is slow and aborting it when the client goes;
 * the `Authorization` header goes upstream only. Off the forwarding path it reads a copy of
 * each chat completion, records each conversation as one session and, with `shadow`, what
 * speculation would have done.
 */
export class RecordingProxy implements Disposable {
  private readonly conversations: ProxyConversation[] = [];
  private readonly upstreamBase: URL;
  private readonly agent: HttpAgent;
  private readonly now: () => number;
  private readonly open = new Set<ServerResponse>();
  /** Answers being recorded, with their conversations. */
  private readonly taps = new Map<RecordingTap, ProxyConversation>();
  private readonly scheduler: RecordingScheduler;

  private constructor(
    private readonly server: Server,
    private readonly options: RecordingProxyOptions,
    readonly port: number,
  ) {
    this.upstreamBase = new URL(options.upstream);
    this.agent = this.upstreamBase.protocol === 'https:' ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
    this.now = options.now ?? (() => performance.now());
    this.scheduler = options.scheduler ?? new RecordingScheduler();
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
    // Answers first: an answer's end may start a shadow replay.
    for (const tap of this.taps.keys()) if (tap.behind) tap.catchUp();
    await Promise.all([...this.taps.keys()].map((t) => t.closed));
    await Promise.all(this.conversations.map((c) => c.settled()));
  }

  async close(): Promise<void> {
    for (const res of this.open) res.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.agent.destroy();
    await this.settled();
    for (const c of this.conversations) c.dispose();
    this.conversations.length = 0;
  }

  dispose(): void {
    void this.close();
  }

  private log(line: string): void {
    this.options.log?.(line);
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
    // Set once the request is on its way: recording never delays the forwarding.
    let recording: { tap: RecordingTap } | undefined;
    const target = upstreamUrl(this.upstreamBase, clientPath);
    const aborted = new AbortController();
    const hasBody = body.length > 0 || (req.method !== 'GET' && req.method !== 'HEAD');
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const upstreamReq = send(target, {
      method: req.method ?? 'GET',
      headers: requestHeadersForUpstream(req.headers, hasBody ? body.length : undefined, chat),
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
      recording?.tap.clientGone(this.now());
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
      recording?.tap.failed(status, `The proxy could not reach the upstream: ${reason}`, this.now());
    });
    upstreamReq.once('response', (up: IncomingMessage) => this.relay(up, res, recording?.tap));
    upstreamReq.end(hasBody ? body : undefined);
    if (chat) recording = this.beginRecording(body, arrivedAt);
  }

  /** Sends the upstream's answer to the client as it arrives; the tap gets a copy after each write. */
  private relay(up: IncomingMessage, res: ServerResponse, tap: RecordingTap | undefined): void {
    const status = up.statusCode ?? 502;
    res.writeHead(status, up.statusMessage, responseHeadersForClient(up.headers));
    // SSE is written out chunk by chunk; there is nothing to gain from delaying the head.
    res.flushHeaders();
    tap?.begin(status, String(up.headers['content-type'] ?? ''), this.now());
    up.on('data', (bytes: Buffer) => {
      if (!res.write(bytes)) {
        // Backpressure: read no more from the upstream until the client has taken this.
        up.pause();
        res.once('drain', () => up.resume());
      }
      tap?.push(bytes, this.now());
    });
    up.once('end', () => {
      res.end();
      tap?.end(this.now());
    });
    up.once('close', () => {
      if (up.complete) return;
      // The upstream cut the stream: so does the proxy, so the client sees what it would have.
      res.destroy();
      tap?.end(this.now());
    });
  }

  /** Parses a chat completion request for recording; undefined when nothing is recorded. */
  private beginRecording(body: Buffer, at: number): { tap: RecordingTap } | undefined {
    const dir = this.options.sessionsDir;
    if (dir === undefined) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      // Forwarded all the same: the upstream's own answer tells the agent what is wrong.
      return undefined;
    }
    if (parsed === null || typeof parsed !== 'object' || !Array.isArray((parsed as { messages?: unknown }).messages)) return undefined;
    const request = parsed as { model?: unknown; messages: ChatMessage[]; tools?: unknown; stream?: unknown };
    const messages = request.messages.filter((m) => m !== null && typeof m === 'object' && typeof m.role === 'string');
    const tools = Array.isArray(request.tools) ? (request.tools as ToolSpec[]) : [];
    const model = typeof request.model === 'string' ? request.model : '';
    const conversation = this.conversationFor(messages, model, tools, dir, at);
    const turn = conversation.request(messages, at);
    const tap = new RecordingTap(conversation, turn, this.scheduler);
    this.taps.set(tap, conversation);
    void tap.closed.then(() => this.taps.delete(tap));
    return { tap };
  }

  private conversationFor(messages: ChatMessage[], model: string, tools: ToolSpec[], dir: string, at: number): ProxyConversation {
    // An answer that has ended but is still queued for recording may be the one this request
    // continues: that one (only) is recorded now, so the request finds it.
    for (const [tap, c] of this.taps) {
      if (tap.behind && messages.length > c.tail.request.length && continues({ request: c.tail.request }, messages)) tap.catchUp();
    }
    let best: ProxyConversation | undefined;
    for (const c of this.conversations) {
      if (continues(c.tail, messages) && (!best || c.tail.request.length > best.tail.request.length)) best = c;
    }
    if (best) {
      // Most recently used last, so the oldest is the one closed when there are too many.
      this.conversations.splice(this.conversations.indexOf(best), 1);
      this.conversations.push(best);
      return best;
    }
    const id = randomUUID();
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const firstUser = messages.find((m) => m.role === 'user');
    const title = firstUser ? textOfContent(firstUser.content).trim() : '';
    const conversation = new ProxyConversation(
      {
        path: join(dir, `${stamp}-${id.slice(0, 8)}.jsonl`),
        id,
        model,
        endpoint: this.options.upstream,
        tools,
        foresightVersion: this.options.foresightVersion ?? 'unknown',
        ...(title ? { title: title.length > 80 ? `${title.slice(0, 79)}…` : title } : {}),
        ...(this.options.shadow ? { shadow: this.options.shadow } : {}),
        onShadow: (found) => this.options.onShadow?.(found, conversation.path),
        log: (line) => this.log(line),
      },
      at,
    );
    this.conversations.push(conversation);
    const max = this.options.maxConversations ?? DEFAULT_MAX_CONVERSATIONS;
    while (this.conversations.length > max) {
      const old = this.conversations.shift()!;
      void old.settled().then(() => old.dispose());
    }
    return conversation;
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

