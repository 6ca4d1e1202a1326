import { createServer } from 'node:http';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { join, normalize, extname } from 'node:path';

const types = { '.json': 'application/json', '.onnx': 'application/octet-stream', '.txt': 'text/plain', '.wasm': 'application/wasm' };

/**
 * @typedef {object} HostFault What the host does wrong for files whose path ends in a suffix.
 * @property {number} [status] Answer with this status instead of the file.
 * @property {number} [retryAfter] With `status`: a `Retry-After` header, in seconds.
 * @property {number} [truncateAt] Send this many bytes of the body, then drop the connection.
 * @property {boolean} [corrupt] Serve the file with one byte changed (its length stays right).
 * @property {boolean} [ignoreRange] Answer every request with the whole file (200), as hosts without range support do.
 * @property {number} [times] Do it this many times (each status answer, each cut-off body), then serve normally.
 */

/**
 * A model host with the Hugging Face URL layout, `/{org}/{name}/resolve/{revision}/{file}`,
 * answered from a folder of fixture models `{root}/{org}/{name}/{file}`. It keeps a log of
 * every request, so tests can count downloads, and can be told to fail a file, to check how
 * the elements report a broken host.
 */
export function createModelHost({ root, port = 0, host = '127.0.0.1', latencyMs = 0 } = {}) {
  const requests = [];
  /** @type {Map<string, number | HostFault>} path suffix → status code to answer with, or a fault */
  const faults = new Map();
  /** @type {Map<string, string | Buffer>} path suffix → a body served for it (a file the fixtures lack, e.g. slm-integrity.json; or a model's file changed) */
  const served = new Map();

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push({ method: req.method, path: url.pathname, range: req.headers.range ?? null, origin: req.headers.origin ?? null, time: Date.now() });
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Headers', '*');
    res.setHeader('Access-Control-Expose-Headers', 'Content-Length, Content-Range, Accept-Ranges, ETag, Retry-After');
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();

    /** @type {HostFault} */
    let fault = {};
    for (const [suffix, value] of faults) {
      if (!url.pathname.endsWith(suffix)) continue;
      fault = typeof value === 'number' ? { status: value } : value;
      if (fault.times !== undefined && fault.times <= 0) fault = {};
      break;
    }
    if (fault.status) {
      if (fault.times !== undefined) fault.times--;
      const headers = fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {};
      return void res.writeHead(fault.status, headers).end(`fault injected: ${fault.status}`);
    }
    for (const [suffix, body] of served) {
      if (url.pathname.endsWith(suffix)) {
        const type = typeof body === 'string' ? 'application/json' : 'application/octet-stream';
        return void res.writeHead(200, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) }).end(req.method === 'HEAD' ? undefined : body);
      }
    }
    const match = /^\/([^/]+)\/([^/]+)\/resolve\/[^/]+\/(.+)$/.exec(decodeURIComponent(url.pathname));
    if (!match) return void res.writeHead(404).end('not found');
    const file = normalize(join(root, match[1], match[2], match[3]));
    if (!file.startsWith(normalize(root)) || !existsSync(file) || !statSync(file).isFile()) {
      return void res.writeHead(404).end('not found');
    }
    const size = statSync(file).size;
    // Transformers.js asks for `Range: bytes=0-0` to learn a file's size before fetching it.
    const range = fault.ignoreRange ? null : /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    const end = range && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
    const send = () => {
      const headers = { 'Content-Type': types[extname(file)] ?? 'application/octet-stream', 'Content-Length': end - start + 1, 'Accept-Ranges': 'bytes' };
      if (range) headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
      res.writeHead(range ? 206 : 200, headers);
      if (req.method === 'HEAD') return void res.end();
      if (!fault.corrupt && !fault.truncateAt) return void createReadStream(file, { start, end }).pipe(res);
      let body = readFileSync(file);
      if (fault.corrupt) {
        body = Buffer.from(body);
        body[Math.floor(size / 2)] ^= 0xff;
      }
      body = body.subarray(start, end + 1);
      if (fault.truncateAt && body.length > fault.truncateAt) {
        if (fault.times !== undefined) fault.times--;
        // The head and part of the body go out; then the connection drops, as a flaky network's does.
        return void res.write(body.subarray(0, fault.truncateAt), () => setTimeout(() => res.destroy(), 20));
      }
      res.end(body);
    };
    if (latencyMs > 0) setTimeout(send, latencyMs);
    else send();
  });

  return {
    requests,
    faults,
    served,
    get url() {
      const address = server.address();
      return `http://${host}:${typeof address === 'object' && address ? address.port : port}`;
    },
    listen: () => new Promise((resolve) => server.listen(port, host, () => resolve(undefined))),
    close: () => new Promise((resolve) => server.close(() => resolve(undefined))),
  };
}
