import { describe, expect, it } from 'vitest';
import { expandQuery } from '../../../src/knowledge/retrieval/glossary.ts';
import { coverage } from '../../../src/knowledge/retrieval/retrieve.ts';
import { searchTokens, tokenize } from '../../../src/knowledge/retrieval/text.ts';

const has = (text: string) => (term: string) => searchTokens(text).includes(term);
import { isRelevant } from '../../../src/knowledge/retrieval/relevance.ts';

describe('tokenize', () => {
  it('stems English with the English Snowball stemmer and drops stop words', () => {
    // Snowball English: running → run, positions → posit, sizing → size
    expect(tokenize('The running positions and sizing')).toEqual(['run', 'posit', 'size']);
  });

  it('stems Russian with the Russian stemmer, folding ё', () => {
    // Snowball Russian: позиции → позиц, позицией → позиц, лёгкий → легк
    expect(tokenize('Размер позиции и позицией, лёгкий')).toEqual(['размер', 'позиц', 'позиц', 'легк']);
  });

  it('splits hyphenated compounds but keeps the joined form', () => {
    expect(tokenize('stop-loss')).toEqual(['stoploss', 'stop', 'loss']);
  });
});

describe('glossary expansion', () => {
  it('a Russian query gains the English phrases of a specific term, not Russian synonyms', () => {
    const q = expandQuery('Что такое кредитное плечо?');
    expect(q.addedText).toBe('leverage');
    expect(q.added).toEqual(['leverag']);
  });

  it('an English query gains Russian phrases', () => {
    const q = expandQuery('What is a trailing stop?');
    expect(q.addedText).toContain('трейлинг-стоп');
    expect(q.added).toContain('трейлинг');
  });

  it('everyday words ("price") are not expanded but still count as covered by their translation', () => {
    const q = expandQuery('price');
    expect(q.added).toEqual([]);
    expect(coverage(q, has('цена выросла'))).toBe(1);
    expect(coverage(q, has('объём вырос'))).toBe(0);
  });

  it('coverage is the share of distinct content words present', () => {
    const q = expandQuery('position size stop');
    expect(coverage(q, has('the stop was hit'))).toBeCloseTo(1 / 3, 12);
  });
});

describe('isRelevant', () => {
  const passage = { chunkId: 1, documentId: 1, document: 'd', score: 0.03, text: 't' };
  it('needs a top-3 passage with enough coverage or similarity', () => {
    expect(isRelevant([])).toBe(false);
    expect(isRelevant([{ ...passage, coverage: 0.5, similarity: 0.2 }])).toBe(false);
    expect(isRelevant([{ ...passage, coverage: 0.2, similarity: 0.1 }, { ...passage, coverage: 0.8, similarity: 0.1 }])).toBe(true);
    expect(isRelevant([{ ...passage, coverage: 0, similarity: 0.5 }])).toBe(true);
  });
});
