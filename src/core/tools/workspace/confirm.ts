/** What a mutating tool asks the user before it acts, shown as is (a modal in VS Code). */
export type ConfirmRequest =
  | { kind: 'write_file'; title: string; path: string; /** Real absolute path. */ absolutePath: string; exists: boolean; bytes: number; preview: string }
  | { kind: 'run_command'; title: string; command: string; cwd: string };

/** Asks the user; resolves true only when they agreed. Supplied by the host. */
export type ConfirmProvider = (request: ConfirmRequest, signal: AbortSignal) => Promise<boolean>;

/** The result sentence for a refusal: the model should take it as the user's decision. */
export function declined(what: string): { output: string; isError: true } {
  return { output: `The user declined: ${what} was not done. Do not retry it unless the user asks.`, isError: true };
}
