/**
 * One end-to-end run of the live bench (live.ts): 50 fake markets × 3 timeframes polled through the real gateway
 * from the local exchange fake, the real pipeline (store, detectors, ranking, journal, outbox), the bot's chart
 * service and grammY's sendPhoto to the local Bot API emulator, over a few 15m closes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Candle, MarketKey, Signal, Timeframe } from '../engine/types.ts';
import { openDatabase } from '../engine/store/database.ts';
import { upsertCandles } from '../engine/store/candles.ts';
import type { ChartRenderPool } from '../engine/charts/pool.ts';
import { createChartService } from '../app/chart-service.ts';
import { createGateway } from '../engine/market/gateway.ts';
import { timeframeMs } from '../engine/market/timeframes.ts';
import type { Setup } from '../engine/setups/index.ts';
import { countPending } from '../engine/journal/outbox.ts';
import { readCandlesFromCsv } from '../engine/market/csv/read-candles.ts';
import { LivePipeline } from '../engine/live/pipeline.ts';
import { PollingFeed } from '../engine/live/poll-feed.ts';
import { DeliveryWorker, type DigestOptions } from '../engine/live/delivery.ts';
import { digestMessage } from '../bot/signals/digest.ts';
import { signalRef } from '../bot/signals/refs.ts';
import { paceOutgoing } from '../bot/transport/pacing.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const TIMEFRAMES: Timeframe[] = ['15m', '1h', '4h'];
const FILES: Record<string, string> = { '15m': 'binance_BTCUSDT_15m', '1h': 'binance_BTCUSDT_1h_2024-07', '4h': 'binance_BTCUSDT_4h_2024-07' };
export const MARKETS = 50;
const OWNER = 100001;
/** 2025-03-01 00:00 UTC: a 4h boundary late enough that the most shifted market still has its warm-up. */
export const FIRST_CLOSE = Date.UTC(2025, 2, 1);
/** Market m serves the sample as of m × SHIFT earlier (a multiple of 4h, so candle boundaries stay aligned). */
const SHIFT = 3 * 86_400_000;
const STEP = timeframeMs('15m');
/** The bot's throttle keeps a second between two messages to one chat; a little more lets it go idle for sure. */
const PACE_GAP_MS = 1_100;

export type SampleSeries = Record<Timeframe, Candle[]>;

export function readSamples(): SampleSeries {
  return Object.fromEntries(TIMEFRAMES.map((tf) => [tf, readCandlesFromCsv(path.join(ROOT, 'data/samples', `${FILES[tf]}.csv`), tf)])) as SampleSeries;
}

export const symbolOf = (m: number) => `C${String(m).padStart(2, '0')}/USDT`;

/**
 * How the run reaches Telegram. `free`: the emulator without flood limits and an unpaced Api (the pipeline and
 * charts alone). `cards` and `digest`: Telegram's flood limits in the emulator and the bot's own pacing (one message a
 * second per chat); `digest` is the product (a burst is one digest plus the best card), `cards` a card per signal.
 */
export type Delivery = 'free' | 'cards' | 'digest';

export interface EndToEnd {
  signals: number;
  /** Candle close (the feed's tick) → the first message naming the signal accepted (its card or a digest), per signal. */
  latencies: number[];
  /** Candle close → card (sendPhoto) accepted, per card sent. */
  cardLatencies: number[];
  /** Digest messages sent. */
  digests: number;
  firstOfClose: number[];
  /** Per close: the tick (poll of every market + detection + journal + outbox), until the feed returned. */
  tickMs: number[];
  renderMs: number[];
  sendMs: number[];
  /** Per close: how many timeframes closed, signals delivered, and the last delivery's latency. */
  perClose: { timeframes: number; delivered: number; lastMs: number }[];
  /** Wall time of the run's closes and the CPU this process used meanwhile (all threads: main and render pool). */
  wallMs: number;
  cpuMs: number;
  /** 1-minute load average at the end of the run. */
  load: number;
}

