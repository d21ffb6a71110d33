import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import { answerQuestion } from '../../../src/knowledge/answer/index.ts';
import { createLlmLayer, createLlmRouter, createMemoryUsageLedger } from '../../../src/knowledge/llm/index.ts';
import { startOpenAiFake, type OpenAiFake } from '../../helpers/openai-fake.ts';
import { fixedRetriever, passage } from './fakes.ts';

const theoryP12 = passage('Theory.pdf', 'Place the stop below the swing low that formed the fair value gap.', 0.92, { page: 12 });
const theoryP3 = passage('Theory.pdf', 'A fair value gap is a three-candle imbalance.', 0.71, { page: 3 });
const notes = passage('Notes.md', 'Risk at most 1% of the account per trade.', 0.55, { heading: 'Risk > Sizing' });
const passages = [theoryP3, theoryP12, notes];

function listRouter(responses: string[]) {
  return createLlmRouter({
    providers: [{ name: 'fake', model: 'fake-m', chat: new FakeListChatModel({ responses }), timeoutMs: 1000, inputPricePerMTok: 0, outputPricePerMTok: 0 }],
    ledger: createMemoryUsageLedger(),
    dailyBudgetUsd: 1,
    sleep: async () => {},
  });
}

describe('answerQuestion without an LLM (extractive)', () => {
  it('quotes the best passages first, each with its citation', async () => {
    const result = await answerQuestion('Where do I put the stop?', { retriever: fixedRetriever(passages), k: 3 });
    expect(result.mode).toBe('extractive');
    expect(result.language).toBe('en');
    expect(result.answer).toBe(
      'From your documents (no LLM, quoted passages):\n\n' +
        '1. «Place the stop below the swing low that formed the fair value gap.» [Theory.pdf, p. 12]\n\n' +
        '2. «A fair value gap is a three-candle imbalance.» [Theory.pdf, p. 3]\n\n' +
        '3. «Risk at most 1% of the account per trade.» [Notes.md, Risk > Sizing]',
    );
    expect(result.citations).toEqual([
      { document: 'Theory.pdf', page: 12, heading: undefined },
      { document: 'Theory.pdf', page: 3, heading: undefined },
      { document: 'Notes.md', page: undefined, heading: 'Risk > Sizing' },
    ]);
    expect(result.passages.map((p) => p.score)).toEqual([0.92, 0.71, 0.55]);
  });

  it('says the documents do not cover the question when nothing passes the relevance threshold', async () => {
    const { router } = { router: listRouter(['should not be called']) };
    const result = await answerQuestion('What is the capital of France?', { retriever: fixedRetriever(passages), llm: router, minScore: 0.95, multiQuery: false });
    expect(result).toMatchObject({ mode: 'not-covered', answer: 'Your documents do not cover this question.', passages: [], citations: [] });
    expect((await router.usageToday()).calls).toBe(0);
  });

  it('answers "not covered" in Russian for a Russian question', async () => {
    const result = await answerQuestion('Какая столица Франции?', { retriever: fixedRetriever([]) });
    expect(result.answer).toBe('В ваших документах нет ответа на этот вопрос.');
    expect(result.language).toBe('ru');
  });

  it('uses the retriever\'s relevance decision when given instead of the score threshold', async () => {
    const result = await answerQuestion('stop?', { retriever: fixedRetriever(passages), relevance: (_q, ps) => ps.filter((p) => p.document === 'Notes.md') });
    expect(result.passages).toEqual([notes]);
  });
});

