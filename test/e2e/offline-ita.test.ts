/**
 * The whole product offline, as `npm start` runs it without a token: the bundled sample market replayed through the
 * live pipeline, the real grammY bot on the local Bot API emulator, and the web chat in headless Chromium.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { loadConfig, type Config } from '../../src/config.ts';
import { silentLogger } from '../../src/logger.ts';
import { startIta, type RunningIta } from '../../src/main.ts';
import { ROOT } from '../helpers/candles.ts';
import { makeDocx, makeTextPdf } from '../knowledge/helpers/documents.ts';

const CHROMIUM = '/usr/bin/chromium';
const OWNER = 100001;
const STRANGER = 200002;

let ita: RunningIta;
let config: Config;
let browser: Browser;

beforeAll(async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ita-e2e-'));
  config = loadConfig({
    cwd: ROOT,
    // The replay runs over 2025-07-02 … 07-10 (the end of the sample), so /pnl month covers everything it trades.
    env: { ITA_DATA_DIR: dataDir, ITA_WEBCHAT_PORT: '0', ITA_REPLAY_SPEED: '40', ITA_REPLAY_DAYS: '8', ITA_REPLAY_DECISION_WAIT: '60', ITA_MIN_SCORE: '5', ITA_METRICS_PORT: '0' },
  });
  ita = await startIta(config, silentLogger);
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y --no-install-recommends chromium`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await ita?.stop();
});

const botMessages = (chatId: number) => ita.emulator!.messages(chatId).filter((m) => m.from?.is_bot);

describe('ITA offline', () => {

  it('answers its owner and nobody else', async () => {
    const emulator = ita.emulator!;
    emulator.userSendText(emulator.stranger, '/status');
    emulator.userSendText(emulator.owner, '/status');
    const reply = await emulator.waitFor(() => botMessages(OWNER).find((m) => /paper/.test(m.text ?? '')), 20_000);
    expect(reply.text).toMatch(/BTC\/USDT/);
    // Offline, each feed reports where the bar replay is (the stored sample data runs further ahead).
    expect(reply.text).toMatch(/bar replay at 2025-0[67]-\d\d \d\d:\d\d UTC/);
    expect(botMessages(STRANGER)).toEqual([]);
  });

  it('has the trading commands in the same registry: /pnl and /risk answer', async () => {
    const emulator = ita.emulator!;
    const before = botMessages(OWNER).length;
    emulator.userSendText(emulator.owner, '/risk');
    await emulator.waitFor(() => botMessages(OWNER).length > before, 20_000);
    const commands = emulator.commandsFor(emulator.owner).map((c) => c.command);
    for (const name of ['positions', 'pnl', 'risk', 'mode', 'pause', 'resume', 'report', 'journal', 'watch', 'backtest', 'ask']) expect(commands).toContain(name);
  });

  it('indexes an uploaded PDF and DOCX and answers a question from them with citations', async () => {
    const emulator = ita.emulator!;
    const pdf = await makeTextPdf([
      ['Chapter 1. Order flow basics', 'Liquidity rests above equal highs and below equal lows.'],
      ['Chapter 2. Stops', 'Place the protective stop beyond the swept extreme, never inside the imbalance.', 'Risk at most 0.8 percent of equity per trade.'],
    ]);
    const docx = await makeDocx([
      { heading: 'Kill zones', level: 1, paragraphs: ['The London open kill zone runs from 02:00 to 05:00 New York time.'] },
      { heading: 'Fair value gaps', level: 2, paragraphs: ['A fair value gap retrace in the direction of higher timeframe structure is the main entry model.'] },
    ]);
    const replies = () => botMessages(OWNER).map((m) => m.text ?? m.caption ?? '').join('\n');
    emulator.userUploadDocument('theory.pdf', pdf, 'application/pdf', undefined, emulator.owner);
    await emulator.waitFor(() => /theory\.pdf/.test(replies()) && /2/.test(replies()), 30_000);
    emulator.userUploadDocument('notes.docx', docx, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', undefined, emulator.owner);
    await emulator.waitFor(() => /notes\.docx/.test(replies()), 30_000);

    const before = botMessages(OWNER).length;
    emulator.userSendText(emulator.owner, '/ask Where should I place the protective stop after a sweep?');
    const answer = await emulator.waitFor(() => botMessages(OWNER).slice(before).find((m) => /swept extreme/.test(m.text ?? '')), 30_000);
    // Cited with the document and its page.
    expect(answer.text).toMatch(/theory\.pdf[^\n]*2/);

    const next = botMessages(OWNER).length;
    emulator.userSendText(emulator.owner, '/ask When does the London open kill zone start?');
    const second = await emulator.waitFor(() => botMessages(OWNER).slice(next).find((m) => /02:00/.test(m.text ?? '')), 30_000);
    expect(second.text).toMatch(/notes\.docx/);
  });

  it('pushes a chart signal to the web chat; Approve, tapped twice, records one decision', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(ita.webChatUrl!);
    await page.waitForSelector('body[data-live="1"]');
    await page.fill('#input', '/watch BTC/USDT 15m');
    await page.press('#input', 'Enter');
    const photo = page.locator('.row.bot img').first();
    await photo.waitFor({ timeout: 60_000 });
    await page.waitForFunction("document.querySelector('.row.bot img')?.naturalWidth === 800");
    const approve = page.getByRole('button', { name: /Approve|Принять/ }).first();
    await Promise.all([approve.click(), approve.click().catch(() => undefined)]);
    // The keyboard's label turns into the decision ("✅ Approved · placed"); the button itself reads "Approve".
    await page.getByRole('button', { name: /Approved|Принят(?!ь)/ }).first().waitFor({ timeout: 20_000 });
    // The full verdict follows as its own message (size, risk, orders), in the configured language.
    await page.getByText(/Approved and placed|Approved, but not placed|Принят и выставлен|Принят, но не выставлен/).first().waitFor({ timeout: 20_000 });
    await page.screenshot({ path: path.join(os.tmpdir(), 'ita-e2e-web-chat.png') });
    await page.close();

    const db = new Database(config.dbFile, { readonly: true });
    try {
      const rows = db.prepare('SELECT signal_id, kind, COUNT(*) AS n FROM decisions GROUP BY signal_id').all() as { kind: string; n: number }[];
      expect(rows.length).toBeGreaterThanOrEqual(1);
      expect(rows.every((r) => r.n === 1)).toBe(true);
      expect(rows[0].kind).toBe('approve');
      // Approve handed the signal to the executor: the risk governor's verdict is journaled for it.
      const verdicts = db.prepare('SELECT signal_id, status FROM executor_verdicts').all() as { signal_id: string; status: string }[];
      expect(verdicts.map((v) => v.signal_id)).toContain((rows[0] as unknown as { signal_id: string }).signal_id);
    } finally {
      db.close();
    }
  });

  it('turns approved signals into paper positions that close and show up in /pnl', async () => {
    const emulator = ita.emulator!;
    const decided = new Set<number>();
    // Approve every pushed signal as it arrives (shorts are refused by the spot paper broker; longs open positions)
    // until the executor reports a closed trade.
    const closed = await emulator.waitFor(() => {
      for (const m of botMessages(OWNER)) {
        const approve = m.reply_markup?.inline_keyboard?.flat().find((b) => 'callback_data' in b && /Approve|Принять/.test(b.text));
        if (m.photo && approve && !decided.has(m.message_id)) {
          decided.add(m.message_id);
          emulator.userPressButton(m.message_id, (approve as { callback_data: string }).callback_data);
        }
      }
      return botMessages(OWNER).find((m) => /Trade closed|Сделка закрыта/.test(m.text ?? ''));
    }, 120_000);
    expect(closed.text).toMatch(/BTC\/USDT/);
    const before = botMessages(OWNER).length;
    emulator.userSendText(emulator.owner, '/pnl month');
    const pnl = await emulator.waitFor(() => botMessages(OWNER).slice(before).find((m) => /Realized|Зафиксировано/.test(m.text ?? '')), 20_000);
    // At least one closed trade is counted in the month's realized result.
    expect(pnl.text, pnl.text).toMatch(/(trades|сделок) [1-9]/);
    // The journal's learning saw it: that signal's outcome is the executor's own trade (taken, its net R), and every
    // other journaled signal gets an outcome too (counterfactual) as the replay's candles close.
    const db = new Database(config.dbFile, { readonly: true });
    try {
      const takenOutcome = () => db.prepare(`SELECT o.net_r AS outcome, p.r_multiple AS executor FROM learning_outcomes o JOIN executor_positions p ON p.signal_id = o.signal_id
        WHERE o.taken = 1 AND o.status = 'closed' AND p.status = 'closed'`).all() as { outcome: number; executor: number }[];
      const taken = await emulator.waitFor(() => (takenOutcome().length > 0 ? takenOutcome() : undefined), 30_000, 'a taken outcome');
      for (const row of taken) expect(row.outcome).toBe(row.executor);
      const counterfactual = db.prepare(`SELECT COUNT(*) AS n FROM learning_outcomes WHERE taken = 0`).get() as { n: number };
      expect(counterfactual.n).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  }, 150_000);

  it('serves Prometheus metrics of the running replay: candles, signals, decisions, delivery latency, governor state', async () => {
    const text = await (await fetch(ita.metricsUrl!)).text();
    const value = (pattern: RegExp) => {
      const line = text.split('\n').find((l) => pattern.test(l));
      return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
    };
    /** Every series of a counter, by its label set, e.g. {'rule="paused"': 1}. */
    const series = (name: string) => Object.fromEntries(text.split('\n').filter((l) => l.startsWith(`${name}{`))
      .map((l) => [l.slice(name.length + 1, l.indexOf('}')), Number(l.slice(l.lastIndexOf(' ') + 1))]));
    // What the journal says happened, read from the database, against what the counters say.
    const db = new Database(config.dbFile, { readonly: true });
    try {
      const count = (query: string) => (db.prepare(query).get() as { n: number }).n;
      expect(value(/^ita_decisions_total\{decision="approve"\}/)).toBe(count(`SELECT COUNT(*) AS n FROM decisions WHERE kind = 'approve'`));
      expect(value(/^ita_orders_total\{account="paper",kind="entry",status="placed"\}/)).toBe(count(`SELECT COUNT(*) AS n FROM executor_verdicts WHERE status = 'accepted'`));
      const refused = db.prepare(`SELECT rule, COUNT(*) AS n FROM executor_verdicts WHERE status != 'accepted' GROUP BY rule`).all() as { rule: string; n: number }[];
      expect(series('ita_governor_refusals_total')).toEqual(Object.fromEntries(refused.map((r) => [`rule="${r.rule}"`, r.n])));
      // Each closed trade counts once as a win, a loss or a scratch of its setup.
      const closedTrades = count(`SELECT COUNT(*) AS n FROM executor_positions WHERE status = 'closed'`);
      expect(closedTrades).toBeGreaterThan(0);
      const outcomes = Object.entries(series('ita_signals_total')).filter(([labels]) => /outcome="(win|loss|scratch)"/.test(labels));
      expect(outcomes.reduce((sum, [, n]) => sum + n, 0)).toBe(closedTrades);
      // Pushed signals are journaled ones.
      const pushed = Object.entries(series('ita_signals_total')).filter(([labels]) => labels.includes('outcome="pushed"')).reduce((sum, [, n]) => sum + n, 0);
      expect(pushed).toBeGreaterThan(0);
      expect(pushed).toBeLessThanOrEqual(count(`SELECT COUNT(*) AS n FROM signals`));
    } finally {
      db.close();
    }
    // Candle close → delivered: every delivery under the trader's 30 s limit, on average well under it.
    const deliveredSum = value(/^ita_signal_delivery_seconds_sum /)!;
    const deliveredCount = value(/^ita_signal_delivery_seconds_count /)!;
    expect(deliveredSum / deliveredCount).toBeGreaterThan(0);
    expect(deliveredSum / deliveredCount).toBeLessThan(30);
    expect(value(/^ita_signal_delivery_seconds_bucket\{le="30"\}/)).toBe(deliveredCount);
    // Feed lag per market: a replayed candle arrives at its close (the replay's clock), never from the future.
    const lags = Object.values(series('ita_feed_lag_seconds'));
    expect(lags.length).toBeGreaterThan(0);
    for (const lag of lags) expect(lag).toBeGreaterThanOrEqual(0);
    for (const lag of lags) expect(lag).toBeLessThan(4 * 3600);
    // Open risk: a fraction of equity, within what the governor allows at all.
    const openRisk = value(/^ita_open_risk_ratio /)!;
    expect(openRisk).toBeGreaterThanOrEqual(0);
    expect(openRisk).toBeLessThan(0.1);
    // No LLM is configured offline: nothing spent. No job queue yet: nothing running in-process after the tests.
    expect(value(/^ita_llm_spend_usd_today /)).toBe(0);
    expect(value(/^ita_queue_depth\{queue="jobs"\}/)).toBe(0);
    expect(text).toMatch(/^# TYPE ita_health_gate_open gauge$/m);
    // The bar replay is running: feeds report and are healthy; the earlier tests pushed, delivered and approved signals.
    expect(value(/^ita_feed_healthy\{market="binance:BTC\/USDT:/)).toBe(1);
    expect(value(/^ita_signals_total\{setup="[^"]+",outcome="pushed"\}/)).toBeGreaterThan(0);
    expect(value(/^ita_decisions_total\{decision="approve"\}/)).toBeGreaterThan(0);
    const delivered = value(/^ita_signal_delivery_seconds_count /);
    expect(delivered).toBeGreaterThan(0);
    expect(value(/^ita_daily_loss_lock /)).toBe(0);
    expect(value(/^ita_kill_switch_tripped /)).toBe(0);
    const equity = value(/^ita_equity_quote\{account="paper"\}/);
    expect(equity).toBeGreaterThan(9_000);
    expect(equity).toBeLessThan(11_000);
    expect(value(/^ita_queue_depth\{queue="outbox"\}/)).toBeGreaterThanOrEqual(0);
    // The live detector's regime classifier feeds the regime gauge (1 for the market's current label).
    expect(value(/^ita_regime\{market="binance:BTC\/USDT:[^"]+",regime="[a-z_]+"\}/)).toBe(1);
  });
});
