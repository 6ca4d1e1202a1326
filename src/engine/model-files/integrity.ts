import { SlmError } from '../../errors/slm-error.js';

/**
 * What one model file must be: its SHA-256 in Subresource Integrity form
 * (`sha256-<base64>`, what `openssl dgst -sha256 -binary FILE | openssl base64 -A` prints after
 * `sha256-`), and/or its size in bytes.
 */
export interface FileExpectation {
  integrity?: string;
  size?: number;
}

/**
 * Pins per file of one model, keyed by the file's path inside the repo as Transformers.js asks
 * for it (`onnx/model_q4.onnx`, `tokenizer.json`); a bare string is an `integrity` value.
 */
export type IntegrityPins = Readonly<Record<string, string | FileExpectation>>;

/**
 * The file a model host may serve beside a model's files, `{host}/{model}/resolve/main/slm-integrity.json`:
 * `{ "files": { "onnx/model.onnx": { "integrity": "sha256-…", "size": 872276 } } }`.
 * `npm run integrity:manifest -- <folder>` writes one for a model folder of a mirror.
 */
export const INTEGRITY_MANIFEST = 'slm-integrity.json';

export interface IntegrityManifest {
  files: Record<string, FileExpectation>;
}

const SRI = /^sha256-([A-Za-z0-9+/]{43}=)$/;

/** The expectation a pin stands for; a malformed `integrity` is a configuration mistake, said at once. */
export function expectationOf(pin: string | FileExpectation | undefined, file: string): FileExpectation | null {
  if (pin === undefined) return null;
  const expectation = typeof pin === 'string' ? { integrity: pin } : pin;
  if (expectation.integrity !== undefined && !SRI.test(expectation.integrity)) {
    throw new SlmError(
      'invalid-argument',
      `The integrity pin for ${file} must be "sha256-" followed by the file's SHA-256 in base64 (44 characters), as in a script tag's integrity attribute; got "${expectation.integrity}".`,
    );
  }
  return expectation;
}

/** `sha256-<base64>` of some bytes. */
export async function integrityOf(bytes: BufferSource): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  let binary = '';
  for (const byte of digest) binary += String.fromCharCode(byte);
  return `sha256-${btoa(binary)}`;
}

/** The pins of a manifest; anything that is not one (an HTML error page, a 404 body) is no pins at all. */
export function parseManifest(text: string): IntegrityPins | null {
  try {
    const value = JSON.parse(text) as Partial<IntegrityManifest>;
    if (!value || typeof value !== 'object' || !value.files || typeof value.files !== 'object') return null;
    return value.files;
  } catch {
    return null;
  }
}

/** The repo path of a model file URL of the Hugging Face layout (`…/{org}/{name}/resolve/{rev}/{path}`), and the model's base URL. */
export function splitModelUrl(url: string): { base: string; modelId: string; file: string } | null {
  const match = /^(.*\/([^/]+\/[^/]+)\/resolve\/[^/]+\/)(.+)$/.exec(url.split(/[?#]/)[0]);
  return match ? { base: match[1], modelId: match[2], file: decodeURIComponent(match[3]) } : null;
}

/** The refusal of a file whose bytes are not what was pinned; it says which file and what to do. */
export function integrityError(file: string, modelId: string, why: string): SlmError {
  return new SlmError(
    'model-integrity',
    `${file} of ${modelId} is not the file that was pinned (${why}), so it was refused and not kept. The model host serves a different or damaged copy: ask whoever runs it to restore the file, or update the pin if the model was deliberately replaced.`,
    { modelId },
  );
}
