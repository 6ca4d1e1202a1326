import { SlmError } from '../errors/slm-error.js';

/**
 * Turns what IndexedDB throws into an `SlmError` a person can act on. `doing` finishes the
 * sentence "Could not …".
 */
export function toStorageError(error: unknown, doing: string): SlmError {
  if (error instanceof SlmError) return error;
  const name = error instanceof DOMException ? error.name : undefined;
  switch (name) {
    case 'QuotaExceededError':
      return new SlmError(
        'storage-quota',
        `Could not ${doing}: this device has no storage space left for visits. Everything saved before is still there; free some space or delete old visits.`,
        { cause: error },
      );
    case 'VersionError':
      return new SlmError(
        'storage-newer-version',
        'The saved visits were written by a newer version of this app. They were left untouched; update the app to open them.',
        { cause: error },
      );
    case 'InvalidStateError':
      return new SlmError('not-loaded', `Could not ${doing}: the visit store is closed.`, { cause: error });
    default:
      return new SlmError('storage-failed', `Could not ${doing}: the browser’s storage failed (${name ?? String(error)}).`, { cause: error });
  }
}
