// A model host on 127.0.0.1 in the Hugging Face layout (`/{owner}/{name}/resolve/{revision}/{file}`),
// serving the bench's generated models, so the engine loads them the way it does in the browser:
// over HTTP, through our retrying, size-probing model fetch. Any owner maps to MODELS_DIR/{name}.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, normalize } from 'node:path';

/**
 * @param {string} dir the folder of model folders.
 * @param {Record<string, Record<string, string>>} extra files a model lacks on disk, by model name, then path.
 * @returns {Promise<{ url: string, close: () => void }>}
 */
export async function serveModels(dir, extra = {}) {
  const server = createServer((request, response) => {
    const match = /^\/[^/]+\/([^/]+)\/resolve\/[^/]+\/(.+)$/.exec(decodeURIComponent(new URL(request.url, 'http://x').pathname));
    const [name, file] = match ? [match[1], normalize(match[2])] : [];
    if (!name || file.startsWith('..') || name.startsWith('.')) return answer(response, 404);
    const virtual = extra[name]?.[file];
    if (virtual !== undefined) return send(request, response, Buffer.from(virtual), null);
    const path = join(dir, name, file);
    if (!existsSync(path) || !statSync(path).isFile()) return answer(response, 404);
    return send(request, response, null, path);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

function answer(response, status) {
  response.writeHead(status).end();
}

/** The whole file, or the one `bytes=a-b` range asked for (Transformers.js sizes each file with `bytes=0-0`). */
function send(request, response, bytes, path) {
  const size = bytes ? bytes.length : statSync(path).size;
  const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? '');
  const start = range ? Number(range[1]) : 0;
  const end = range && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
  if (range && start >= size) {
    response.writeHead(416, { 'content-range': `bytes */${size}` }).end();
    return;
  }
  const headers = { 'content-length': end - start + 1, 'content-type': 'application/octet-stream', 'accept-ranges': 'bytes' };
  if (range) headers['content-range'] = `bytes ${start}-${end}/${size}`;
  response.writeHead(range ? 206 : 200, headers);
  if (bytes) response.end(bytes.subarray(start, end + 1));
  else createReadStream(path, { start, end }).pipe(response);
}
