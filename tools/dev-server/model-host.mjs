import { createServer } from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { join, normalize, extname } from 'node:path';

const types = { '.json': 'application/json', '.onnx': 'application/octet-stream', '.txt': 'text/plain', '.wasm': 'application/wasm' };

/**
 * A model host with the Hugging Face URL layout, `/{org}/{name}/resolve/{revision}/{file}`,
 * answered from a folder of fixture models `{root}/{org}/{name}/{file}`. It keeps a log of
 * every request, so tests can count downloads, and can be told to fail a file, to check how
 * the elements report a broken host.
 */
export function createModelHost({ root, port = 0, host = '127.0.0.1', latencyMs = 0 } = {}) {
  const requests = [];
  /** @type {Map<string, number>} path suffix → status code to answer with */
  const faults = new Map();

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push({ method: req.method, path: url.pathname, range: req.headers.range ?? null, origin: req.headers.origin ?? null, time: Date.now() });
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Headers', '*');
    res.setHeader('Access-Control-Expose-Headers', 'Content-Length, Content-Range, Accept-Ranges, ETag');
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();

    for (const [suffix, status] of faults) {
      if (url.pathname.endsWith(suffix)) return void res.writeHead(status).end(`fault injected: ${status}`);
    }
    const match = /^\/([^/]+)\/([^/]+)\/resolve\/[^/]+\/(.+)$/.exec(decodeURIComponent(url.pathname));
    if (!match) return void res.writeHead(404).end('not found');
    const file = normalize(join(root, match[1], match[2], match[3]));
    if (!file.startsWith(normalize(root)) || !existsSync(file) || !statSync(file).isFile()) {
      return void res.writeHead(404).end('not found');
    }
    const size = statSync(file).size;
    // Transformers.js asks for `Range: bytes=0-0` to learn a file's size before fetching it.
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    const end = range && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
    const send = () => {
      const headers = { 'Content-Type': types[extname(file)] ?? 'application/octet-stream', 'Content-Length': end - start + 1, 'Accept-Ranges': 'bytes' };
      if (range) headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
      res.writeHead(range ? 206 : 200, headers);
      if (req.method === 'HEAD') return void res.end();
      createReadStream(file, { start, end }).pipe(res);
    };
    if (latencyMs > 0) setTimeout(send, latencyMs);
    else send();
  });

  return {
    requests,
    faults,
    get url() {
      const address = server.address();
      return `http://${host}:${typeof address === 'object' && address ? address.port : port}`;
    },
    listen: () => new Promise((resolve) => server.listen(port, host, () => resolve(undefined))),
    close: () => new Promise((resolve) => server.close(() => resolve(undefined))),
  };
}
