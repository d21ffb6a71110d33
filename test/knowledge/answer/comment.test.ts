import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import { commentOnSignal, templateComment, type SignalForComment } from '../../../src/knowledge/answer/index.ts';
import { createLlmLayer, createLlmRouter, createMemoryUsageLedger } from '../../../src/knowledge/llm/index.ts';
import type { Retriever } from '../../../src/knowledge/types.ts';
import { startOpenAiFake, type OpenAiFake } from '../../helpers/openai-fake.ts';
import { fixedRetriever, passage } from './fakes.ts';

const signal: SignalForComment = {
  setupId: 'fvg-retest',
  setupName: 'FVG retest',
  symbol: 'BTCUSDT',
  timeframe: '1h',
  side: 'long',
  entry: 64250.5,
  stop: 63800,
  targets: [65150, 66000],
  rr: 2,
  score: 7.5,
  reasons: { strengths: ['trend aligned on 4h', 'fresh gap'], weaknesses: ['Asian session volume'] },
};
const theory = passage('Theory.pdf', 'An FVG retest in trend direction is the A+ entry.', 0.8, { page: 14 });

describe('template comment', () => {
  it('is deterministic and names entry, stop, targets, R:R, score, strengths, weaknesses and the theory', () => {
    expect(templateComment(signal, 'en', theory)).toBe(
      'Long BTCUSDT 1h on setup "FVG retest": entry 64250.5, stop 63800, targets 65150, 66000, R:R 2.00, score 7.5/10. ' +
        'Strengths: trend aligned on 4h; fresh gap. Weaknesses: Asian session volume. Theory: [Theory.pdf, p. 14].',
    );
    expect(templateComment({ ...signal, side: 'short', reasons: { strengths: [], weaknesses: [] } }, 'ru')).toBe(
      'Шорт BTCUSDT 1h по сетапу «FVG retest»: вход 64250.5, стоп 63800, цели 65150, 66000, R:R 2.00, оценка 7.5/10. ' +
        'Сильные стороны: не отмечены. Слабые стороны: не отмечены.',
    );
  });
});

describe('commentOnSignal', () => {
  let fake: OpenAiFake;
  beforeEach(async () => {
    fake = await startOpenAiFake();
  });
  afterEach(async () => fake.close());

  const llmOver = (f: OpenAiFake, timeoutMs = 20_000) =>
    createLlmLayer({
      mode: 'single',
      dailyBudgetUsd: 1,
      commentBudgetMs: 4000,
      providers: [{ name: 'local', kind: 'openai', baseUrl: f.baseUrl, model: 'm', timeoutMs, inputPricePerMTok: 0, outputPricePerMTok: 0 }],
    });

  it('without an LLM uses the template and cites the retrieved theory, queried by what the setup is about', async () => {
    const retriever = fixedRetriever([theory]);
    const comment = await commentOnSignal(signal, { retriever });
    expect(comment).toMatchObject({ source: 'template', citations: [{ document: 'Theory.pdf', page: 14 }] });
    expect(comment.fallbackReason).toBeUndefined();
    expect(retriever.queries[0].query).toBe('FVG retest');
  });

  it('with an LLM returns its comment in the asked language, capped at four sentences, citations checked', async () => {
    fake.script({
      content:
        'Сетап по теории — вход A+ [Theory.pdf, p. 14]. Тренд на 4h за нас. Минус — слабый объём азиатской сессии. Цели реалистичны. Лишнее пятое предложение [Fake.pdf, p. 2].',
    });
    const comment = await commentOnSignal(signal, { retriever: fixedRetriever([theory]), llm: llmOver(fake), language: 'ru' });
    expect(comment.source).toBe('llm');
    expect(comment.text).toBe('Сетап по теории — вход A+ [Theory.pdf, p. 14]. Тренд на 4h за нас. Минус — слабый объём азиатской сессии. Цели реалистичны.');
    expect(fake.requests[0].body.messages[0].content).toContain('Write in Russian');
    expect(fake.requests[0].body.messages[1].content).toContain('entry 64250.5, stop 63800, targets 65150, 66000');
  });

  it('aborts a slow LLM at the time budget and falls back to the template well before the model would answer', async () => {
    fake.script({ delayMs: 10_000, content: 'too late' });
    const started = Date.now();
    const comment = await commentOnSignal(signal, { retriever: fixedRetriever([theory]), llm: llmOver(fake), budgetMs: 300 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(comment.source).toBe('template');
    expect(comment.text).toBe(templateComment(signal, 'en', theory));
    expect(comment.fallbackReason).toBe('time budget of 300 ms exceeded');
  });

  it('a hanging retriever cannot hold the comment past its budget', async () => {
    const hanging: Retriever = { retrieve: () => new Promise(() => {}) };
    const comment = await commentOnSignal(signal, { retriever: hanging, llm: llmOver(fake), budgetMs: 100 });
    expect(comment).toMatchObject({ source: 'template', fallbackReason: 'time budget of 100 ms spent on retrieval' });
    expect(fake.requests).toHaveLength(0);
  });

  it('falls back to the template when the LLM errors or the budget is spent', async () => {
    fake.script({ status: 400 });
    const failing = await commentOnSignal(signal, { llm: llmOver(fake) });
    expect(failing.source).toBe('template');
    expect(failing.fallbackReason).toContain('every LLM provider failed');

    const ledger = createMemoryUsageLedger();
    await ledger.record({ ts: Date.now(), provider: 'p', model: 'm', purpose: 'comment', inputTokens: 0, outputTokens: 0, costUsd: 5, latencyMs: 0, ok: true });
    const paid = createLlmRouter({
      providers: [{ name: 'p', model: 'm', chat: new FakeListChatModel({ responses: ['x'] }), timeoutMs: 1000, inputPricePerMTok: 3, outputPricePerMTok: 15 }],
      ledger,
      dailyBudgetUsd: 1,
    });
    const overBudget = await commentOnSignal(signal, { llm: paid });
    expect(overBudget.source).toBe('template');
    expect(overBudget.fallbackReason).toContain('budget spent');
  });
});