/** Market m's candles around the benchmark window: the sample shifted forward by m × SHIFT. */
export function marketSeries(series: SampleSeries, m: number, warmup: number): SampleSeries {
  const out = {} as SampleSeries;
  for (const tf of TIMEFRAMES) {
    const from = FIRST_CLOSE - (warmup + 2) * timeframeMs(tf) - m * SHIFT;
    const to = FIRST_CLOSE + 2 * 86_400_000 - m * SHIFT;
    out[tf] = series[tf].filter((c) => c.ts >= from && c.ts < to).map((c) => ({ ...c, ts: c.ts + m * SHIFT }));
  }
  return out;
}

/** `pool`: the chart render pool, or false for charts rendered one after another on the main thread (the baseline). */
export async function endToEnd(setups: Setup[], series: SampleSeries, warmup: number, closes: number, pool: ChartRenderPool | false, delivery: Delivery = 'free'): Promise<EndToEnd> {
  const { startExchangeFake } = await import('../../test/helpers/exchange-fake.ts');
  const { klineRow, selectKlines, visibleCandles } = await import('../../test/helpers/exchange-fake/market-data.ts');
  const { createBotApiEmulator } = await import('../bot/emulator/index.ts');
  const { Bot, InputFile } = await import('grammy');
  const dir = mkdtempSync(path.join(tmpdir(), 'ita-live-bench-'));
  const ids = Array.from({ length: MARKETS }, (_, m) => symbolOf(m).replace('/', ''));
  const fake = await startExchangeFake({
    now: FIRST_CLOSE - STEP + 5_000,
    series: Object.fromEntries(ids.map((id) => [id, FILES])),
    markets: ids.map((id) => ({ id, base: id.slice(0, 3), quote: 'USDT', tickSize: '0.01', stepSize: '0.00001', minQty: '0.00001', minNotional: '5' })),
  });
  const own = new Map(ids.map((id, m) => [id, marketSeries(series, m, warmup)]));
  fake.addRoute('GET', '/api/v3/klines', (req) => {
    const interval = req.query.get('interval') as Timeframe;
    const visible = visibleCandles(own.get(req.query.get('symbol')!)![interval], interval, fake.now());
    const query = { startTime: num(req.query.get('startTime')), endTime: num(req.query.get('endTime')), limit: Number(req.query.get('limit') ?? 500) };
    return { status: 200, body: selectKlines(visible, query).map((c) => klineRow(c, interval)) };
  });
  const emulator = createBotApiEmulator({ flood: delivery !== 'free' });
  await emulator.start();
  const store = await openDatabase(path.join(dir, 'bench.sqlite'));
  const gateway = await createGateway({ exchangeId: 'binance', urlsOverride: fake.url, now: () => fake.now(), enableRateLimit: false });
  const bot = new Bot(emulator.token, { botInfo: emulator.botInfo as never, client: { apiRoot: emulator.apiRoot } });
  if (delivery !== 'free') paceOutgoing(bot.api);
  try {
    const markets: MarketKey[] = ids.flatMap((id) => TIMEFRAMES.map((timeframe) => ({ exchange: 'binance', symbol: `${id.slice(0, 3)}/USDT`, timeframe })));
    for (const market of markets) {
      const candles = own.get(market.symbol.replace('/', ''))![market.timeframe];
      const upTo = candles.findIndex((c) => c.ts + timeframeMs(market.timeframe) > FIRST_CLOSE - STEP);
      await upsertCandles(store, market, candles.slice(Math.max(0, upTo - warmup), upTo));
    }
    await gateway.loadMarkets();

    let tickStarted = 0;
    const run: EndToEnd = { signals: 0, latencies: [], cardLatencies: [], digests: 0, firstOfClose: [], tickMs: [], renderMs: [], sendMs: [], perClose: [], wallMs: 0, cpuMs: 0, load: 0 };
    const announced = new Set<string>();
    let lastSendAt = -Infinity;
    // Cards that follow a digest are sent after its items count as delivered: the close is over once they are out.
    const cardsToCome = new Set<string>();
    const announce = (signalId: string, latency: number) => {
      if (announced.has(signalId)) return;
      announced.add(signalId);
      run.latencies.push(latency);
      if (!closeHadDelivery) run.firstOfClose.push(latency);
      closeHadDelivery = true;
    };
    let closeHadDelivery = false;
    // The wait for a close's deliveries looks at the outbox after each delivery (and every 100 ms in case one
    // failed), not every 5 ms: that polling cost the main thread ~5 % of its CPU during the closes it measured.
    let wakeOnDelivery = () => undefined as void;
    const deliveryOrTimeout = () => new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 100);
      wakeOnDelivery = () => { clearTimeout(timer); resolve(); };
    });
    const charts = createChartService(store.db, () => setups, { pool });
    const deliver = async (signal: Signal, chatId: number) => {
      const renderStart = performance.now();
      const png = await charts.signal(signal);
      const sendStart = performance.now();
      run.renderMs.push(sendStart - renderStart);
      const message = await bot.api.sendPhoto(chatId, new InputFile(png, 'signal.png'), { caption: `${signal.setupName} ${signal.symbol} ${signal.side}` });
      run.sendMs.push(performance.now() - sendStart);
      const latency = performance.now() - tickStarted;
      run.cardLatencies.push(latency);
      lastSendAt = performance.now();
      cardsToCome.delete(signal.id);
      announce(signal.id, latency);
      wakeOnDelivery();
      return { messageId: message.message_id };
    };
    const digest: DigestOptions = {
      deliver: async (chatId, page) => {
        const { html, keyboard } = digestMessage(page, page.listed.map((s) => signalRef(s.id)), 'en', 'UTC');
        const message = await bot.api.sendMessage(chatId, html, { parse_mode: 'HTML', reply_markup: keyboard });
        const latency = performance.now() - tickStarted;
        run.digests++;
        lastSendAt = performance.now();
        for (const card of page.cards) cardsToCome.add(card.id);
        for (const signal of page.listed) announce(signal.id, latency);
        wakeOnDelivery();
        return { messageId: message.message_id };
      },
    };
    const worker = new DeliveryWorker({ db: store.db, deliver, now: () => fake.now(), ...(delivery === 'digest' ? { digest } : {}) });
    const pipeline = new LivePipeline({
      db: store.db, sqlite: store.sqlite, setups: () => setups, recipients: [{ userId: OWNER, chatId: OWNER }],
      settings: { minScore: 0, timezone: 'UTC' }, sourceFor: () => gateway, warmupCandles: warmup, now: () => fake.now(), onQueued: () => worker.kick(),
    });
    const feed = new PollingFeed({ pipeline, sourceFor: () => gateway, markets: async () => markets, now: () => fake.now(), concurrency: 16 });
    for (const market of markets) await pipeline.warmUp(market);
    worker.start();

    pipeline.events.on((e) => e.type === 'signal' && e.queued && run.signals++);
    const cpuBefore = process.cpuUsage();
    const wallBefore = performance.now();
    for (let i = 0; i < closes; i++) {
      const close = FIRST_CLOSE + i * STEP;
      fake.setNow(close + 5_000);
      const closing = TIMEFRAMES.filter((tf) => close % timeframeMs(tf) === 0);
      // Real closes are 15 minutes apart, here back to back: at Telegram's pace the chat's queue is first let run dry
      // (the throttle's one-second gap after the last send), as it would be long before the next close.
      if (delivery !== 'free') await new Promise((resolve) => setTimeout(resolve, Math.max(0, lastSendAt + PACE_GAP_MS - performance.now())));
      closeHadDelivery = false;
      tickStarted = performance.now();
      await Promise.all(closing.map((tf) => feed.tick(tf)));
      run.tickMs.push(performance.now() - tickStarted);
      const deliveredBefore = run.latencies.length;
      while ((await countPending(store.db)) > 0 || cardsToCome.size > 0) await deliveryOrTimeout();
      run.perClose.push({ timeframes: closing.length, delivered: run.latencies.length - deliveredBefore, lastMs: run.latencies.at(-1) ?? 0 });
    }
    run.wallMs = performance.now() - wallBefore;
    const cpu = process.cpuUsage(cpuBefore);
    run.cpuMs = (cpu.user + cpu.system) / 1000;
    await worker.stop();
    run.load = loadavg()[0];
    return run;
  } finally {
    await gateway.close();
    await store.close();
    await emulator.stop();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function num(text: string | null): number | undefined {
  return text === null ? undefined : Number(text);
}
