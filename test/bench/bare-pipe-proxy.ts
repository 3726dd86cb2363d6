// The proxy benchmark's floor: the least a Node HTTP proxy in a process of its own can do, each
// request sent on with `http.request` and each answer piped back, nothing parsed, recorded or
// sniffed. What it adds per chunk is what one more process hop costs on this machine, so
// `foresight proxy` is read against it in the same run. Run with tsx; argv[2] is the upstream
// origin; prints `listening PORT` once bound.
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

const upstream = new URL(process.argv[2] ?? 'http://127.0.0.1:1');
const agent = new Agent({ keepAlive: true });
const server = createServer({ noDelay: true }, (req, res) => {
  const up = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    res.flushHeaders();
    answer.pipe(res);
  });
  up.setNoDelay(true);
  up.on('error', () => res.destroy());
  res.on('close', () => up.destroy());
  req.pipe(up);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`));
process.on('SIGTERM', () => process.exit(0));
