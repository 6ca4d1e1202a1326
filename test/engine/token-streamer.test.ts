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
