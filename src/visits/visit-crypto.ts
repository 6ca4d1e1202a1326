import { SlmError } from '../errors/slm-error.js';
import type { KeyRow, Sealed } from './visit-schema.js';

/** A store's key and the row it was unlocked from. */
export interface UnlockedKey {
  key: CryptoKey;
  row: KeyRow;
}

/**
 * Which key row this is: every row written since record format 2 has an id; older ones are
 * told apart by their salt (the device key of an old store has only ever had one row).
 */
export function keyRowId(row: KeyRow | undefined): string {
  if (!row) return 'none';
  if (row.id) return row.id;
  return row.kind === 'passphrase' ? `salt:${[...row.salt].join('.')}` : 'legacy-device';
}

/**
 * The OWASP Password Storage Cheat Sheet's figure for PBKDF2-HMAC-SHA256. Stored with each
 * database's salt: a store derived with fewer is opened with its own count and re-sealed
 * at this one (`needsReseal`).
 */
export const PBKDF2_ITERATIONS = 600_000;

/**
 * How records are sealed. 1: each record's identity as additional data. 2: the format
 * number too, and a note version's number (the visit's header counts them), so versions
 * cannot be swapped or the newest ones removed unnoticed. A store holds one format: older
 * ones are re-sealed when it opens.
 */
export const RECORD_FORMAT = 2;
const AES_KEY = { name: 'AES-GCM', length: 256 } as const;
const VERIFIER_TEXT = 'slm-visits passphrase verifier';
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Seals a JSON value. `context` (the row's identity) is bound in as additional data, so a
 * row copied onto another row's place fails to open instead of showing the wrong content.
 */
export async function seal(key: CryptoKey, context: readonly unknown[], value: unknown): Promise<Sealed> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const plain = encoder.encode(JSON.stringify(value));
  const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(JSON.stringify(context)) }, key, plain);
  return { iv, data };
}

/** Opens what `seal` sealed; rejects when the row was tampered with, damaged or sealed with another key. */
export async function unseal<T>(key: CryptoKey, context: readonly unknown[], sealed: Sealed): Promise<T> {
  const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: sealed.iv, additionalData: encoder.encode(JSON.stringify(context)) }, key, sealed.data);
  return JSON.parse(decoder.decode(plain)) as T;
}

/**
 * Where a store's key comes from. Without a passphrase the key is generated and kept in the
 * database as a non-extractable CryptoKey: page scripts can use it but never read it out, yet
 * its bytes sit in the browser profile beside the data, so only a passphrase protects against
 * someone who copies the profile. With one, only a salt and a verifier are stored.
 */
export class KeySource {
  private constructor(private readonly passphrase: CryptoKey | undefined) {}

  static async from(passphrase: string | undefined): Promise<KeySource> {
    if (passphrase === undefined) return new KeySource(undefined);
    if (!passphrase) throw new SlmError('invalid-argument', 'The passphrase is empty.');
    // Kept as a non-extractable PBKDF2 key rather than a string, and still enough to re-key after an erase.
    return new KeySource(await crypto.subtle.importKey('raw', encoder.encode(passphrase), 'PBKDF2', false, ['deriveKey']));
  }

  /** A fresh key and the row that lets a later open find it again. */
  async create(): Promise<{ key: CryptoKey; row: KeyRow }> {
    if (!this.passphrase) {
      const key = await crypto.subtle.generateKey(AES_KEY, false, ['encrypt', 'decrypt']);
      return { key, row: { kind: 'device', key, id: crypto.randomUUID(), format: RECORD_FORMAT } };
    }
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const key = await this.derive(salt, PBKDF2_ITERATIONS);
    const verifier = await seal(key, ['verifier'], VERIFIER_TEXT);
    return { key, row: { kind: 'passphrase', salt, iterations: PBKDF2_ITERATIONS, verifier, id: crypto.randomUUID(), format: RECORD_FORMAT } };
  }

  /**
   * What an unlocked store must be re-sealed with, or `null` when it is current: a store of
   * an older record format keeps its key under a new key row; one derived with fewer
   * iterations than today gets a new salt and key from the same passphrase.
   */
  async upgrade(unlocked: UnlockedKey): Promise<UnlockedKey | null> {
    const { row } = unlocked;
    const weak = row.kind === 'passphrase' && row.iterations < PBKDF2_ITERATIONS;
    if (!weak && row.format === RECORD_FORMAT) return null;
    if (weak) return this.create();
    return { key: unlocked.key, row: { ...row, id: crypto.randomUUID(), format: RECORD_FORMAT } };
  }

  /** The key a stored row stands for; a wrong or missing passphrase is an error and changes nothing. */
  async unlock(row: KeyRow): Promise<CryptoKey> {
    if (row.kind === 'device') {
      if (this.passphrase) {
        throw new SlmError('invalid-argument', 'These visits are kept with this device’s key, not a passphrase: open them without one.');
      }
      return row.key;
    }
    if (!this.passphrase) throw new SlmError('storage-wrong-passphrase', 'These visits are locked with a passphrase: enter it to open them.');
    const key = await this.derive(row.salt, row.iterations);
    const text = await unseal<string>(key, ['verifier'], row.verifier).catch(() => undefined);
    if (text !== VERIFIER_TEXT) {
      throw new SlmError('storage-wrong-passphrase', 'That passphrase does not open these visits. Nothing was changed; try again.');
    }
    return key;
  }

  private derive(salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<CryptoKey> {
    return crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, this.passphrase!, AES_KEY, false, ['encrypt', 'decrypt']);
  }
}

/** Seals bytes as they are (the model's memory is tens of megabytes; JSON would triple it). */
export async function sealBytes(key: CryptoKey, context: readonly unknown[], bytes: Uint8Array<ArrayBuffer>): Promise<Sealed> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(JSON.stringify(context)) }, key, bytes);
  return { iv, data };
}

export function unsealBytes(key: CryptoKey, context: readonly unknown[], sealed: Sealed): Promise<ArrayBuffer> {
  return crypto.subtle.decrypt({ name: 'AES-GCM', iv: sealed.iv, additionalData: encoder.encode(JSON.stringify(context)) }, key, sealed.data);
}
