import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { redactText, redactUrl, secretsInUrl } from '../../util/redact-url.js';

/**
 * Sends spans to an OTLP/HTTP receiver (`…/v1/traces`) with OpenTelemetry's exporter, as
 * JSON. Resolves when the receiver accepted them; rejects with a sentence naming the
 * receiver (credentials in its URL masked) when it did not.
 */
export async function sendOtlp(spans: ReadableSpan[], url: string, options: { headers?: Record<string, string>; timeoutMillis?: number } = {}): Promise<void> {
  // Header values (an API key for the receiver) must not reach an error message either.
  const known = [...secretsInUrl(url), ...Object.values(options.headers ?? {})];
  const exporter = new OTLPTraceExporter({ url, headers: options.headers ?? {}, timeoutMillis: options.timeoutMillis ?? 10_000 });
  try {
    await new Promise<void>((resolve, reject) => {
      exporter.export(spans, (result) => {
        if (result.code === 0) resolve();
        else reject(new Error(`The OTLP receiver at ${redactUrl(url)} did not accept the spans: ${redactText(result.error?.message ?? 'no reason given', known)}.`));
      });
    });
  } finally {
    await exporter.shutdown();
  }
}
