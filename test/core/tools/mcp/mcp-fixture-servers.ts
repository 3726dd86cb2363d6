import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { McpServerConfig } from '../../../../src/core/tools/mcp/mcp-config.js';

/** The fixture server over stdio, as a config Foresight would read. */
export function stdioFixture(name: string, extra: Partial<McpServerConfig> = {}): McpServerConfig {
  return { name, type: 'stdio', command: process.execPath, args: ['--import', 'tsx', 'test/fixtures/mcp/stdio-server.ts', name], trusted: false, allowOpenWorld: false, origin: 'test', ...extra };
}

/** Starts the fixture server over Streamable HTTP and resolves once it printed its port. */
export async function startHttpFixture(name: string): Promise<{ url: string; config: (extra?: Partial<McpServerConfig>) => McpServerConfig; stop: () => void }> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/mcp/http-server.ts', name], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the HTTP fixture exited with ${code}`)));
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const m = /^listening (\d+)$/.exec(line);
      if (m) resolve(Number(m[1]));
    });
  });
  const url = `http://127.0.0.1:${port}/mcp`;
  return {
    url,
    config: (extra = {}) => ({ name, type: 'http', url, trusted: false, allowOpenWorld: false, origin: 'test', ...extra }),
    stop: () => child.kill(),
  };
}
