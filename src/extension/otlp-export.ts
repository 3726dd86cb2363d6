import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { Session } from '../core/session/format.js';
import { readSessionFile } from '../core/session/session-reader.js';
import { otlpJson } from '../core/trace/otlp/otlp-json.js';
import { sendOtlp } from '../core/trace/otlp/otlp-send.js';
import { readableSpans } from '../core/trace/otlp/readable-spans.js';
import { sessionSpans } from '../core/trace/otlp/session-spans.js';
import type { Ctx } from './ctx.js';

/** Saves one session as an OTLP/JSON trace file, content captured only when the user's setting says so. */
export async function saveSessionAsOtlp(ctx: Ctx, session: Session, file: string): Promise<void> {
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.file(`${basename(file).replace(/\.jsonl?$/, '')}.otlp.json`),
    filters: { 'OTLP JSON': ['json'] },
    title: 'Export as OpenTelemetry trace (OTLP/JSON)',
  });
  if (!target) return;
  const { captureContent } = ctx.config.settings.telemetry;
  await writeFile(target.fsPath, otlpJson(readableSpans([sessionSpans(session, { captureContent })])));
  void vscode.window.showInformationMessage(`Foresight: wrote the trace of "${session.header.title ?? session.header.id}" to ${basename(target.fsPath)}${captureContent ? ' (with its content)' : ' (without messages or reasoning; foresight.telemetry.captureContent adds them)'}.`);
}

/**
 * Sends a finished run's recording to `foresight.telemetry.otlpEndpoint`, when one is set.
 * Never throws and never interrupts: a receiver that is down is one line in the log.
 */
export async function sendRecordingToCollector(ctx: Ctx, path: string): Promise<void> {
  const { otlpEndpoint, captureContent } = ctx.config.settings.telemetry;
  if (otlpEndpoint === '') return;
  try {
    const read = await readSessionFile(path);
    if (read.sessions.length === 0) return;
    await sendOtlp(readableSpans(read.sessions.map((s) => sessionSpans(s, { captureContent }))), otlpEndpoint);
    ctx.log.info(`sent the trace of ${basename(path)} to the OTLP receiver`);
  } catch (error) {
    ctx.log.warn(ctx.redact(`could not send the trace of ${basename(path)}: ${error instanceof Error ? error.message : String(error)}`));
  }
}
