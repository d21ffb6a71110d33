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

  it('everyday words ("price") get one translation at a lower weight and count as covered by it', () => {
    const q = expandQuery('price');
    expect(q.added).toEqual(['цен']);
    expect(q.weights.get('цен')).toBeLessThan(1);
    // Found only through its translation: a little less than the word itself, so own-language passages win ties.
    expect(coverage(q, has('цена выросла'))).toBe(0.85);
    expect(coverage(q, has('the price rose'))).toBe(1);
    expect(coverage(q, has('объём вырос'))).toBe(0);
  });

  it('stems conflate "liquidity" and "liquidation"; the vocabulary picks the concept written in the query', () => {
    expect(expandQuery('When is liquidity detected?').addedText).toContain('ликвидность');
    expect(expandQuery('When is liquidity detected?').addedText).not.toContain('ликвидация');
    expect(expandQuery('What is the liquidation price?').addedText).toContain('цена ликвидации');
  });

  it('a matched phrase is covered only as a whole: "ордер-блок" is not covered by a chunk that says only "ордер"', () => {
    const q = expandQuery('ордер-блок');
    expect(coverage(q, has('лимитный ордер на покупку'))).toBe(0);
    expect(coverage(q, has('the order block was mitigated'))).toBe(0.85);
    expect(coverage(q, has('ордер-блок отработан'))).toBe(1);
  });

  it('Russian inflections and derivations meet their English term both ways', () => {
    expect(expandQuery('Как рассчитывается индекс относительной силы?').addedText).toContain('relative strength index');
    expect(expandQuery('How is the relative strength index calculated?').addedText).toContain('индекс относительной силы');
    expect(expandQuery('торговым роботам').addedText).toContain('trading robot');
  });

  it('coverage is the share of the question\'s units present, a vocabulary phrase being one unit', () => {
    const q = expandQuery('position size stop');
    // Units: "position size" (a phrase) and "stop"; unweighted here.
    expect(coverage(q, has('the stop was hit'))).toBeCloseTo(1 / 2, 12);
    expect(coverage(q, has('the position was closed'))).toBe(0);
  });
});

describe('isRelevant', () => {
  const passage = { chunkId: 1, documentId: 1, document: 'd', score: 0.03, text: 't' };
  it('needs a top-3 passage with enough coverage or similarity', () => {
    expect(isRelevant([])).toBe(false);
    expect(isRelevant([{ ...passage, coverage: 0.4, similarity: 0.2 }])).toBe(false);
    expect(isRelevant([{ ...passage, coverage: 0.2, similarity: 0.1 }, { ...passage, coverage: 0.8, similarity: 0.1 }])).toBe(true);
    expect(isRelevant([{ ...passage, coverage: 0, similarity: 0.5 }])).toBe(true);
  });

  it('a question mostly about words no document contains is not covered, whatever everyday words it shares', () => {
    expect(isRelevant([{ ...passage, coverage: 0.46, similarity: 0.2, unknownShare: 0.54 }])).toBe(false);
    expect(isRelevant([{ ...passage, coverage: 0.46, similarity: 0.2, unknownShare: 0.3 }])).toBe(true);
  });
});

describe('glossary renderings are kept per phrase and per query language', () => {
  // trading.ts: "leverage = кредитное плечо|плечо|левередж". In an English query the Russian phrases are the
  // translation; in a Russian query the same English word brings the Russian phrases as its own-language synonyms.
  it('the same matched phrase renders by the language of each query, in any order', () => {
    for (let round = 0; round < 2; round++) {
      const en = expandQuery('What is leverage?');
      expect(en.addedText).toBe('кредитное плечо плечо левередж');
      expect(en.synonyms).toEqual([]);
      const ru = expandQuery('Объясните подробно leverage');
      expect(ru.language).toBe('ru');
      expect(ru.addedText).toBe('leverage');
      expect(ru.added).toEqual([]);
      expect(ru.synonyms).toEqual(expect.arrayContaining(['плеч', 'левередж']));
    }
  });
});
