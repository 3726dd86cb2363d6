import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChatMessage } from '../chat/types.js';
import type { Disposable } from '../disposable.js';
import { DEFAULT_REPLAY_TIMING } from '../engine/replay-timing.js';
import type { Session, TimedChunk } from '../session/format.js';
import type { RawUsage } from '../stream/raw-chunk.js';
import { describeConversation } from '../session/message-key.js';
import { delay } from '../util/delay.js';
import { FAULT_HEADER, faultsFromHeader, faultsProblem, type EndpointFaults } from './endpoint-faults.js';
import { errorBody } from './openai-errors.js';
import { ExchangeTable, piecesOfExchange, wholeChoiceOfExchange, type ExchangeFeatures, type ExchangeMatch, type RecordedExchange } from './exchange-table.js';
import { ChunkShaper, type ReasoningField } from './reasoning-shape.js';
import { countTokens, paceAtRate, piecesOfTurn, rawPiecesOfTurn, type ReplayPiece } from './replay-pieces.js';
import { TurnIndex } from './turn-index.js';
import { wholeAnswer } from './whole-answer.js';

export interface LocalEndpointOptions {
  sessions: Session[];
  /** 0 (the default) picks a free port. */
  port?: number;
  /**
   * Pace in tokens per second. Unset: recorded timing where a session has it, else
   * DEFAULT_TOKENS_PER_SECOND. Null: recorded timing, and no pacing for untimed sessions.
   */
  tokensPerSecond?: number | null;
  reasoningField?: ReasoningField;
  /**
   * Turns the fault switches on (`faults`, `setFaults`, the `x-foresight-fault` header): for
   * tests and `foresight serve --faults` only. Off, the header is ignored like any other.
   */
  allowFaults?: boolean;
  /** Faults for every request from the start; needs `allowFaults`. */
  faults?: EndpointFaults;
  /** Requests answered at once; more get 503. 32 by default. */
  maxConcurrentRequests?: number;
  /** Largest request body accepted; larger gets 413. 32 MiB by default. */
  maxBodyBytes?: number;
  log?: (line: string) => void;
  /** Single request/answer pairs served besides the sessions (SpecReason's draft, judge and continuation calls); tried first. */
  exchanges?: readonly RecordedExchange[];
  /** Features of the server the exchanges imitate (logprobs, continuation); all on by default. */
  exchangeFeatures?: ExchangeFeatures;
}

/** The pace for sessions imported without timing, roughly a hosted reasoning model's. */
export const DEFAULT_TOKENS_PER_SECOND = DEFAULT_REPLAY_TIMING.tokensPerSecond;
/** The largest request body the endpoint reads by default; a larger one is answered 413. */
export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;
/** How many requests the endpoint answers at once by default; more are answered 503. */
export const DEFAULT_MAX_CONCURRENT_REQUESTS = 32;
// Error messages and log lines quote what a client sent at most this long.
const EXCERPT_CHARS = 120;

/**
 * An OpenAI-compatible HTTP endpoint on 127.0.0.1 that serves recorded sessions: a chat
 * completion request is answered with the recorded turn whose request had the same messages,
 * streamed (SSE) or whole, at the recorded or a stated pace, in the chosen reasoning shape.
 */
export class LocalEndpoint implements Disposable {
  private readonly index: TurnIndex;
  private readonly exchanges: ExchangeTable;
  private faults: EndpointFaults;
  private failuresServed = 0;
  private readonly open = new Set<ServerResponse>();
  private inFlight = 0;

  private constructor(
    private readonly server: Server,
    private readonly options: LocalEndpointOptions,
    readonly port: number,
  ) {
    this.index = new TurnIndex(options.sessions);
    this.exchanges = new ExchangeTable(options.exchanges ?? [], options.exchangeFeatures);
    this.faults = { ...(options.faults ?? {}) };
  }

