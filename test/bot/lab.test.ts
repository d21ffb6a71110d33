/**
 * /lab through the real bot over the Bot API emulator, with the real lab service over SQLite (stored GOOG daily
 * candles) and two local OpenAI-compatible servers driven through the real LLM router: choose a market and the
 * number of setups with buttons → one progress message edited in place → every candidate graded with its strengths
 * and weaknesses → survivors saved as setup files, disabled → the run stored in lab_runs with prompts, models and
 * costs. One proposal is invalid (rejected with the validator's words), one is a duplicate (merged). Cancel stops a
 * run while a model is still answering.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { plain, startIta, type ItaHarness } from './harness.ts';
import { createFakeServices } from './fake-services.ts';
import { startOpenAiFake, type OpenAiFake } from '../helpers/openai-fake.ts';
import { loadSampleCandles } from '../helpers/candles.ts';
import { openDatabase, type OpenedDatabase } from '../../src/engine/store/database.ts';
import { upsertCandles } from '../../src/engine/store/candles.ts';
import { labMigrations, listLabRuns } from '../../src/engine/lab/store.ts';
import { createLabServices, type LabServiceDeps } from '../../src/engine/lab/service.ts';
import { DEFAULT_SIMULATION } from '../../src/engine/backtest/service/run-setup.ts';
import { createLlmLayer, llmMigrations } from '../../src/knowledge/llm/index.ts';
import { loadSetupFile } from '../../src/engine/setups/index.ts';
import { createSetupRegistry, type SetupRegistry } from '../../src/engine/journal/setup-registry.ts';
import { storeArea } from '../helpers/store-area.ts';

const smaCross = (id: string, name: string) => ({
  id,
  name,
  description: 'Long when SMA 5 crosses above SMA 20, short on the cross below.',
  rationale: 'Trend following baseline.',
  timeframe: '1d',
  indicators: { sma_fast: 'sma:5', sma_slow: 'sma:20', atr: 'atr:14' },
  rules: { long: { crosses_above: ['sma_fast', 'sma_slow'] }, short: { crosses_below: ['sma_fast', 'sma_slow'] } },
  stop: { type: 'atr', mult: 3 },
  targets: [{ r: 3 }],
  management: { exit_on_opposite: true },
});
const rsiRevert = {
  id: 'rsi_revert',
  name: 'RSI reversion',
  description: 'Long when RSI(14) crosses back above 30.',
  rationale: 'Oversold bounces in an uptrending stock.',
  timeframe: '1d',
  params: { atr_stop: { value: 2, min: 1, max: 3, step: 0.5 } },
  indicators: { rsi: 'rsi:14', atr: 'atr:14' },
  rules: { long: { crosses_above: ['rsi', 30] } },
  stop: { type: 'atr', mult: '$atr_stop' },
  targets: [{ r: 2 }],
};
/** Uses an indicator it never declares: the validator must name it. */
const undeclared = { ...rsiRevert, id: 'broken_idea', params: undefined, stop: { type: 'atr', mult: 2 }, rules: { long: { gt: ['close', 'ema50'] } } };

type Keyboarded = { reply_markup?: { inline_keyboard?: Array<Array<{ text: string; callback_data?: string }>> } };
const buttons = (m: Keyboarded) => m.reply_markup?.inline_keyboard?.flat() ?? [];

