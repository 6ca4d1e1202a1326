/** The part of a Transformers.js tokenizer the streamer needs. */
interface Decoder {
  decode(ids: bigint[], options: { skip_special_tokens: boolean }): string;
}

/**
 * Sends the text of each generated token as soon as it is complete. Transformers.js's
 * TextStreamer holds text back to word boundaries and re-decodes everything since the last
 * line break on every token. This decodes a window of the last few tokens instead (the
 * incremental decoding of Hugging Face's text-generation-inference): the token before the new
 * ones is decoded with them and its text cut off, so a tokenizer that drops a leading space at
 * the start of a decode still gives the new token its space, a multi-byte character split
 * across tokens waits until it is whole, and the cost per token stays flat however long the
 * answer runs without a line break.
 */
export class TokenStreamer {
  /** Every generated token, in order. */
  readonly tokens: bigint[] = [];
  firstTokenAt = 0;
  /** Length of the prompt as the model saw it (chat template applied). */
  promptTokens = 0;
  /** Start of the context tokens decoded with the new ones (their text is not sent again). */
  private prefixOffset = 0;
  /** Start of the tokens whose text has not been sent. */
  private readOffset = 0;
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
    this.flush(false);
  }

  end(): void {
    this.flush(true);
  }

  private flush(final: boolean): void {
    if (this.readOffset === this.tokens.length) return;
    const context = this.decode(this.prefixOffset, this.readOffset);
    const text = this.decode(this.prefixOffset, this.tokens.length);
    // Half a character: wait for the token that completes it (at the end, send what there is).
    if (!final && text.endsWith('\uFFFD')) return;
    if (text.length > context.length) this.onText(text.slice(context.length));
    this.prefixOffset = this.readOffset;
    this.readOffset = this.tokens.length;
  }

  private decode(from: number, to: number): string {
    return from === to ? '' : this.decoder.decode(this.tokens.slice(from, to), { skip_special_tokens: true });
  }
}
