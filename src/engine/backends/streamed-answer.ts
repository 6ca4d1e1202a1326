import type { GenerationStats } from '../types.js';

/** The part of an OpenAI-style streamed chunk an answer is built from (WebLLM's and a server's alike). */
export interface AnswerChunk<Usage, Reason extends string> {
  choices?: ReadonlyArray<{ delta?: { content?: string | null } | null; finish_reason?: Reason | null } | undefined>;
  usage?: Usage | null;
}

/** Folds streamed chunks into the answer's text, finish reason and token counts, passing each piece on as it comes. */
export class StreamedAnswer<Usage extends { prompt_tokens?: number; completion_tokens?: number }, Reason extends string = string> {
  text = '';
  finishReason: Reason | null = null;
  usage: Usage | null = null;
  private pieces = 0;
  private firstTokenAt: number | null = null;
  private readonly started = performance.now();

  constructor(private readonly onToken?: (text: string) => void) {}

  add(chunk: AnswerChunk<Usage, Reason>): void {
    const choice = chunk.choices?.[0];
    const delta = choice?.delta?.content ?? '';
    if (delta) {
      this.firstTokenAt ??= performance.now();
      this.text += delta;
      this.pieces++;
      this.onToken?.(delta);
    }
    if (choice?.finish_reason) this.finishReason = choice.finish_reason;
    if (chunk.usage) this.usage = chunk.usage;
  }

  /** Measured here, not taken from the runtime: what a user waits includes every round trip. Rates the runtime measured win. */
  stats(rates: { prefill?: number; decode?: number } = {}): GenerationStats {
    const ended = performance.now();
    const completionTokens = this.usage?.completion_tokens ?? this.pieces;
    const decodeSeconds = this.firstTokenAt === null ? 0 : (ended - this.firstTokenAt) / 1000;
    return {
      promptTokens: this.usage?.prompt_tokens ?? 0,
      completionTokens,
      timeToFirstTokenMs: (this.firstTokenAt ?? ended) - this.started,
      prefillTokensPerSecond: rates.prefill ?? 0,
      decodeTokensPerSecond: rates.decode ?? (completionTokens > 1 && decodeSeconds > 0 ? (completionTokens - 1) / decodeSeconds : 0),
    };
  }
}
