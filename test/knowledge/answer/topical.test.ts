import { describe, expect, it } from 'vitest';
import { onTopic } from '../../../src/knowledge/answer/topical.ts';
import { passage } from './fakes.ts';

describe('onTopic: which retrieved passages an answer may cite', () => {
  const fvg = { ...passage('smc.md', 'A fair value gap is a three-candle imbalance.', 0.05), coverage: 0.9, similarity: 0.4 };
  const fvgStop = { ...passage('smc.md', 'Stops go beyond the fair value gap.', 0.04), coverage: 0.7, similarity: 0.3 };
  const stablecoins = { ...passage('thesis.pdf', 'Stablecoins keep a fair peg to the dollar.', 0.03), coverage: 0.45, similarity: 0.2 };

  it('drops the tail passage that shares only a word with the question', () => {
    expect(onTopic([fvg, fvgStop, stablecoins])).toEqual([fvg, fvgStop]);
  });

  it('keeps a passage whose embedding similarity is high even with few shared words', () => {
    const paraphrase = { ...stablecoins, similarity: 0.5 };
    expect(onTopic([fvg, paraphrase])).toEqual([fvg, paraphrase]);
  });

  it('passes passages through unchanged when the retriever gives no coverage (a plain LangChain retriever)', () => {
    const plain = [passage('a.md', 'x', 0.2), passage('b.md', 'y', 0.1)];
    expect(onTopic(plain)).toEqual(plain);
  });
});
