import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { sql } from 'kysely';
import { openDatabase } from '../../../src/engine/store/database.ts';
import type { LlmProviderConfig } from '../../../src/config.ts';
import {
  LlmBudgetExceededError,
  LlmUnavailableError,
  createLlmLayer,
  createMemoryUsageLedger,
  createSqliteUsageLedger,
  llmMigrations,
} from '../../../src/knowledge/llm/index.ts';
import { startOpenAiFake, type OpenAiFake } from '../../helpers/openai-fake.ts';
import { describeBackends, storePerTest } from '../../helpers/backends.ts';
import { createTestDatabase, hasPostgres, skipWithoutPostgres } from '../../helpers/postgres.ts';

const messages = [new SystemMessage('Be brief.'), new HumanMessage('Hello?')];

function provider(name: string, fake: OpenAiFake, extra: Partial<LlmProviderConfig> = {}): LlmProviderConfig {
  return { name, kind: 'openai', baseUrl: fake.baseUrl, model: `${name}-model`, apiKey: 'test-key', timeoutMs: 5000, inputPricePerMTok: 0, outputPricePerMTok: 0, ...extra };
}

function llmConfig(providers: LlmProviderConfig[], dailyBudgetUsd = 1) {
  return { mode: 'single' as const, providers, dailyBudgetUsd, commentBudgetMs: 4000 };
}

