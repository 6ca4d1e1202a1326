import type { FileExpectation } from './integrity.js';
import { integrityOfStream } from './sha256.js';

/** A cached file that passed, handed back readable (its body was read to check it), or why it failed. */
export type FileCheck = { ok: true; response: Response; bytes: number; blob: Blob } | { ok: false; reason: string; bytes: number };

/**
 * Checks a cached model file: its length against the `Content-Length` it was stored with and
 * against a pinned size, and its SHA-256 when one is pinned (unless `hash` is false: the caller
 * knows these very bytes were hashed already). The body is read as a Blob, which Chromium keeps
 * on disk, so a length check costs no copy of the file in memory; a hash streams the Blob from
 * disk through an incremental SHA-256, so it costs none either.
 */
export async function checkCachedFile(response: Response, expectation: FileExpectation | null, { hash = true } = {}): Promise<FileCheck> {
  let blob: Blob;
  try {
    blob = await response.blob();
  } catch (error) {
    return { ok: false, reason: `it could not be read (${error instanceof Error ? error.message : String(error)})`, bytes: 0 };
  }
  const bytes = blob.size;
  const stored = response.headers.get('content-encoding') ? null : response.headers.get('content-length');
  if (stored !== null && Number(stored) !== bytes) return { ok: false, reason: `${bytes} of ${stored} bytes`, bytes };
  if (expectation?.size !== undefined && expectation.size !== bytes) return { ok: false, reason: `${bytes} bytes where ${expectation.size} were pinned`, bytes };
  if (hash && expectation?.integrity) {
    let actual: string;
    try {
      actual = await integrityOfStream(blob.stream());
    } catch (error) {
      return { ok: false, reason: `it could not be read (${error instanceof Error ? error.message : String(error)})`, bytes };
    }
    if (actual !== expectation.integrity) return { ok: false, reason: `its SHA-256 is ${actual}, the pin ${expectation.integrity}`, bytes };
  }
  return { ok: true, response: new Response(blob, { status: response.status, statusText: response.statusText, headers: response.headers }), bytes, blob };
}
