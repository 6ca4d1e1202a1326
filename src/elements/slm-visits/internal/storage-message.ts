import type { SlmError } from '../../../errors/slm-error.js';

const KEPT = 'It is kept on this page and saved as soon as storage works again (Retry); do not close the page until then.';

/** What the element says when storage failed: what happened, that nothing is lost yet, and what to do. */
export function storageMessage(error: SlmError): string {
  if (error.code === 'storage-quota') return `Storage is full, so the newest changes are not saved yet. ${KEPT} Free some space, or export and erase old visits.`;
  if (error.code === 'storage-failed') return `${error.message} ${KEPT}`;
  return error.message;
}
