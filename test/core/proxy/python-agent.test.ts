import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LocalEndpoint } from '../../../src/core/endpoint/local-endpoint.js';
import { RecordingProxy } from '../../../src/core/proxy/recording-proxy.js';
import { loadSessions } from '../../../src/core/session/load-sessions.js';
import { ORDER_PROMPT, ORDER_RESULT, ORDER_TOOLS, orderSession } from './order-transcript.js';

const hasPythonOpenai = spawnSync('python3', ['-c', 'import openai'], { stdio: 'ignore' }).status === 0;
const SKIP = hasPythonOpenai
  ? false
  : 'python3 with the openai package is not installed (Debian 13 has python3-openai; Debian 12 does not): the Python agent test is skipped';

// A small agent loop written as a Python user would: stream, collect the call, send the result, stream the answer.
const AGENT = `
import json, os, sys
from openai import OpenAI
client = OpenAI(base_url=os.environ["BASE_URL"], api_key="sk-python-agent-key", max_retries=0)
prompt = json.loads(os.environ["PROMPT"])
tools = json.loads(os.environ["TOOLS"])
result = json.loads(os.environ["RESULT"])
calls = {}
for chunk in client.chat.completions.create(model="desk-reasoner", messages=prompt, tools=tools, stream=True):
    for d in (chunk.choices[0].delta.tool_calls or []) if chunk.choices else []:
        c = calls.setdefault(d.index, {"id": "", "name": "", "arguments": ""})
        c["id"] = d.id or c["id"]
        if d.function and d.function.name: c["name"] = d.function.name
        if d.function and d.function.arguments: c["arguments"] += d.function.arguments
call = calls[0]
messages = prompt + [{"role": "assistant", "content": None, "tool_calls": [{"id": call["id"], "type": "function", "function": {"name": call["name"], "arguments": call["arguments"]}}]}, result]
answer = "".join((ch.choices[0].delta.content or "") for ch in client.chat.completions.create(model="desk-reasoner", messages=messages, tools=tools, stream=True) if ch.choices)
print(json.dumps({"call": call["name"], "answer": answer}))
`;

describe('a Python agent (the openai package) through the proxy', { skip: SKIP }, () => {
  it('runs unchanged but for its base URL, and its conversation is recorded as one session', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'foresight-python-'));
    const upstream = await LocalEndpoint.start({ sessions: [orderSession()], tokensPerSecond: 400 });
    const proxy = await RecordingProxy.start({ upstream: upstream.baseUrl, sessionsDir: dir });
    try {
      const child = spawn('python3', ['-c', AGENT], {
        env: { ...process.env, BASE_URL: proxy.baseUrl, PROMPT: JSON.stringify(ORDER_PROMPT), TOOLS: JSON.stringify(ORDER_TOOLS), RESULT: JSON.stringify(ORDER_RESULT) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      assert.equal(code, 0, err);
      const printed = JSON.parse(out) as { call: string; answer: string };
      assert.equal(printed.call, 'lookup_order');
      assert.match(printed.answer, /Thursday/);
      await proxy.settled();
      const { sessions } = await loadSessions(readdirSync(dir).map((f) => join(dir, f)));
      assert.equal(sessions.length, 1);
      assert.equal(sessions[0]!.turns.length, 2);
    } finally {
      await proxy.close();
      await upstream.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
