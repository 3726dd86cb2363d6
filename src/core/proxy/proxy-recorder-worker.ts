import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { ProxyRecorder } from './proxy-recorder.js';
import { inputsOfBatch, type RecorderInput, type RecorderOutput, type RecorderSetup, type RecorderWire } from './recorder-messages.js';

// The proxy's recording thread (bundled as out/proxy-recorder-worker.js): parsing, session
// writing and shadow replay happen here, so the forwarding thread only writes and posts.
const port = parentPort;
if (!port) throw new Error('proxy-recorder-worker must run as a worker thread');
// On Linux a nice value is a thread's own (pid 0 is the calling thread): when the cores are
// busy, the forwarding thread goes first and recording catches up after (the lowest priority:
// recording has memory to wait in, a chunk on its way to a client has not). Elsewhere it would
// lower the whole process, forwarding included, so it is left alone.
if (process.platform === 'linux') {
  try {
    setPriority(0, 19);
  } catch {
    // Not allowed here: recording simply runs at the forwarding thread's priority.
  }
}
const setup = workerData as RecorderSetup;
const out = (message: RecorderOutput) => port.postMessage(message);
const recorder = new ProxyRecorder(setup, out);
let taken = 0;

function take(input: RecorderInput): void {
  if (setup.crashAfterInputs !== undefined && ++taken === setup.crashAfterInputs) {
    // The injected fault of the restart tests: an exception nothing catches ends the thread.
    setImmediate(() => {
      throw new Error('injected fault: the recording thread crashes');
    });
  }
  try {
    recorder.take(input);
  } catch (err) {
    // One bad input costs its own recording, never the thread.
    out({ type: 'log', line: `recording failed: ${err instanceof Error ? err.message : String(err)}` });
  }
}

port.on('message', (wire: RecorderWire) => {
  if (wire.type === 'batch') for (const input of inputsOfBatch(wire)) take(input);
  else take(wire);
});