  /**
   * Starts listening on 127.0.0.1 and resolves once the port is bound. Rejects when `faults`
   * are given without `allowFaults`, or are out of range.
   */
  static async start(options: LocalEndpointOptions): Promise<LocalEndpoint> {
    if (options.faults && Object.keys(options.faults).length > 0) {
      if (!options.allowFaults) throw new Error('fault switches are for tests: start the endpoint with allowFaults (foresight serve --faults) to use them.');
      const problem = faultsProblem(options.faults);
      if (problem) throw new Error(problem);
    }
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const port = (server.address() as AddressInfo).port;
    const endpoint = new LocalEndpoint(server, options, port);
    const maxConcurrent = options.maxConcurrentRequests ?? DEFAULT_MAX_CONCURRENT_REQUESTS;
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (endpoint.inFlight >= maxConcurrent) {
        endpoint.log(`busy: ${endpoint.inFlight} requests in flight; answering 503`);
        endpoint.json(res, 503, errorBody(`The replay endpoint is answering ${maxConcurrent} requests already; try again shortly.`, 'server_error', 'overloaded'), {
          'retry-after': '1',
          connection: 'close',
        });
        return;
      }
      endpoint.inFlight++;
      res.once('close', () => endpoint.inFlight--);
      endpoint.handle(req, res).catch((err: unknown) => {
        endpoint.log(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        if (!res.headersSent) endpoint.json(res, 500, errorBody('The replay endpoint failed internally; see its log.', 'server_error'));
        else res.destroy();
      });
    });
    endpoint.log(`serving ${options.sessions.length} session(s), ${endpoint.index.turnCount} turn(s), ${endpoint.exchanges.size} exchange(s), models: ${endpoint.models.join(', ') || 'none'}`);
    return endpoint;
  }

  /** `http://127.0.0.1:PORT/v1`, the base URL an OpenAI client is given. */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  get models(): string[] {
    return [...new Set([...this.index.models, ...this.exchanges.models])];
  }

  /** Replaces the fault switches; the failure count starts again. Throws unless started with `allowFaults`. */
  setFaults(faults: EndpointFaults): void {
    if (!this.options.allowFaults) throw new Error('fault switches are for tests: start the endpoint with allowFaults to use them.');
    const problem = faultsProblem(faults);
    if (problem) throw new Error(problem);
    this.faults = { ...faults };
    this.failuresServed = 0;
  }

  async close(): Promise<void> {
    for (const res of this.open) res.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  dispose(): void {
    void this.close();
  }

  private log(line: string): void {
    this.options.log?.(line);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method === 'GET' && (path === '/v1/models' || path === '/models')) {
      this.json(res, 200, {
        object: 'list',
        data: this.models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'foresight-replay' })),
      });
      return;
    }
    if (path === '/v1/chat/completions' || path === '/chat/completions') {
      if (req.method !== 'POST') {
        this.json(res, 405, errorBody('Use POST for /v1/chat/completions.', 'invalid_request_error', 'method_not_allowed'));
        return;
      }
      await this.chatCompletions(req, res);
      return;
    }
    this.json(res, 404, errorBody(`Unknown route ${excerpt(`${req.method ?? ''} ${path}`)}. This endpoint serves POST /v1/chat/completions and GET /v1/models.`, 'invalid_request_error', 'unknown_url'));
  }

  private async chatCompletions(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const limit = this.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    const text = await readBody(req, limit);
    if (text === undefined) {
      this.log(`request body over ${limit} bytes; answering 413`);
      // The rest of the body is not read: the connection closes after the answer.
      this.json(res, 413, errorBody(`The request body is larger than ${limit} bytes.`, 'invalid_request_error', 'body_too_large'), { connection: 'close' });
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (err) {
      this.json(res, 400, errorBody(`The request body is not valid JSON: ${excerpt(err instanceof Error ? err.message : String(err))}`, 'invalid_request_error', 'invalid_json'));
      return;
    }
    const problem = validateRequest(body);
    if (typeof problem === 'string') {
      this.json(res, 400, errorBody(problem, 'invalid_request_error', 'invalid_request'));
      return;
    }
    const request = problem;
    if (!this.models.includes(request.model)) {
      this.json(
        res,
        404,
        errorBody(
          `The model "${excerpt(request.model)}" does not exist on this replay endpoint. It serves recorded sessions of: ${this.models.join(', ') || 'none'}.`,
          'invalid_request_error',
          'model_not_found',
          'model',
        ),
      );
      return;
    }
    let faults = this.faults;
    if (this.options.allowFaults) {
      const asked = faultsFromHeader(req.headers[FAULT_HEADER]);
      if ('problem' in asked) {
        this.json(res, 400, errorBody(asked.problem, 'invalid_request_error', 'invalid_fault'));
        return;
      }
      faults = { ...faults, ...asked.faults };
    }
    if (faults.failStatus !== undefined && (faults.failCount === undefined || this.failuresServed < faults.failCount)) {
      this.failuresServed++;
      this.log(`fault: answering ${faults.failStatus}`);
      this.json(res, faults.failStatus, errorBody(`Injected failure (status ${faults.failStatus}) from the replay endpoint's fault switch.`, faults.failStatus === 429 ? 'rate_limit_error' : 'server_error', 'injected_fault'), {
        'retry-after-ms': '20',
      });
      return;
    }
    const exchange = this.exchanges.match(body as Record<string, unknown>);
    if (exchange) {
      await this.serveExchange(req, res, exchange, request, faults);
      return;
    }
    const found = this.index.find(request.messages);
    const ended = found ? undefined : this.index.findEndedBefore(request.messages);
    if (ended) {
      this.json(
        res,
        404,
        errorBody(
          `The recorded session "${ended.session.header.title ?? ended.session.header.id}" ends after these tool calls: there is no recorded answer to continue with.`,
          'invalid_request_error',
          'recording_ended',
          'messages',
        ),
      );
      return;
    }
    if (!found) {
      const described = excerpt(describeConversation(request.messages));
      this.log(`no recorded turn for ${described}`);
      this.json(
        res,
        404,
        errorBody(
          `No recorded turn matches this conversation (${described}). The replay endpoint answers only the conversations of its recorded sessions; start from one of their prompts, or configure a real endpoint.`,
          'invalid_request_error',
          'no_recorded_turn',
          'messages',
        ),
      );
      return;
    }
    const pieces = this.piecesFor(found.session, found.turn.chunks);
    const id = `chatcmpl-${randomBytes(12).toString('hex')}`;
    const created = Math.floor(Date.now() / 1000);
    this.log(`serving ${found.session.header.title ?? found.session.header.id} turn ${found.turn.index} (${pieces.length} pieces, ${request.stream ? 'stream' : 'whole'})`);
    if (request.stream) await this.stream(req, res, pieces, id, request.model, created, request.includeUsage, faults);
    else this.whole(res, found.turn.chunks, pieces, id, request.model, created);
  }

  private async serveExchange(req: IncomingMessage, res: ServerResponse, match: ExchangeMatch, request: ValidRequest, faults: EndpointFaults): Promise<void> {
    if (match.kind === 'refuse') {
      this.json(res, match.status, errorBody(match.message, 'invalid_request_error', match.code, match.param));
      return;
    }
    const answer = match.exchange.answer;
    const rate = this.options.tokensPerSecond === undefined ? DEFAULT_TOKENS_PER_SECOND : this.options.tokensPerSecond;
    const base = piecesOfExchange(answer, { continuation: match.exchange.continuation === true, thinkTags: this.options.reasoningField === 'think-tags' });
    const pieces = typeof rate === 'number' && rate > 0 ? paceAtRate(base, rate) : base;
    const id = `chatcmpl-${randomBytes(12).toString('hex')}`;
    const created = Math.floor(Date.now() / 1000);
    this.log(`serving a recorded exchange for ${request.model}${match.exchange.continuation ? ' (continuation)' : ''} (${request.stream ? 'stream' : 'whole'})`);
    if (request.stream) {
      await this.stream(req, res, pieces, id, request.model, created, request.includeUsage, faults);
      return;
    }
    const field = this.options.reasoningField === 'reasoning' ? 'reasoning' : 'reasoning_content';
    this.json(res, 200, { id, object: 'chat.completion', created, model: request.model, choices: [wholeChoiceOfExchange(answer, match.logprobs, field)], usage: estimateUsage(pieces) });
  }

  private piecesFor(session: Session, chunks: Session['turns'][number]['chunks']): ReplayPiece[] {
    const field = this.options.reasoningField ?? 'reasoning_content';
    const base = field === 'as-recorded' ? rawPiecesOfTurn(chunks) : piecesOfTurn(chunks);
    const rate = this.options.tokensPerSecond;
    if (typeof rate === 'number' && rate > 0) return paceAtRate(base, rate);
    const timed = session.header.timing !== 'none';
    if (timed || rate === null) return base;
    return paceAtRate(base, DEFAULT_TOKENS_PER_SECOND);
  }

  private async stream(
    req: IncomingMessage,
    res: ServerResponse,
    pieces: ReplayPiece[],
    id: string,
    model: string,
    created: number,
    includeUsage: boolean,
    faults: EndpointFaults,
  ): Promise<void> {
    const field = this.options.reasoningField ?? 'reasoning_content';
    const shaper = new ChunkShaper(field, id, model, created);
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    this.open.add(res);
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const started = performance.now();
    let sent = 0;
    let pending = '';
    let recordedUsage: RawUsage | undefined;
    try {
      for (const piece of pieces) {
        if (piece.kind === 'usage') {
          recordedUsage = piece.usage;
          continue;
        }
        const wait = piece.t - (performance.now() - started);
        if (wait >= 1) {
          if (pending) res.write(pending);
          pending = '';
          await delay(wait, gone.signal);
        }
        for (const chunk of shaper.shape(piece)) {
          if (faults.cutAfterChunks !== undefined && sent >= faults.cutAfterChunks) {
            if (pending) res.write(pending);
            this.log(`fault: cutting the stream after ${sent} chunks`);
            // Let the written chunks reach the client before the connection dies.
            await new Promise<void>((resolve) => res.write('', () => resolve()));
            req.socket.destroy();
            return;
          }
          pending += `data: ${JSON.stringify(chunk)}\n\n`;
          sent++;
        }
      }
      if (includeUsage) pending += `data: ${JSON.stringify(shaper.usageChunk(recordedUsage ?? estimateUsage(pieces)))}\n\n`;
      pending += 'data: [DONE]\n\n';
      res.end(pending);
    } catch (err) {
      if (!gone.signal.aborted) throw err;
      this.log('client went away; stream stopped');
    } finally {
      this.open.delete(res);
    }
  }

  private whole(res: ServerResponse, chunks: readonly TimedChunk[], pieces: ReplayPiece[], id: string, model: string, created: number): void {
    const field = this.options.reasoningField ?? 'reasoning_content';
    const answer = wholeAnswer(chunks);
    const { reasoning, content } = answer;
    const finish = answer.finishReason;
    const usage = answer.usage;
    const calls = answer.calls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.arguments } }));
    const message: Record<string, unknown> = { role: 'assistant', content: content.length > 0 ? content : null };
    if (reasoning.length > 0) {
      if (field === 'think-tags') message.content = `<think>${reasoning}</think>\n\n${content}`;
      else if (field === 'reasoning') message.reasoning = reasoning;
      else message.reasoning_content = reasoning;
    }
    if (calls.length > 0) message.tool_calls = calls;
    this.json(res, 200, {
      id,
      object: 'chat.completion',
      created,
      model,
      choices: [{ index: 0, message, finish_reason: finish, logprobs: null }],
      usage: usage ?? estimateUsage(pieces),
    });
  }

  private json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  }
}

