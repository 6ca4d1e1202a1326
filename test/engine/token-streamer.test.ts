import { expect } from '@open-wc/testing';
import { TokenStreamer } from '../../src/engine/workers/token-streamer.js';

/** A byte-level decoder like the fixtures': token n is byte n; 256+ are special. */
const bytes = {
  decode: (ids: bigint[], { skip_special_tokens }: { skip_special_tokens: boolean }) =>
    new TextDecoder().decode(new Uint8Array(ids.filter((id) => !skip_special_tokens || id < 256n).map(Number))),
};
const tokensOf = (text: string) => [...new TextEncoder().encode(text)].map((b) => [BigInt(b)]);

describe('TokenStreamer', () => {
  it('skips the prompt, then sends each token’s text as soon as it is whole', () => {
    const pieces: string[] = [];
    const streamer = new TokenStreamer(bytes, (t) => pieces.push(t));
    streamer.put([[1n, 2n, 3n]]);
    for (const token of tokensOf('dry cough')) streamer.put([token]);
    streamer.end();
    expect(streamer.promptTokens).to.equal(3);
    expect(streamer.tokens).to.have.length(9);
    expect(pieces).to.deep.equal(['d', 'r', 'y', ' ', 'c', 'o', 'u', 'g', 'h']);
  });

  it('holds back half a character and never splits one', () => {
    const pieces: string[] = [];
    const streamer = new TokenStreamer(bytes, (t) => pieces.push(t));
    streamer.put([[1n]]);
    for (const token of tokensOf('5 µg ok')) streamer.put([token]);
    streamer.end();
    expect(pieces.join('')).to.equal('5 µg ok');
    expect(pieces).to.include('µ');
    expect(pieces.some((p) => p.includes('\uFFFD'))).to.equal(false);
  });

  it('drops special tokens', () => {
    const pieces: string[] = [];
    const streamer = new TokenStreamer(bytes, (t) => pieces.push(t));
    streamer.put([[1n]]);
    streamer.put([[104n]]);
    streamer.put([[300n]]);
    streamer.end();
    expect(pieces.join('')).to.equal('h');
    expect(streamer.tokens).to.have.length(2);
  });
});

/**
 * A SentencePiece-like decoder: "▁" marks a word's leading space, which is dropped at the
 * start of a decode (as Llama's tokenizer does). Counts the tokens it decodes.
 */
function words(vocabulary: string[]) {
  const decoder = {
    decoded: 0,
    decode(ids: bigint[]) {
      decoder.decoded += ids.length;
      return ids.map((id) => vocabulary[Number(id)]).join('').replace(/▁/g, ' ').replace(/^ /, '');
    },
  };
  return decoder;
}

describe('TokenStreamer with word pieces', () => {
  it('keeps each word’s leading space although a fresh decode drops it', () => {
    const vocabulary = ['▁Start', '▁amoxicillin', '▁500', '▁mg', '.'];
    const pieces: string[] = [];
    const streamer = new TokenStreamer(words(vocabulary), (t) => pieces.push(t));
    streamer.put([[9n]]);
    for (const id of [0n, 1n, 2n, 3n, 4n]) streamer.put([[id]]);
    streamer.end();
    expect(pieces.join('')).to.equal('Start amoxicillin 500 mg.');
    expect(pieces).to.deep.equal(['Start', ' amoxicillin', ' 500', ' mg', '.']);
  });

  it('decodes a few tokens per token, not everything since the last space', () => {
    // A long answer with no token that ends in whitespace (word pieces carry their space in front).
    const vocabulary = ['▁word'];
    const decoder = words(vocabulary);
    const streamer = new TokenStreamer(decoder, () => undefined);
    streamer.put([[0n]]);
    for (let i = 0; i < 500; i++) streamer.put([[0n]]);
    expect(decoder.decoded).to.be.lessThan(500 * 4);
  });
});
