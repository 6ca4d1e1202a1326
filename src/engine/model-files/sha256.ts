import { sha256 } from '@noble/hashes/sha2.js';

/**
 * SHA-256 fed piece by piece, so a multi-GB model file is hashed as it streams past instead of
 * held whole in memory (WebCrypto's `digest` has no incremental form). `@noble/hashes` is plain
 * JavaScript: it runs on the page too (`engine.cache.repair()`), whose Content-Security-Policy
 * allows no WebAssembly compilation, and in service workers; a WASM hasher would be refused there.
 */
export class Sha256 {
  private readonly state = sha256.create();

  update(bytes: Uint8Array): this {
    this.state.update(bytes);
    return this;
  }

  /** The digest as `sha256-<base64>` (Subresource Integrity form); the hasher is spent after. */
  integrity(): string {
    return `sha256-${base64(this.state.digest())}`;
  }
}

/** `sha256-<base64>` of a stream's bytes, read chunk by chunk (a Blob's `stream()` reads from disk). */
export async function integrityOfStream(stream: ReadableStream<Uint8Array>): Promise<string> {
  const hash = new Sha256();
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return hash.integrity();
    hash.update(value);
  }
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
