import { describe, expect, it } from 'vitest';
import { LocalHashEmbedder } from '../../../src/knowledge/embedding/local.ts';

const dot = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, i) => s + x * b[i], 0);

describe('local hashed n-gram embedding', () => {
  const embedder = new LocalHashEmbedder(256);
  embedder.observe(['stop loss below the swing low', 'position size and risk', 'ордер-блок и имбаланс', 'ликвидность']);

  it('is L2-normalised, deterministic and names its dimensions', async () => {
    const [a, b] = await embedder.embed(['trailing stop', 'trailing stop']);
    expect(a.length).toBe(256);
    expect(dot(a, a)).toBeCloseTo(1, 5);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(embedder.id).toBe('local-hash-ngram-v1-256');
  });

  it('inflected Russian forms stay closer than unrelated words', async () => {
    const [base, inflected, other] = await embedder.embed(['ордер-блоки', 'ордер-блоком', 'ликвидность']);
    expect(dot(base, inflected)).toBeGreaterThan(0.5);
    expect(dot(base, inflected)).toBeGreaterThan(dot(base, other) + 0.3);
  });

  it('an empty text embeds to the zero vector instead of NaN', async () => {
    const [v] = await embedder.embed(['...']);
    expect(Array.from(v).every((x) => x === 0)).toBe(true);
  });

  it('IDF state survives export/import', async () => {
    const copy = new LocalHashEmbedder(256);
    copy.importState(embedder.exportState());
    const [a] = await embedder.embed(['risk per trade']);
    const [b] = await copy.embed(['risk per trade']);
    expect(Array.from(b)).toEqual(Array.from(a));
  });
});