describe('/lab in the bot', () => {
  let h: ItaHarness | undefined;
  let fakes: OpenAiFake[] = [];
  let labDb: OpenedDatabase | undefined;
  let dir: string | undefined;
  let registry: SetupRegistry | undefined;
  afterEach(async () => {
    await h?.stop();
    for (const f of fakes) await f.close();
    await labDb?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    h = undefined;
    fakes = [];
    labDb = undefined;
    dir = undefined;
  });

  async function start(extra: Partial<LabServiceDeps> = {}, dailyBudgetUsd = 1) {
    fakes = [await startOpenAiFake(), await startOpenAiFake()];
    dir = mkdtempSync(path.join(os.tmpdir(), 'ita-bot-lab-'));
    labDb = await openDatabase(':memory:', { extraMigrations: { llm_migration: llmMigrations, lab_migration: labMigrations } });
    await upsertCandles(labDb, { exchange: 'nasdaq', symbol: 'GOOG', timeframe: '1d' }, loadSampleCandles('nasdaq_GOOG_1d'));
    const llm = createLlmLayer(
      {
        mode: 'ensemble',
        providers: fakes.map((fake, i) => ({ name: i ? 'beta' : 'alpha', kind: 'openai' as const, baseUrl: fake.baseUrl, model: `fake-${i}`, apiKey: 'k', timeoutMs: 10_000, inputPricePerMTok: 1, outputPricePerMTok: 2 })),
        dailyBudgetUsd,
        commentBudgetMs: 4000,
      },
      { db: labDb.db },
    )!;
    registry = await createSetupRegistry({ db: labDb.db, setups: [] });
    const adopt = registry;
    const services = createFakeServices();
    services.services.lab = createLabServices({
      onSaved: async (files) => { for (const file of files) await adopt.define(readFileSync(file, 'utf8'), file); },
      db: storeArea(labDb.db), llm, mode: 'ensemble', settings: DEFAULT_SIMULATION, setupsDir: dir,
      // GOOG daily is a short sample: keep what is graded at all, so saving is exercised on real results.
      keep: 'graded',
      // Most of the sample out of sample, so the candidates make the 30 trades a grade needs.
      trainSplit: 0.1,
      // The specification's GA (50 × 20, mutation 0.1, crossover 0.8) by default, on a worker thread; rsi_revert's one
      // range has 5 values, so it costs 5 distinct backtests.
      optimize: { method: 'genetic', workers: 1 },
      ...extra,
    });
    h = await startIta({ fakes: services });
    return h;
  }

  it('runs from /lab to graded, saved, disabled setups with progress edited in place, and stores the run', async () => {
    const h = await start();
    const [alpha, beta] = fakes;
    alpha.script(
      { content: JSON.stringify({ proposals: [{ setup: smaCross('trend_cross', 'SMA trend'), why: 'trend' }, { setup: rsiRevert, why: 'reversion' }, { setup: undeclared }] }), promptTokens: 1000, completionTokens: 500 },
      { content: JSON.stringify({ proposals: [{ setup: { ...undeclared, stop: { type: 'atr' } } }] }) },
    );
    beta.script({ content: JSON.stringify({ proposals: [{ setup: smaCross('golden_cross', 'Golden cross'), why: 'classic' }] }) });

    const chooser = await h.say('/lab');
    expect(plain(chooser)).toContain('Лаборатория стратегий');
    expect(plain(chooser)).toContain('alpha, beta');
    // The terms every candidate is judged under, as /backtest prints them (DEFAULT_SIMULATION here).
    expect(plain(chooser)).toContain('капитал 10,000, комиссия 0.1 % за исполнение, проскальзывание 0 bps, риск 0.8 % на сделку, без политики сигналов, риск-менеджер выключен');
    const toggle = buttons(chooser).find((b) => b.text.includes('GOOG 1d'))!;
    expect(toggle.text.startsWith('✅')).toBe(true);
    // 2 setups per model: the keyboard is edited, the Start button follows the choice.
    h.emulator.userPressButton(chooser.message_id, buttons(chooser).find((b) => b.text.includes('2 на модель'))!.callback_data!);
    const edited = await h.emulator.waitFor(() => {
      const m = h.botMessages().find((x) => x.message_id === chooser.message_id)!;
      return buttons(m).some((b) => b.text.startsWith('• 2')) ? m : undefined;
    });
    const startButton = buttons(edited).find((b) => b.callback_data?.startsWith('lb:go:'))!;
    expect(startButton.callback_data).toMatch(/^lb:go:1:2:1$/);
    h.emulator.userPressButton(chooser.message_id, startButton.callback_data!);

    const progress = await h.emulator.waitFor(() => h.botMessages().find((m) => buttons(m).some((b) => b.callback_data?.startsWith('lb:x:'))), 10_000);
    const finished = await h.emulator.waitFor(() => {
      const m = h.botMessages().find((x) => x.message_id === progress.message_id)!;
      return plain(m).includes('Прогон лаборатории завершён') ? m : undefined;
    }, 60_000);
    const text = plain(finished);
    // One message for the whole run: edited, never a new message per stage.
    const edits = h.emulator.calls.filter((c) => c.method === 'editMessageText' && Number(c.params.message_id) === progress.message_id);
    expect(edits.length).toBeGreaterThanOrEqual(2);
    expect(h.botMessages().filter((m) => m.message_id > chooser.message_id)).toHaveLength(1);
    expect(finished.reply_markup).toBeUndefined();

    // The invalid proposal was re-asked once and rejected with the validator's words; the duplicate was merged.
    expect(alpha.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(2);
    expect(JSON.stringify(alpha.requests[1].body.messages)).toContain('proposal 3 (broken_idea)');
    expect(JSON.stringify(alpha.requests[0].body.messages)).toContain('Propose 2 distinct trading setup(s) for GOOG on 1d candles');
    expect(text).toContain('alpha: 2 годных, 1 отклонено');
    expect(text).toMatch(/✗ proposal 1 \(broken_idea\): stop/);
    expect(text).toContain('2 разных кандидат');
    expect(text).toMatch(/trend_cross\S* · оценка [^·]+ · от alpha, beta, согласие 100 %/);
    expect(text).toMatch(/rsi_revert\S* · оценка [^·]+ · от alpha, согласие 50 %/);
    // Strengths and weaknesses in words, in the trader's language.
    expect(text).toMatch(/[+−] (Шарп|макс|доля|профит|Calmar|Кальмар|только)/i);

    // Survivors: files in the setups directory, disabled, loadable as ordinary setups.
    const saved = readdirSync(dir!).sort();
    expect(saved.length).toBeGreaterThan(0);
    for (const name of saved) {
      expect(loadSetupFile(path.join(dir!, name)).enabled).toBe(false);
      // Adopted by the setup registry, still disabled: /setups lists it, /setup ID can enable it.
      expect(registry!.get(name.replace(/\.yaml$/, ''))?.setup.enabled).toBe(false);
      expect(text).toContain(`сохранён как ${name}`);
    }

    // The run in the database: prompts, replies, models, cost (1000 in × $1/M + 500 out × $2/M on alpha's first call).
    const [run] = await listLabRuns(storeArea(labDb!.db));
    expect(run).toMatchObject({ status: 'done', source: 'bot', mode: 'ensemble', models: ['alpha', 'beta'] });
    expect(run.saved.map((f) => path.basename(f)).sort()).toEqual(saved);
    const transcripts = run.transcripts as { agent: string; turns: { prompt: string; reply: string }[] }[];
    expect(transcripts.find((t) => t.agent === 'alpha')!.turns).toHaveLength(2);
    expect(run.costUsd).toBeCloseTo((1000 * 1 + 500 * 2) / 1e6 + (10 * 1 + 5 * 2) / 1e6 * 2, 9);
    const candidates = run.candidates as { id: string; grade?: string; trials: number; search?: Record<string, unknown> }[];
    // rsi_revert has a parameter range: the genetic optimizer ran with the specification's settings and every try counts.
    const tuned = candidates.find((c) => c.id === 'rsi_revert')!;
    expect(tuned.trials).toBeGreaterThan(1);
    expect(tuned.search).toEqual({ method: 'genetic', objective: 'composite', population: 50, generations: 20, mutationRate: 0.1, crossoverRate: 0.8 });
    expect(candidates.every((c) => c.grade)).toBe(true);
    expect(text).toContain('Условия те же, что у /backtest: spot ×1, капитал 10,000');
    expect(plain(await h.say('/lab runs'))).toMatch(/done · ensemble · alpha, beta · кандидатов 2, сохранено \d/);
  }, 90_000);

  it('Cancel stops a run while a model is still answering; nothing is saved and the run is stored as cancelled', async () => {
    const h = await start({ mode: 'single' });
    fakes[0].script({ content: JSON.stringify({ proposals: [{ setup: smaCross('slow_idea', 'Slow') }] }), delayMs: 8000 });
    const chooser = await h.say('/lab');
    h.emulator.userPressButton(chooser.message_id, buttons(chooser).find((b) => b.callback_data?.startsWith('lb:go:'))!.callback_data!);
    const progress = await h.emulator.waitFor(() => h.botMessages().find((m) => buttons(m).some((b) => b.callback_data?.startsWith('lb:x:'))), 10_000);
    for (let waited = 0; fakes[0].requests.length === 0 && waited < 5000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    expect(fakes[0].requests).toHaveLength(1);
    const started = Date.now();
    h.emulator.userPressButton(progress.message_id, buttons(progress).find((b) => b.callback_data?.startsWith('lb:x:'))!.callback_data!);
    await h.emulator.waitFor(() => (plain(h.botMessages().find((m) => m.message_id === progress.message_id)) === '⏹ Прогон лаборатории отменён; ничего не сохранено.' ? true : undefined), 6000);
    // Stopped at once, not after the model's 8 s answer.
    expect(Date.now() - started).toBeLessThan(5000);
    expect(readdirSync(dir!)).toEqual([]);
    const [run] = await listLabRuns(storeArea(labDb!.db));
    expect(run).toMatchObject({ status: 'cancelled', mode: 'single', models: ['alpha'] });
  }, 30_000);

  it('the LLM daily budget applies: once spent, the re-ask is refused, said in the result, and the cost is stored', async () => {
    // $0.002 for the first answer (1000 in × $1/M + 500 out × $2/M) against a $0.001 budget.
    const h = await start({ mode: 'single', optimize: { method: 'none' } }, 0.001);
    fakes[0].script(
      { content: JSON.stringify({ proposals: [{ setup: smaCross('trend_cross', 'SMA trend') }, { setup: undeclared }] }), promptTokens: 1000, completionTokens: 500 },
      { content: JSON.stringify({ proposals: [] }) },
    );
    const chooser = await h.say('/lab');
    expect(plain(chooser)).toContain('LLM сегодня: $0.0000 из $0.00');
    h.emulator.userPressButton(chooser.message_id, buttons(chooser).find((b) => b.callback_data?.startsWith('lb:go:'))!.callback_data!);
    const progress = await h.emulator.waitFor(() => h.botMessages().find((m) => buttons(m).some((b) => b.callback_data?.startsWith('lb:x:'))), 10_000);
    const finished = await h.emulator.waitFor(() => {
      const m = h.botMessages().find((x) => x.message_id === progress.message_id)!;
      return /завершён|не удался/.test(plain(m)) ? m : undefined;
    }, 60_000);
    // The re-ask never reached the model.
    expect(fakes[0].requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(1);
    expect(plain(finished)).toContain('alpha: ошибка (дневной бюджет LLM исчерпан: $0.0020 из $0.00 потрачено сегодня (UTC); вызовы отклоняются до завтра)');
    const [run] = await listLabRuns(storeArea(labDb!.db));
    expect(run.costUsd).toBeCloseTo(0.002, 9);
  }, 60_000);
});
