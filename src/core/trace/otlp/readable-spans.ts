import { createHash } from 'node:crypto';
import { SpanKind, SpanStatusCode, TraceFlags, type Attributes, type HrTime, type SpanContext } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { SessionSpans, SpanDraft } from './session-spans.js';

/**
 * Drafts as the OpenTelemetry SDK's finished spans, so the official serialiser and exporter
 * encode them. Ids derive from the session id and the span's key, so exporting a session
 * twice gives the same trace and span ids (a backend deduplicates rather than doubling). The
 * resource names the Foresight version that recorded each session.
 */
export function readableSpans(sessions: readonly SessionSpans[]): ReadableSpan[] {
  const out: ReadableSpan[] = [];
  for (const { sessionId, foresightVersion, spans } of sessions) {
    // The Foresight that recorded the session produced what the spans describe.
    const resource = resourceFromAttributes({ 'service.name': 'foresight', 'service.version': foresightVersion });
    const scope = { name: 'foresight', version: foresightVersion };
    const traceId = hex(`trace\u0000${sessionId}`, 32);
    const contextOf = (key: string): SpanContext => ({ traceId, spanId: hex(`span\u0000${sessionId}\u0000${key}`, 16), traceFlags: TraceFlags.SAMPLED });
    for (const draft of spans) out.push(toReadable(draft, contextOf, resource, scope));
  }
  return out;
}

function toReadable(
  draft: SpanDraft,
  contextOf: (key: string) => SpanContext,
  resource: ReadableSpan['resource'],
  scope: ReadableSpan['instrumentationScope'],
): ReadableSpan {
  const context = contextOf(draft.key);
  const endMs = Math.max(draft.startMs, draft.endMs);
  const span: ReadableSpan = {
    name: draft.name,
    kind: draft.kind === 'client' ? SpanKind.CLIENT : SpanKind.INTERNAL,
    spanContext: () => context,
    startTime: hrTime(draft.startMs),
    endTime: hrTime(endMs),
    duration: hrTime(endMs - draft.startMs),
    status: draft.status.code === 'error' ? { code: SpanStatusCode.ERROR, message: draft.status.message ?? '' } : { code: draft.status.code === 'ok' ? SpanStatusCode.OK : SpanStatusCode.UNSET },
    attributes: draft.attributes as Attributes,
    links: draft.links.map((l) => ({ context: contextOf(l.key), attributes: l.attributes as Attributes })),
    events: [],
    ended: true,
    resource,
    instrumentationScope: scope,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
  return draft.parent === undefined ? span : { ...span, parentSpanContext: contextOf(draft.parent) };
}

function hrTime(ms: number): HrTime {
  const whole = Math.max(0, ms);
  const seconds = Math.floor(whole / 1000);
  return [seconds, Math.round((whole - seconds * 1000) * 1e6)];
}

function hex(seed: string, length: number): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, length);
}
