/**
 * Notion export against a local fake of the Notion API over HTTP: the official client, real ITA tables as the
 * source, idempotent reruns, missing columns added, Notion's refusals turned into messages a trader can act on.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteDatabase, type OpenedSqliteDatabase } from '../../src/engine/store/database.ts';
import { backtestMigrations, insertRun } from '../../src/engine/backtest/service/store.ts';
import { executorMigrations, EXECUTOR_MIGRATION_TABLE } from '../../src/engine/exec/executor/index.ts';
import { createNotionExporter } from '../../src/integrations/notion/export.ts';
import { backtestRows, tradeRows } from '../../src/integrations/notion/rows.ts';
import { ConfigError } from '../../src/engine/errors.ts';
import { startNotionFake, type NotionFake } from '../helpers/notion-fake.ts';

const TOKEN = 'ntn_4242424242424242424242424242424242424242424242';

async function seed(store: OpenedSqliteDatabase): Promise<void> {
  const stats = { trades: 12, wins: 5, avgR: 0.35, returnPct: 4.2, sharpe: 1.1, maxDrawdownPct: -6.5, profitFactor: 1.42 } as never;
  await insertRun(store.db as never, { setupId: 'breakout_4h', setupVersion: 'v3a1', exchange: 'binance', symbol: 'BTC/USDT', timeframe: '4h', from: Date.UTC(2024, 6, 10), to: Date.UTC(2025, 6, 10), stats, rTrades: 12, summary: ['x'], createdAt: 1 });
  const insert = store.sqlite.prepare(`INSERT INTO executor_positions (id, account, signal_id, setup_id, setup_version, symbol, timeframe, side, status, opened_at,
    entry_price, initial_stop, stop, size, risk_per_unit, take_profit_count, targets_taken, best, bars_held, atr, break_even_at_r, trail_atr, time_stop_bars,
    last_bar_ts, closed_at, pnl, r_multiple, fees, exit_price, close_reason) VALUES (?, 'paper', ?, 'ema_cross', 'v1', 'BTC/USDT', '1h', ?, ?, ?, 60000, 59000, 59000, 0.1, 1000,
    1, 0, 60000, 3, 500, 0.6, 1.8, 0, 0, ?, ?, ?, ?, ?, ?)`);
  insert.run('p1', 's1', 'long', 'closed', Date.UTC(2024, 6, 11, 8), Date.UTC(2024, 6, 11, 20), -104.2, -1.042, 11.9, 59000, 'stop');
  insert.run('p2', 's2', 'short', 'closed', Date.UTC(2024, 6, 12, 8), Date.UTC(2024, 6, 13, 1), 180.5, 1.805, 12.1, 58200, 'target 2');
  insert.run('p3', 's3', 'long', 'open', Date.UTC(2024, 6, 14, 8), null, null, null, null, null, null);
}

describe('Notion export', () => {
  let fake: NotionFake;
  let store: OpenedSqliteDatabase;
  beforeEach(async () => {
    fake = await startNotionFake(TOKEN);
    store = await openSqliteDatabase(':memory:', { extraMigrations: { backtest_migration: backtestMigrations, [EXECUTOR_MIGRATION_TABLE]: executorMigrations } });
    await seed(store);
  });
  afterEach(async () => {
    await store.close();
    await fake.close();
  });

  it('writes backtest reports and closed trades, adding the columns it needs; a rerun updates and never duplicates', async () => {
    const backtests = fake.addDatabase('ITA backtests', { Name: 'title', Notes: 'rich_text' });
    const journal = fake.addDatabase('ITA journal', { Trade: 'title' });
    const notion = createNotionExporter({ token: TOKEN, baseUrl: fake.url });

    expect(await notion.exportBacktests(backtests, await backtestRows(store.db))).toEqual({ created: 1, updated: 0 });
    expect(await notion.exportTrades(journal, await tradeRows(store.db))).toEqual({ created: 2, updated: 0 });
    // The trader's own column stays; ITA's are added.
    expect(fake.columns(backtests)).toMatchObject({ Notes: 'rich_text', 'Win rate %': 'number', 'Expectancy R': 'number', 'Max drawdown %': 'number', Period: 'date' });

    const [report] = fake.pages(backtests);
    const value = (name: string) => (report.properties[name] as { number?: number }).number;
    expect(value('Trades')).toBe(12);
    expect(value('Win rate %')).toBeCloseTo((100 * 5) / 12, 6);
    expect(value('Average R')).toBe(0.35);
    expect(value('Max drawdown %')).toBe(-6.5);
    expect(value('Profit factor')).toBe(1.42);
    // Expectancy in R is the mean R per trade of the run (avgR 0.35 seeded); the period is the run's first to last candle.
    expect(value('Expectancy R')).toBe(0.35);
    expect((report.properties.Period as { date: { start: string; end: string } }).date).toMatchObject({
      start: expect.stringMatching(/^2024-07-10/), end: expect.stringMatching(/^2025-07-10/),
    });
    // The journal's title column has another name: ITA writes its title there.
    const trades = fake.pages(journal);
    expect(trades.map((p) => (p.properties.Trade as { title: { plain_text: string }[] }).title[0].plain_text).sort()).toEqual(['ema_cross BTC/USDT long', 'ema_cross BTC/USDT short']);

    // A trade's numbers change (e.g. fees corrected), then the export runs again.
    store.sqlite.prepare("UPDATE executor_positions SET fees = 13.0 WHERE id = 'p1'").run();
    expect(await notion.exportTrades(journal, await tradeRows(store.db))).toEqual({ created: 0, updated: 2 });
    expect(await notion.exportBacktests(backtests, await backtestRows(store.db))).toEqual({ created: 0, updated: 1 });
    expect(fake.pages(journal)).toHaveLength(2);
    expect(fake.pages(backtests)).toHaveLength(1);
    const p1 = fake.pages(journal).find((p) => (p.properties['ITA id'] as { rich_text: { plain_text: string }[] }).rich_text[0].plain_text === 'trade:p1')!;
    expect((p1.properties.Fees as { number: number }).number).toBe(13);
  });

  it('waits out a rate limit and goes on', async () => {
    const journal = fake.addDatabase('ITA journal', { Name: 'title' });
    const notion = createNotionExporter({ token: TOKEN, baseUrl: fake.url });
    fake.rateLimit(2);
    expect(await notion.exportTrades(journal, await tradeRows(store.db))).toEqual({ created: 2, updated: 0 });
    expect(fake.requests.filter((r) => r.status === 429)).toHaveLength(2);
  });

  it('says what to do when the token is wrong, the database is not shared, or a column has another type', async () => {
    const journal = fake.addDatabase('ITA journal', { Name: 'title', R: 'rich_text' });
    const wrong = createNotionExporter({ token: 'ntn_wrong_token_0000000000000000000000000000000', baseUrl: fake.url, maxRetries: 0 });
    const bad = await wrong.exportTrades(journal, []).catch((e: Error) => e);
    expect(bad).toBeInstanceOf(ConfigError);
    expect((bad as Error).message).toContain('NOTION_TOKEN');
    expect((bad as Error).message).not.toContain('ntn_wrong_token');

    const notion = createNotionExporter({ token: TOKEN, baseUrl: fake.url, maxRetries: 0 });
    const missing = await notion.exportTrades('0c0ffee0-0000-4000-8000-000000000000', []).catch((e: Error) => e);
    expect((missing as Error).message).toContain('Share the database');

    const typed = await notion.exportTrades(journal, await tradeRows(store.db)).catch((e: Error) => e);
    expect((typed as Error).message).toBe('Notion column "R" is of type rich_text; ITA writes a number there. Change its type or rename the column.');
    expect(fake.pages(journal)).toHaveLength(0);
  });
});

describe('scheduled reports to Notion', () => {
  it('each scheduled report goes to the chat and syncs the journal to Notion; a Notion failure never costs the chat report', async () => {
    const { scheduleReports } = await import('../../src/bot/execution/index.ts');
    const { createFakeExecutor } = await import('../bot/execution/fake-executor.ts');
    const { reportSinks } = await import('../../src/app/report-sinks.ts');
    const { silentLogger } = await import('../../src/logger.ts');
    const fake = await startNotionFake(TOKEN);
    const store = await openSqliteDatabase(':memory:', { extraMigrations: { backtest_migration: backtestMigrations, [EXECUTOR_MIGRATION_TABLE]: executorMigrations } });
    try {
      await seed(store);
      const journal = fake.addDatabase('ITA journal', { Name: 'title' });
      const chat: string[] = [];
      const send = reportSinks(async (r) => void chat.push(r.period), { db: store.db, notion: { token: TOKEN, journalDatabase: journal, apiUrl: fake.url }, logger: silentLogger });
      const schedule = scheduleReports({ executor: createFakeExecutor(), send, timezone: 'UTC' });
      try {
        await schedule.runNow('day');
        await schedule.runNow('week');
      } finally {
        schedule();
      }
      expect(chat).toEqual(['day', 'week']);
      expect(fake.pages(journal)).toHaveLength(2); // two closed trades, synced twice, never duplicated

      // A token Notion refuses: the chat report still goes out, and the sink does not throw.
      const broken = reportSinks(async (r) => void chat.push(r.period), { db: store.db, notion: { token: 'ntn_wrong', journalDatabase: journal, apiUrl: fake.url }, logger: silentLogger });
      await broken({ period: 'month', text: 'x' });
      expect(chat).toEqual(['day', 'week', 'month']);
      // Without Notion configured the chat sender is used as is.
      const plain = async () => undefined;
      expect(reportSinks(plain, { db: store.db, notion: {}, logger: silentLogger })).toBe(plain);
    } finally {
      await store.close();
      await fake.close();
    }
  });
});

describe('ita notion export', () => {
  it('exports the journal of a database file, twice without duplicates', async () => {
    const { execFile } = await import('node:child_process');
    const { mkdtempSync, rmSync } = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const { ROOT } = await import('../helpers/candles.ts');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ita-notion-'));
    const fake = await startNotionFake(TOKEN);
    try {
      const file = path.join(dir, 'ita.sqlite');
      const store = await openSqliteDatabase(file, { extraMigrations: { backtest_migration: backtestMigrations, [EXECUTOR_MIGRATION_TABLE]: executorMigrations } });
      await seed(store);
      await store.close();
      const journal = fake.addDatabase('ITA journal', { Name: 'title' });
      const env = { ...process.env, NOTION_TOKEN: TOKEN, ITA_NOTION_JOURNAL_DB: journal, ITA_NOTION_API_URL: fake.url, ITA_DATA_DIR: dir };
      const run = () => new Promise<string>((resolve, reject) =>
        execFile(process.execPath, [path.join(ROOT, 'bin/ita.js'), 'notion', 'export', '--db', file], { cwd: ROOT, env }, (error, stdout, stderr) => (error ? reject(new Error(stderr)) : resolve(stdout))));
      expect(await run()).toBe('journal: 2 created, 0 updated\n');
      expect(await run()).toBe('journal: 0 created, 2 updated\n');
      expect(fake.pages(journal)).toHaveLength(2);
    } finally {
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
