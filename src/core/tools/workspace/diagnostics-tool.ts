import { relative, sep } from 'node:path';
import { realpath } from 'node:fs/promises';
import type { Tool } from '../../chat/tool.js';
import { resolveInsideRoot } from '../root-path.js';
import { underDeadline } from './deadline.js';
import { fail } from './workspace-result.js';

/** One problem the editor reports in a file; lines and columns are 1-based. */
export interface Diagnostic {
  severity: 'error' | 'warning' | 'information' | 'hint';
  message: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  /** Who reported it: `ts`, `eslint`… */
  source?: string;
  code?: string | number;
}

/**
 * Gives the current diagnostics of a file, by its real absolute path (already checked to be
 * inside the root). Supplied by the host: in VS Code, `languages.getDiagnostics(uri)`.
 */
export type DiagnosticsProvider = (absolutePath: string, signal: AbortSignal) => Promise<readonly Diagnostic[]>;

/**
 * `get_diagnostics`: the errors and warnings the editor currently shows for a file inside
 * the root, from an injected provider. Read-only; fresh while the provider reports the same.
 */
export function diagnosticsTool(root: string, provider: DiagnosticsProvider, timeoutMs: number): Tool {
  const query = async (path: string, signal: AbortSignal): Promise<{ text: string } | { error: string }> => {
    const resolved = await resolveInsideRoot(root, path);
    signal.throwIfAborted();
    if ('error' in resolved) return resolved;
    const shown = relative(await realpath(root), resolved.path).split(sep).join('/') || path;
    const found = await provider(resolved.path, signal);
    signal.throwIfAborted();
    return { text: formatDiagnostics(shown, found) };
  };
  return {
    name: 'get_diagnostics',
    description: 'Get the errors, warnings and hints the editor currently reports for a file in the workspace (from its language servers and linters).',
    parameters: {
      type: 'object',
      properties: { path: { type: 'string', description: 'File relative to the workspace root.' } },
      required: ['path'],
      additionalProperties: false,
    },
    readOnly: true,
    run(args, signal) {
      const path = args.path;
      if (typeof path !== 'string') return Promise.resolve(fail('get_diagnostics needs "path" as a string.'));
      return underDeadline(
        signal,
        timeoutMs,
        async (s) => {
          const first = await query(path, s);
          if ('error' in first) return fail(first.error);
          return {
            output: first.text,
            isError: false,
            // Under the same deadline: an editor that stops answering makes the result stale, not the claim wait.
            isFresh: async () => {
              try {
                const now = await underDeadline(new AbortController().signal, timeoutMs, (fresh) => query(path, fresh), () => undefined);
                return now !== undefined && 'text' in now && now.text === first.text;
              } catch {
                return false;
              }
            },
          };
        },
        () => fail(`the editor did not report diagnostics for ${path} within ${timeoutMs} ms.`),
      );
    },
  };
}

/** One line per diagnostic, most severe first, as `path:line:column: severity: message [source code]`. */
export function formatDiagnostics(path: string, diagnostics: readonly Diagnostic[]): string {
  if (diagnostics.length === 0) return `(no problems reported in ${path})`;
  const rank = { error: 0, warning: 1, information: 2, hint: 3 } as const;
  return [...diagnostics]
    .sort((a, b) => rank[a.severity] - rank[b.severity] || a.line - b.line || a.column - b.column)
    .map((d) => {
      const origin = [d.source, d.code].filter((x) => x !== undefined && x !== '').join(' ');
      return `${path}:${d.line}:${d.column}: ${d.severity}: ${d.message.replace(/\s*\n\s*/g, ' ')}${origin ? ` [${origin}]` : ''}`;
    })
    .join('\n');
}