interface ValidRequest {
  model: string;
  messages: ChatMessage[];
  stream: boolean;
  includeUsage: boolean;
}

/** The parts of a chat completion request the replay needs, or a sentence saying what is wrong. */
function validateRequest(body: unknown): ValidRequest | string {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'The request body must be a JSON object.';
  const b = body as Record<string, unknown>;
  if (typeof b.model !== 'string' || b.model.length === 0) return '"model" is required and must be a string.';
  // An empty list is let through to matching: an imported rollout may have recorded an empty input.
  if (!Array.isArray(b.messages)) return '"messages" is required and must be an array.';
  for (const [i, m] of b.messages.entries()) {
    if (m === null || typeof m !== 'object' || typeof (m as { role?: unknown }).role !== 'string') {
      return `messages[${i}] must be an object with a "role".`;
    }
  }
  const options = b.stream_options as { include_usage?: unknown } | undefined;
  return {
    model: b.model,
    messages: b.messages as ChatMessage[],
    stream: b.stream === true,
    includeUsage: options?.include_usage === true,
  };
}

/** For a whole (non-streamed) answer raw pieces are normalised first, so every shape aggregates alike. */
function piecesForWhole(pieces: ReplayPiece[]): ReplayPiece[] {
  if (!pieces.some((p) => p.kind === 'raw')) return pieces;
  return piecesOfTurn(pieces.flatMap((p) => (p.kind === 'raw' ? [{ t: p.t, chunk: p.chunk }] : [])));
}

function estimateUsage(pieces: ReplayPiece[]): RawUsage {
  const { reasoning, completion } = countTokens(piecesForWhole(pieces));
  return { prompt_tokens: 0, completion_tokens: completion, total_tokens: completion, completion_tokens_details: { reasoning_tokens: reasoning } };
}

/** At most EXCERPT_CHARS of `text`, cut on a whole character, with "…" where it was cut. */
function excerpt(text: string): string {
  if (text.length <= EXCERPT_CHARS) return text;
  let end = EXCERPT_CHARS;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/** The body as text, or undefined as soon as it is known to exceed `limit` bytes (the rest is not read). */
function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    const done = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (part: Buffer) => {
      size += part.length;
      if (size > limit) {
        // Paused rather than destroyed, so the 413 can still be written on this socket.
        done();
        req.pause();
        resolve(undefined);
        return;
      }
      parts.push(part);
    };
    const onEnd = () => {
      done();
      resolve(Buffer.concat(parts).toString('utf8'));
    };
    const onError = (err: Error) => {
      done();
      reject(err);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}