describe('LLM router over a real OpenAI-compatible HTTP server', () => {
  let a: OpenAiFake;
  let b: OpenAiFake;
  let sleeps: number[];
  const sleep = async (ms: number) => {
    sleeps.push(ms);
  };

  beforeEach(async () => {
    a = await startOpenAiFake();
    b = await startOpenAiFake();
    sleeps = [];
  });
  afterEach(async () => {
    await a.close();
    await b.close();
  });

  it('returns the text and token usage and sends the messages as OpenAI chat messages', async () => {
    a.script({ content: 'Hi there', promptTokens: 12, completionTokens: 3 });
    const router = createLlmLayer(llmConfig([provider('a', a)]), { router: { sleep } })!;
    const reply = await router.complete(messages, { purpose: 'test' });
    expect(reply).toMatchObject({ text: 'Hi there', provider: 'a', model: 'a-model', inputTokens: 12, outputTokens: 3 });
    expect(a.requests[0].body.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hello?' },
    ]);
  });

  it('retries 500s with exponential backoff, then falls back to the next provider', async () => {
    a.script({ status: 500 }, { status: 500 }, { status: 500 });
    b.script({ content: 'from b' });
    const ledger = createMemoryUsageLedger();
    const router = createLlmLayer(llmConfig([provider('a', a), provider('b', b)]), { ledger, router: { sleep, retries: 2, backoffMs: 100 } })!;
    const reply = await router.complete(messages, { purpose: 'test' });
    expect(reply.text).toBe('from b');
    expect(a.requests).toHaveLength(3);
    expect(sleeps).toEqual([100, 200]);
    expect(ledger.rows.map((r) => [r.provider, r.ok])).toEqual([
      ['a', false],
      ['a', false],
      ['a', false],
      ['b', true],
    ]);
    expect(ledger.rows[0].error).toBe('HTTP 500');
  });

  it('waits for retry-after on 429 and retries the same provider', async () => {
    a.script({ status: 429, retryAfterS: 2 }, { content: 'after the wait' });
    const router = createLlmLayer(llmConfig([provider('a', a), provider('b', b)]), { router: { sleep } })!;
    const reply = await router.complete(messages, { purpose: 'test' });
    expect(reply).toMatchObject({ text: 'after the wait', provider: 'a' });
    expect(sleeps).toEqual([2000]);
    expect(b.requests).toHaveLength(0);
  });

  it('does not retry a 400 (asking again will not help) and moves to the next provider', async () => {
    a.script({ status: 400 });
    b.script({ content: 'b answers' });
    const router = createLlmLayer(llmConfig([provider('a', a), provider('b', b)]), { router: { sleep } })!;
    expect((await router.complete(messages, { purpose: 'test' })).provider).toBe('b');
    expect(a.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('times a slow provider out per call and falls back', async () => {
    a.script({ delayMs: 3000, content: 'too late' });
    b.script({ content: 'fast b' });
    const ledger = createMemoryUsageLedger();
    const router = createLlmLayer(llmConfig([provider('a', a, { timeoutMs: 150 }), provider('b', b)]), { ledger, router: { sleep, retries: 0 } })!;
    expect((await router.complete(messages, { purpose: 'test' })).text).toBe('fast b');
    expect(ledger.rows[0]).toMatchObject({ provider: 'a', ok: false, error: 'timed out after 150 ms' });
  });

  it('treats a malformed response body as a transient failure', async () => {
    a.script({ rawBody: '{"choices": [' }, { content: 'second try' });
    const router = createLlmLayer(llmConfig([provider('a', a)]), { router: { sleep } })!;
    expect((await router.complete(messages, { purpose: 'test' })).text).toBe('second try');
  });

  it('fails with LlmUnavailableError when every provider fails', async () => {
    a.script({ status: 500 });
    b.script({ status: 503 });
    const router = createLlmLayer(llmConfig([provider('a', a), provider('b', b)]), { router: { sleep, retries: 0 } })!;
    await expect(router.complete(messages, { purpose: 'test' })).rejects.toThrow(LlmUnavailableError);
  });

  describeBackends('accounting and the daily budget in the store', (backend) => {
    const current = storePerTest(backend, { extraMigrations: { llm_migration: llmMigrations } });
    const db = () => current.store.db;

    it('stores one row per call with tokens, cost (price per 1M tokens), latency and outcome', async () => {
      a.script({ status: 500 }, { content: 'ok', promptTokens: 1000, completionTokens: 500 });
      // $2 / 1M input and $10 / 1M output: 1000 * 2e-6 + 500 * 1e-5 = 0.002 + 0.005 = $0.007.
      const router = createLlmLayer(llmConfig([provider('a', a, { inputPricePerMTok: 2, outputPricePerMTok: 10 })]), {
        db: db(),
        router: { sleep },
      })!;
      await router.complete(messages, { purpose: 'answer' });
      const rows = await sql<any>`SELECT provider, model, purpose, input_tokens, output_tokens, cost_usd, ok, error FROM llm_calls ORDER BY id`.execute(db());
      expect(rows.rows).toEqual([
        { provider: 'a', model: 'a-model', purpose: 'answer', input_tokens: 0, output_tokens: 0, cost_usd: 0, ok: 0, error: 'HTTP 500' },
        { provider: 'a', model: 'a-model', purpose: 'answer', input_tokens: 1000, output_tokens: 500, cost_usd: expect.closeTo(0.007, 10), ok: 1, error: null },
      ]);
      const usage = await router.usageToday();
      expect(usage).toMatchObject({ calls: 2, failures: 1, inputTokens: 1000, outputTokens: 500 });
      expect(usage.costUsd).toBeCloseTo(0.007, 10);
    });

    it('refuses paid calls once the day is spent, but keeps free (local) providers usable', async () => {
      const ledger = createSqliteUsageLedger(db());
      const now = Date.UTC(2026, 10, 21, 12);
      await ledger.record({ ts: now - 3600_000, provider: 'a', model: 'm', purpose: 'answer', inputTokens: 1, outputTokens: 1, costUsd: 0.5, latencyMs: 1, ok: true });
      // Yesterday's spending does not count against today.
      await ledger.record({ ts: Date.UTC(2026, 10, 20, 23), provider: 'a', model: 'm', purpose: 'answer', inputTokens: 1, outputTokens: 1, costUsd: 9, latencyMs: 1, ok: true });
      const paid = provider('a', a, { inputPricePerMTok: 1 });
      const router = createLlmLayer(llmConfig([paid], 0.5), { ledger, router: { sleep, now: () => now } })!;
      await expect(router.complete(messages, { purpose: 'answer' })).rejects.toThrow(LlmBudgetExceededError);
      expect(a.requests).toHaveLength(0);

      const withLocal = createLlmLayer(llmConfig([paid, provider('local', b)], 0.5), { ledger, router: { sleep, now: () => now } })!;
      expect((await withLocal.complete(messages, { purpose: 'answer' })).provider).toBe('local');
      expect((await withLocal.usageToday()).costUsd).toBeCloseTo(0.5, 10);
    });

    it('lets the call that crosses the budget finish, then refuses the next one', async () => {
      a.script({ content: 'first', promptTokens: 1_000_000, completionTokens: 0 });
      const router = createLlmLayer(llmConfig([provider('a', a, { inputPricePerMTok: 1.5 })], 1), { db: db(), router: { sleep } })!;
      await router.complete(messages, { purpose: 'answer' });
      const error = await router.complete(messages, { purpose: 'answer' }).catch((e) => e);
      expect(error).toBeInstanceOf(LlmBudgetExceededError);
      expect(error.message).toContain('$1.5000 of $1.00');
    });
  });
});

describe('usage per provider', () => {
  const calls = ['local', 'OpenAI', 'b-provider', 'local'].map((provider, i) => ({
    ts: Date.UTC(2026, 10, 21, 9, i), provider, model: 'm', purpose: 'answer', inputTokens: 10, outputTokens: 1, costUsd: i / 100, latencyMs: 5, ok: i !== 1,
  }));
  const expected = [
    { provider: 'OpenAI', calls: 1, costUsd: 0.01 },
    { provider: 'b-provider', calls: 1, costUsd: 0.02 },
    { provider: 'local', calls: 2, costUsd: 0.03 },
  ];
  const now = Date.UTC(2026, 10, 21, 12);

  it('is listed in code-unit order by the memory ledger', async () => {
    const ledger = createMemoryUsageLedger();
    for (const call of calls) await ledger.record(call);
    expect((await ledger.usageToday(now)).byProvider).toEqual(expected);
  });

  describe.skipIf(!hasPostgres)(`on PostgreSQL with an ICU "en" collation${skipWithoutPostgres}`, () => {
    it('is listed in the same order as in memory and on SQLite ("local" does not move before "OpenAI")', async () => {
      const database = await createTestDatabase('ita_llm_icu', { icuLocale: 'en' });
      const store = await openDatabase(database.url, { extraMigrations: { llm_migration: llmMigrations } });
      try {
        const ledger = createSqliteUsageLedger(store.db);
        for (const call of calls) await ledger.record(call);
        const usage = await ledger.usageToday(now);
        expect(usage.byProvider.map((p) => p.provider)).toEqual(expected.map((p) => p.provider));
        expect(usage).toMatchObject({ calls: 4, failures: 1, inputTokens: 40, outputTokens: 4 });
      } finally {
        await store.close();
        await database.drop();
      }
    });
  });
});

describe('LLM errors never store the key', () => {
  it('a 401 whose text echoes the Authorization header is recorded masked in llm_calls', async () => {
    const fake = await startOpenAiFake();
    const store = await openDatabase(':memory:', { extraMigrations: { llm_migration: llmMigrations } });
    try {
      const key = 'sk-live-9f8e7d6c5b4a39281706f5e4d3c2b1a0';
      const body = { error: { message: `Incorrect API key provided: Bearer ${key}`, type: 'invalid_request_error', code: 'invalid_api_key' } };
      fake.script({ status: 401, rawBody: JSON.stringify(body) });
      const router = createLlmLayer(llmConfig([provider('a', fake, { apiKey: key })]), { ledger: createSqliteUsageLedger(store.db) })!;
      await expect(router.complete(messages, { purpose: 'test' })).rejects.toBeInstanceOf(LlmUnavailableError);
      const rows = await sql<{ error: string }>`SELECT error FROM llm_calls`.execute(store.db);
      expect(rows.rows).toHaveLength(1);
      expect(rows.rows[0].error).toContain('401');
      expect(rows.rows[0].error).not.toContain('9f8e7d6c5b4a');
    } finally {
      await store.close();
      await fake.close();
    }
  });
});
