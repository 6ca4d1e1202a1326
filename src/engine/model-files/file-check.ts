import { integrityOf, type FileExpectation } from './integrity.js';

/** A cached file that passed, handed back readable (its body was read to check it), or why it failed. */
export type FileCheck = { ok: true; response: Response; bytes: number } | { ok: false; reason: string; bytes: number };

/**
 * Checks a cached model file: its length against the `Content-Length` it was stored with and
 * against a pinned size, and its SHA-256 when one is pinned. The body is read as a Blob, which
 * Chromium keeps on disk, so a length check costs no copy of the file in memory; only a pinned
 * hash reads the bytes.
 */
export async function checkCachedFile(response: Response, expectation: FileExpectation | null): Promise<FileCheck> {
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
  if (expectation?.integrity) {
    const actual = await integrityOf(await blob.arrayBuffer());
    if (actual !== expectation.integrity) return { ok: false, reason: `its SHA-256 is ${actual}, the pin ${expectation.integrity}`, bytes };
  }
  return { ok: true, response: new Response(blob, { status: response.status, statusText: response.statusText, headers: response.headers }), bytes };
}