describe('answerQuestion with an LLM', () => {
  let fake: OpenAiFake;
  beforeEach(async () => {
    fake = await startOpenAiFake();
  });
  afterEach(async () => fake.close());

  it('a Russian question gets a Russian-answer prompt built from the passages only, over real HTTP', async () => {
    fake.script({ content: 'Стоп ставится за свинг-лоу [Theory.pdf, p. 12].' });
    const llm = createLlmLayer({
      mode: 'single',
      dailyBudgetUsd: 1,
      commentBudgetMs: 4000,
      providers: [{ name: 'local', kind: 'openai', baseUrl: fake.baseUrl, model: 'qwen', timeoutMs: 5000, inputPricePerMTok: 0, outputPricePerMTok: 0 }],
    });
    const result = await answerQuestion('Куда ставить стоп по FVG?', { retriever: fixedRetriever(passages), llm, multiQuery: false });
    const [system, user] = fake.requests[0].body.messages;
    expect(system.content).toContain('Answer in Russian');
    expect(system.content).toContain('Отвечай на русском языке');
    expect(system.content).toContain("The trader's theory outranks your own knowledge");
    expect(system.content).toContain('do not cover');
    // Passages are numbered best first.
    expect(user.content).toContain('(1) [Theory.pdf, p. 12]\nPlace the stop below the swing low');
    expect(user.content).toContain('(3) [Notes.md, Risk > Sizing]\nRisk at most 1%');
    expect(user.content).toContain('Question: Куда ставить стоп по FVG?');
    expect(result).toMatchObject({ mode: 'llm', language: 'ru', answer: 'Стоп ставится за свинг-лоу [Theory.pdf, p. 12].' });
    expect(result.citations).toEqual([{ document: 'Theory.pdf', page: 12, heading: undefined }]);
  });

  it('drops invented citations and reports them', async () => {
    const llm = listRouter([
      'Stops go below the swing low [Theory.pdf, p. 12]. Size at 1% [Notes.md, Sizing]. Targets are 3R [Secrets.pdf, p. 7]. FVGs fill [Theory.pdf, p. 40]. See also [2].',
    ]);
    const result = await answerQuestion('Stops?', { retriever: fixedRetriever(passages), llm, multiQuery: false });
    expect(result.answer).toBe(
      'Stops go below the swing low [Theory.pdf, p. 12]. Size at 1% [Notes.md, Risk > Sizing]. Targets are 3R. FVGs fill. See also [Theory.pdf, p. 3].',
    );
    expect(result.invalidCitations).toEqual(['[Secrets.pdf, p. 7]', '[Theory.pdf, p. 40]']);
    expect(result.citations).toEqual([
      { document: 'Theory.pdf', page: 12, heading: undefined },
      { document: 'Notes.md', page: undefined, heading: 'Risk > Sizing' },
      // "[2]" is the second passage as numbered in the prompt (best first): Theory.pdf p. 3.
      { document: 'Theory.pdf', page: 3, heading: undefined },
    ]);
  });

  it('falls back to the extractive answer when the daily budget is spent', async () => {
    const ledger = createMemoryUsageLedger();
    await ledger.record({ ts: Date.now(), provider: 'paid', model: 'm', purpose: 'answer', inputTokens: 0, outputTokens: 0, costUsd: 2, latencyMs: 0, ok: true });
    const llm = createLlmRouter({
      providers: [{ name: 'paid', model: 'm', chat: new FakeListChatModel({ responses: ['x'] }), timeoutMs: 1000, inputPricePerMTok: 1, outputPricePerMTok: 1 }],
      ledger,
      dailyBudgetUsd: 1,
    });
    const result = await answerQuestion('Stops?', { retriever: fixedRetriever(passages), llm, multiQuery: false });
    expect(result.mode).toBe('extractive');
    expect(result.llmError).toContain('budget spent');
  });

  it('ensemble mode returns the majority answer with the agreement share', async () => {
    const chat = (r: string) => new FakeListChatModel({ responses: [r] });
    const llm = createLlmRouter({
      providers: [
        { name: 'a', model: 'a', chat: chat('{"covered": false, "answer": "Not covered."}'), timeoutMs: 1000, inputPricePerMTok: 0, outputPricePerMTok: 0 },
        { name: 'b', model: 'b', chat: chat('{"covered": true, "answer": "Below the swing low [Theory.pdf, p. 12]."}'), timeoutMs: 1000, inputPricePerMTok: 0, outputPricePerMTok: 0 },
        { name: 'c', model: 'c', chat: chat('```json\n{"covered": true, "answer": "Under the low."}\n```'), timeoutMs: 1000, inputPricePerMTok: 0, outputPricePerMTok: 0 },
        { name: 'd', model: 'd', chat: chat('{"covered": true, "answer": "Stop under the swing."}'), timeoutMs: 1000, inputPricePerMTok: 0, outputPricePerMTok: 0 },
      ],
      ledger: createMemoryUsageLedger(),
      dailyBudgetUsd: 1,
    });
    const result = await answerQuestion('Stops?', { retriever: fixedRetriever(passages), llm, llmMode: 'ensemble', multiQuery: false });
    expect(result.answer).toBe('Below the swing low [Theory.pdf, p. 12].');
    expect(result.agreement).toBe(0.75);
    expect(result.llmMode).toBe('ensemble');
  });
});
