/**
 * Theory → setup → evidence through the real bot: a real knowledge base (a Markdown document ingested, extractive
 * answers) answers /ask with a "Test this" button per cited passage; the press drafts a setup from the passage through
 * the real LLM router against a local OpenAI-compatible server (the first draft is invalid and re-asked once), shows
 * it as YAML with its rationale and the stored markets as toggles; Run backtests it walk-forward on stored GOOG daily
 * candles and records the verdict, which /theory lists and the next answer citing the passage shows beside it.
 * Without an LLM the button says which variables to set.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { plain, startIta, type ItaHarness } from './harness.ts';
import { createFakeServices } from './fake-services.ts';
import { startOpenAiFake, type OpenAiFake } from '../helpers/openai-fake.ts';
import { loadSampleCandles } from '../helpers/candles.ts';
import { openDatabase, type OpenedDatabase } from '../../src/engine/store/database.ts';
import { upsertCandles } from '../../src/engine/store/candles.ts';
import { labMigrations, testedTheories } from '../../src/engine/lab/store.ts';
import { createLabServices } from '../../src/engine/lab/service.ts';
import { theoryVerdict } from '../../src/engine/lab/theory/verdict.ts';
import { DEFAULT_SIMULATION } from '../../src/engine/backtest/service/run-setup.ts';
import { createLlmLayer, llmMigrations } from '../../src/knowledge/llm/index.ts';
import { openKnowledgeBase, type KnowledgeBase } from '../../src/knowledge/index.ts';
import { createKnowledgeService } from '../../src/app/knowledge-service.ts';
import type { Config } from '../../src/config.ts';
import type { TheoryEvidence } from '../../src/engine/lab/theory/evidence.ts';
import { storeArea } from '../helpers/store-area.ts';

const DOCUMENT = `# Moving averages

## Crossovers

When the 5-day simple moving average crosses above the 20-day simple moving average, the trend has turned up: buy,
with a stop three ATR below the entry and a target at three times the risk. The opposite cross is a sell signal.

## Volume

Volume confirms breakouts from ranges; a breakout on falling volume usually fails.
`;

const drafted = {
  id: 'sma_5_20_cross',
  name: 'SMA 5/20 crossover',
  description: 'Long on the 5-day SMA crossing above the 20-day SMA, short on the opposite cross.',
  rationale: 'From the passage on crossovers.',
  timeframe: '1d',
  indicators: { sma_fast: 'sma:5', sma_slow: 'sma:20', atr: 'atr:14' },
  rules: { long: { crosses_above: ['sma_fast', 'sma_slow'] }, short: { crosses_below: ['sma_fast', 'sma_slow'] } },
  stop: { type: 'atr', mult: 3 },
  targets: [{ r: 3 }],
};

type Keyboarded = { reply_markup?: { inline_keyboard?: Array<Array<{ text: string; callback_data?: string }>> } };
const buttons = (m: Keyboarded | undefined) => m?.reply_markup?.inline_keyboard?.flat() ?? [];

describe('"Test this" under an /ask answer', () => {
  let h: ItaHarness | undefined;
  let fake: OpenAiFake | undefined;
  let db: OpenedDatabase | undefined;
  let kb: KnowledgeBase | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await h?.stop();
    await fake?.close();
    await kb?.close();
    await db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    h = fake = db = kb = dir = undefined;
  });

  async function start(withLlm: boolean) {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ita-theory-'));
    db = await openDatabase(':memory:', { extraMigrations: { llm_migration: llmMigrations, lab_migration: labMigrations } });
    await upsertCandles(db, { exchange: 'nasdaq', symbol: 'GOOG', timeframe: '1d' }, loadSampleCandles('nasdaq_GOOG_1d'));
    kb = await openKnowledgeBase({ dataDir: dir, dbFile: path.join(dir, 'kb.sqlite'), embedding: { kind: 'local' } });
    await kb.ingestBuffer('moving-averages.md', Buffer.from(DOCUMENT));
    fake = await startOpenAiFake();
    const llm = withLlm
      ? createLlmLayer({ mode: 'single', providers: [{ name: 'alpha', kind: 'openai', baseUrl: fake.baseUrl, model: 'fake', apiKey: 'k', timeoutMs: 10_000, inputPricePerMTok: 0, outputPricePerMTok: 0 }], dailyBudgetUsd: 1, commentBudgetMs: 4000 }, { db: db.db })
      : null;
    const services = createFakeServices();
    // Answers stay extractive (quoted passages): the LLM here is the lab's, drafting setups.
    services.services.knowledge = createKnowledgeService(kb, null, { llm: { mode: 'single' } } as Config);
    services.services.lab = createLabServices({ db: storeArea(db.db), llm, mode: 'single', settings: DEFAULT_SIMULATION, setupsDir: dir });
    h = await startIta({ fakes: services });
    return h;
  }

  it('drafts a setup from the cited passage, tests it on the chosen market and stores a verdict shown by /theory and beside the citation', async () => {
    const h = await start(true);
    // First draft: no stop at all → the validator's words go back in one re-ask → a valid setup.
    const { stop: _stop, ...noStop } = drafted;
    fake!.script({ content: JSON.stringify({ setup: noStop, rationale: 'x' }) }, { content: '```json\n' + JSON.stringify({ setup: drafted, rationale: 'The passage: buy when SMA 5 crosses above SMA 20, stop 3 ATR, target 3R.' }) + '\n```' });

    const answer = await h.say('/ask moving average crossover buy stop ATR');
    expect(plain(answer)).toContain('moving-averages.md');
    const test = buttons(answer).find((b) => b.callback_data?.startsWith('th:t:'))!;
    expect(test.text).toMatch(/^🧪 Проверить: \[moving-averages\.md, Moving averages > Cross/);
    h.emulator.userPressButton(answer.message_id, test.callback_data!);

    const draft = await h.emulator.waitFor(() => h.botMessages().find((m) => buttons(m).some((b) => b.callback_data?.startsWith('th:r:'))), 20_000);
    expect(plain(draft)).toContain('Сетап по [moving-averages.md, Moving averages > Crossovers]');
    expect(plain(draft)).toContain('id: sma_5_20_cross');
    expect(plain(draft)).toContain('enabled: false');
    expect(plain(draft)).toContain('The passage: buy when SMA 5 crosses above SMA 20');
    expect(fake!.requests).toHaveLength(2);
    expect(JSON.stringify(fake!.requests[0].body.messages)).toContain('When the 5-day simple moving average crosses above');
    expect(JSON.stringify(fake!.requests[1].body.messages)).toContain('Your setup could not be used: stop');

    // Toggle GOOG 1d, then Run.
    const toggle = buttons(draft).find((b) => b.text.includes('GOOG 1d'))!;
    expect(toggle.text.startsWith('▫️')).toBe(true);
    h.emulator.userPressButton(draft.message_id, toggle.callback_data!);
    const toggled = await h.emulator.waitFor(() => {
      const m = h.botMessages().find((x) => x.message_id === draft.message_id);
      return buttons(m).some((b) => b.text.startsWith('✅ GOOG')) ? m : undefined;
    });
    h.emulator.userPressButton(draft.message_id, buttons(toggled).find((b) => b.callback_data?.startsWith('th:r:'))!.callback_data!);

    const result = await h.emulator.waitFor(() => h.botMessages().find((m) => /^🧪 (✅|❌|❔)/.test(plain(m))), 60_000);
    const [stored] = await testedTheories(storeArea(db!.db));
    const evidence = stored.evidence as TheoryEvidence;
    expect(stored).toMatchObject({ setupId: 'sma_5_20_cross', markets: ['nasdaq GOOG 1d'], passage: { document: 'moving-averages.md' } });
    expect(stored.claim).toContain('When the 5-day simple moving average crosses above');
    expect(evidence.trades).toBeGreaterThanOrEqual(30);
    expect(evidence.markets[0].method).toBe('walk-forward');
    // The stored verdict follows the rule from the stored numbers (the CI bounds decide, not the code path).
    const expected = evidence.ciLowR > 0 ? 'supported' : evidence.expectancyR <= 0 ? 'not supported' : 'inconclusive';
    expect(stored.verdict).toBe(expected);
    const words = { supported: 'подтверждается', 'not supported': 'не подтверждается', inconclusive: 'недостаточно данных' }[expected];
    expect(plain(result)).toContain(`${words}: When the 5-day simple moving average`);
    expect(plain(result)).toContain(`${evidence.trades} сделок вне выборки`);
    expect(plain(result)).toMatch(/nasdaq GOOG 1d: \d+ сделок, [+-]\d\.\d\dR, прибыльных окон \d+\/\d+ \(walk-forward\)/);

    const theory = await h.say('/theory');
    expect(plain(theory)).toContain('Проверенные утверждения');
    expect(plain(theory)).toContain(`${words} · [moving-averages.md, Moving averages > Crossovers] · sma_5_20_cross`);
    expect(plain(theory)).toContain(`${evidence.trades} сделок`);
    expect(plain(theory)).toContain('nasdaq GOOG 1d');

    // The next answer citing the passage shows its verdict beside the citation.
    const again = await h.say('/ask moving average crossover buy stop ATR');
    expect(plain(again)).toContain(`🧪 [moving-averages.md, Moving averages > Crossovers]: ${words === 'подтверждается' ? '✅' : words === 'не подтверждается' ? '❌' : '❔'} ${words} (${evidence.trades} сделок`);
  }, 120_000);

  it('a draft still invalid after the one re-ask is refused with the validator\'s words, in the trader\'s language', async () => {
    const h = await start(true);
    const { stop: _stop, ...noStop } = drafted;
    fake!.script({ content: JSON.stringify({ setup: noStop, rationale: 'x' }) }, { content: JSON.stringify({ setup: noStop, rationale: 'x' }) });
    const answer = await h.say('/ask moving average crossover buy stop ATR');
    h.emulator.userPressButton(answer.message_id, buttons(answer).find((b) => b.callback_data?.startsWith('th:t:'))!.callback_data!);
    const failed = await h.emulator.waitFor(() => h.botMessages().find((m) => plain(m).startsWith('❌ Не удалось составить сетап')), 20_000);
    expect(plain(failed)).toContain('сетап модели всё ещё неверен после повторного запроса: stop');
    expect(fake!.requests).toHaveLength(2);
    expect(await testedTheories(storeArea(db!.db))).toEqual([]);
  }, 30_000);

  it('without an LLM the button says which variables to set', async () => {
    const h = await start(false);
    const answer = await h.say('/ask moving average crossover buy stop ATR');
    const test = buttons(answer).find((b) => b.callback_data?.startsWith('th:t:'))!;
    h.emulator.userPressButton(answer.message_id, test.callback_data!);
    const told = await h.nextBotMessage(answer.message_id);
    expect(plain(told)).toContain('нужна LLM');
    expect(plain(told)).toContain('ITA_LLM_BASE_URL, ITA_LLM_MODEL');
    expect(fake!.requests).toHaveLength(0);
  }, 30_000);
});

describe('the verdict rule', () => {
  it('is computed from the trades as written in the rule (hand-computed cases)', () => {
    // 30 trades: 15 × +2R, 15 × −1R → mean 0.5, sd = sqrt(Σ(x−0.5)² / 29) = sqrt(30 × 2.25 / 29) = 1.52557…
    const mixed = [...Array(15).fill(2), ...Array(15).fill(-1)];
    const v = theoryVerdict(mixed);
    expect(v.expectancyR).toBeCloseTo(0.5, 12);
    const half = (1.959964 * Math.sqrt((30 * 2.25) / 29)) / Math.sqrt(30);
    expect(v.ciLowR).toBeCloseTo(0.5 - half, 9);
    expect(v.ciLowR).toBeCloseTo(-0.04592, 4);
    expect(v).toMatchObject({ verdict: 'inconclusive', reason: 'ci-includes-zero', trades: 30, winRatePct: 50 });
    // 40 trades: 24 × +1R, 16 × −0.5R → mean 0.4, sd = sqrt((24 × 0.36 + 16 × 0.81) / 39) = 0.7412…, CI low = 0.4 − 0.2297 > 0.
    expect(theoryVerdict([...Array(24).fill(1), ...Array(16).fill(-0.5)])).toMatchObject({ verdict: 'supported', reason: 'ci-above-zero' });
    // Break-even net of costs is not an edge.
    expect(theoryVerdict([...Array(20).fill(1), ...Array(20).fill(-1)])).toMatchObject({ verdict: 'not supported', reason: 'expectancy-not-positive', expectancyR: 0 });
    // 29 winners are still too few to say anything.
    expect(theoryVerdict(Array(29).fill(1))).toMatchObject({ verdict: 'inconclusive', reason: 'too-few-trades', trades: 29 });
  });
});
