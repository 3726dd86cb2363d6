import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';

/** The spans as one OTLP/JSON `ExportTraceServiceRequest`, encoded by OpenTelemetry's own serialiser. */
export function otlpJson(spans: ReadableSpan[]): string {
  const bytes = JsonTraceSerializer.serializeRequest(spans);
  if (!bytes) throw new Error('The OpenTelemetry serialiser produced nothing for these spans.');
  return new TextDecoder().decode(bytes);
}
