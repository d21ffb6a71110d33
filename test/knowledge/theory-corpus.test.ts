/**
 * The trader-facing examples from issue 14, over the shared theory corpus (skipped when it is absent): answers found
 * in the other language, no table-of-contents line as a passage, no off-topic citations.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerQuestion, commentOnSignal } from '../../src/knowledge/answer/index.ts';
import { corpusFiles } from '../../src/knowledge/eval/rag-eval.ts';
import { openKnowledgeBase, type KnowledgeBase, type RetrievedPassage } from '../../src/knowledge/index.ts';
import type { Passage } from '../../src/knowledge/types.ts';
import { ROOT } from '../helpers/candles.ts';

const THEORY = path.resolve(ROOT, '../shared/data/theory');

describe.skipIf(!existsSync(THEORY))('the shared theory corpus', () => {
  let dir: string;
  let kb: KnowledgeBase;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ita-theory-'));
    kb = await openKnowledgeBase({ dataDir: dir, dbFile: path.join(dir, 'kb.sqlite'), embedding: { kind: 'local' } });
    for (const file of corpusFiles(THEORY)) await kb.ingestFile(file);
  }, 180_000);
  afterAll(async () => {
    await kb.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const relevance = (_q: string, ps: Passage[]) => (kb.isRelevant(ps as RetrievedPassage[]) ? ps : []);

  it('"Что такое RSI и как он рассчитывается?" is answered with the formula, not "not covered"', async () => {
    const passages = await kb.retrieve('Что такое RSI и как он рассчитывается?', 5);
    expect(kb.isRelevant(passages)).toBe(true);
    expect(passages.some((p) => p.document === 'tinkoff-investapi__tech_indicators.md' && p.text.includes('RSI = 100'))).toBe(true);
  });

  it('a Russian market-structure question gets a passage, not a table-of-contents line', async () => {
    const [top] = await kb.retrieve('Что такое слом структуры рынка и смена характера?', 5);
    expect(top.text).not.toMatch(/(?:\.\s?){4,}\s*\d+/);
    expect(top.document).toBe('smartmoneyconcepts__README.md');
  });

  it('an English FVG answer cites only passages about fair value gaps', async () => {
    const result = await answerQuestion('What is a fair value gap?', { retriever: kb, relevance });
    expect(result.mode).toBe('extractive');
    expect(result.passages[0].document).toBe('smartmoneyconcepts__README.md');
    for (const p of result.passages) expect(p.text).not.toMatch(/stablecoin/i);
  });

  it('a London breakout signal is not commented with an unrelated thesis page', async () => {
    const comment = await commentOnSignal(
      {
        setupId: 'london_breakout',
        setupName: 'London session breakout of the Asia range',
        symbol: 'BTCUSDT',
        timeframe: '15m',
        side: 'long',
        entry: 64250,
        stop: 63900,
        targets: [64600],
        rr: 1,
        score: 6,
        reasons: { strengths: ['breakout on volume'], weaknesses: [] },
      },
      { retriever: kb },
    );
    expect(comment.citations.map((c) => c.document)).not.toContain('ftu-thesis__Report.pdf');
  });

  it('out-of-scope questions stay "not covered"', async () => {
    for (const q of ['How do I cook borscht?', 'Как работает индикатор Ишимоку?', 'What is the capital of Australia?']) {
      expect(kb.isRelevant(await kb.retrieve(q, 5)), q).toBe(false);
    }
  });
});
