/**
 * What one tab tells the others about a store they share. `rekeyed`: the passphrase changed,
 * so the others must take the new key (or ask for the new passphrase) before anything else.
 */
export type VisitChannelMessage = { type: 'erased' } | { type: 'deleted'; visitId: string } | { type: 'changed' } | { type: 'rekeyed' };

/**
 * The tabs of one origin that keep the same visits database talk on a BroadcastChannel named
 * after it, so an erase or a delete in one reaches the others at once.
 */
export class VisitChannel {
  private readonly channel: BroadcastChannel | null;

  constructor(dbName: string, onMessage: (message: VisitChannelMessage) => void) {
    this.channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(`slm-visits:${dbName}`) : null;
    if (this.channel) this.channel.onmessage = (event: MessageEvent<VisitChannelMessage>) => onMessage(event.data);
  }

  post(message: VisitChannelMessage): void {
    this.channel?.postMessage(message);
  }

  close(): void {
    this.channel?.close();
  }
}
