/** The part of a Transformers.js tokenizer the streamer needs. */
interface Decoder {
  decode(ids: bigint[], options: { skip_special_tokens: boolean }): string;
}

/**
 * Sends the text of each generated token as soon as it is complete. Transformers.js's
 * TextStreamer holds text back to word boundaries and re-decodes everything since the last
 * line break on every token; this decodes only the tokens since the last whitespace, which
 * keeps multi-byte characters whole and the cost per token flat.
 */
export class TokenStreamer {
  /** Every generated token, in order. */
  readonly tokens: bigint[] = [];
  firstTokenAt = 0;
  /** Length of the prompt as the model saw it (chat template applied). */
  promptTokens = 0;
  private pending: bigint[] = [];
  private pendingSent = 0;
  private promptSeen = false;

  constructor(
    private readonly decoder: Decoder,
    private readonly onText: (text: string) => void,
  ) {}

  /** Called by `generate()` with the prompt first, then with each new token. */
  put(value: bigint[][]): void {
    if (!this.promptSeen) {
      this.promptSeen = true;
      this.promptTokens = value[0]?.length ?? 0;
      return;
    }
    const ids = value[0] ?? [];
    if (ids.length === 0) return;
    if (this.tokens.length === 0) this.firstTokenAt = performance.now();
    this.tokens.push(...ids);
    this.pending.push(...ids);
    const text = this.decoder.decode(this.pending, { skip_special_tokens: true });
    if (text.endsWith('\uFFFD')) return;
    if (text.length > this.pendingSent) this.onText(text.slice(this.pendingSent));
    if (/\s$/.test(text)) {
      this.pending = [];
      this.pendingSent = 0;
    } else {
      this.pendingSent = text.length;
    }
  }

  end(): void {
    if (this.pending.length === 0) return;
    const text = this.decoder.decode(this.pending, { skip_special_tokens: true });
    if (text.length > this.pendingSent) this.onText(text.slice(this.pendingSent));
    this.pending = [];
    this.pendingSent = 0;
  }
}
