/**
 * Bench "live pipeline": 50 markets × 3 timeframes watched through the real gateway against the local exchange
 * fake, the real pipeline (store, detectors, ranking, journal, outbox), real chart rendering and grammY's
 * sendPhoto to the local Bot API emulator. Latency = the feed's tick at a candle close → sendPhoto accepted; the
 * few seconds the cron deliberately waits after the close (exchange publish delay) are not included.
 *
 * The samples hold one year-long market (BTC/USDT), so each fake market serves it shifted back in time by a few
 * days more than the previous one: fifty different price histories, signals spread as in real life instead of
 * fifty identical signals at once. Every signal is pushed (min score 0) so that there is something to time.
 *
 * Charts come from the bot's real chart service (rendered ahead on the worker-thread pool). The same run is repeated
 * with charts rendered one after another on the main thread (the path before the pool) as the baseline, and both
 * again with a CPU-bound child process beside the bench (the other core busy), as on a shared machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Candle, MarketKey, Signal, Timeframe } from '../types.ts';
import { openDatabase } from '../store/database.ts';
import { upsertCandles } from '../store/candles.ts';
import { ChartRenderPool } from '../charts/pool.ts';
import { renderSignalChart } from '../charts/signal-chart.ts';
import { createChartService } from '../../app/chart-service.ts';
import { createGateway } from '../market/gateway.ts';
import { timeframeMs } from '../market/timeframes.ts';
import { loadSetupsDir, type Setup } from '../setups/index.ts';
import { MarketDetector } from '../signals/detector.ts';
import { countPending } from '../journal/outbox.ts';
import { readCandlesFromCsv } from '../market/csv/read-candles.ts';
import { LivePipeline } from './pipeline.ts';
import { PollingFeed } from './poll-feed.ts';
import { DeliveryWorker } from './delivery.ts';

export interface LatencyLine {
  name: string;
  value: number;
  unit: string;
  target?: string;
  note?: string;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const TIMEFRAMES: Timeframe[] = ['15m', '1h', '4h'];
const FILES: Record<string, string> = { '15m': 'binance_BTCUSDT_15m', '1h': 'binance_BTCUSDT_1h_2024-07', '4h': 'binance_BTCUSDT_4h_2024-07' };
const MARKETS = 50;
const OWNER = 100001;
/** 2025-03-01 00:00 UTC: a 4h boundary late enough that the most shifted market still has its warm-up. */
const FIRST_CLOSE = Date.UTC(2025, 2, 1);
/** Market m serves the sample as of m × SHIFT earlier (a multiple of 4h, so candle boundaries stay aligned). */
const SHIFT = 3 * 86_400_000;
const STEP = timeframeMs('15m');

export async function benchLatency(quick: boolean): Promise<LatencyLine[]> {
  const setups = loadSetupsDir(path.join(ROOT, 'setups')).setups.filter((s) => TIMEFRAMES.includes(s.timeframe));
  const series = Object.fromEntries(TIMEFRAMES.map((tf) => [tf, readCandlesFromCsv(path.join(ROOT, 'data/samples', `${FILES[tf]}.csv`), tf)])) as Record<Timeframe, Candle[]>;
  const warmup = quick ? 250 : 400;
  const closes = quick ? 4 : 8;
  const lines = [...(await scanTime(setups, series, warmup, quick ? 4 : 12))];
  const pool = new ChartRenderPool();
  try {
    // Thread start-up and the first Chart.js load are paid once per process, not per signal: warm both paths.
    const warm = { title: { symbol: 'WARM/USDT', timeframe: '1h', setup: 'warm-up' }, candles: series['1h'].slice(0, 150) };
    await Promise.all([...Array.from({ length: pool.size }, () => pool.renderSignalChart(warm)), renderSignalChart(warm)]);
    const idle = await endToEnd(setups, series, warmup, closes, pool);
    const idleBaseline = await endToEnd(setups, series, warmup, closes, false);
    const load = startCpuLoad();
    let loaded: EndToEnd;
    let loadedBaseline: EndToEnd;
    try {
      loaded = await endToEnd(setups, series, warmup, closes, pool);
      loadedBaseline = await endToEnd(setups, series, warmup, closes, false);
    } finally {
      load.stop();
    }
    lines.push(...describeRun(idle, closes));
    const compare = (label: string, run: EndToEnd, baseline: EndToEnd, target?: string): LatencyLine => ({
      name: `live: close → sendPhoto accepted, every signal, p95, ${label}`,
      value: round(run.p95),
      unit: 'ms',
      target,
      note: `baseline (charts one after another on the main thread) ${round(baseline.p95)} ms; ratio ${(run.p95 / baseline.p95).toFixed(2)}×; ` +
        `${run.signals} signals; load avg ${run.load.toFixed(1)} / ${baseline.load.toFixed(1)}`,
    });
    lines.push(
      compare(`render pool, idle (${pool.size} threads)`, idle, idleBaseline, '< 1000 ms'),
      compare('render pool, other core busy (a CPU-bound process beside the bench)', loaded, loadedBaseline, '< 1000 ms'),
    );
    return lines;
  } finally {
    await pool.close();
  }
}

interface EndToEnd {
  signals: number;
  latencies: number[];
  firstOfClose: number[];
  renderMs: number[];
  sendMs: number[];
  p95: number;
  /** 1-minute load average at the end of the run. */
  load: number;
}

function describeRun(run: EndToEnd, closes: number): LatencyLine[] {
  const out: LatencyLine[] = [{ name: `live: signals pushed over ${closes} 15m closes (${MARKETS * TIMEFRAMES.length} markets watched)`, value: run.signals, unit: 'signals' }];
  if (run.latencies.length === 0) return out;
  out.push(
    { name: 'live: close → sendPhoto accepted, first signal of a close, p50', value: round(percentile(run.firstOfClose, 50)), unit: 'ms', target: '< 1500 ms' },
    { name: 'live: close → sendPhoto accepted, every signal, p50', value: round(percentile(run.latencies, 50)), unit: 'ms' },
    { name: 'live: close → sendPhoto accepted, every signal, p95', value: round(run.p95), unit: 'ms', target: '< 1500 ms', note: `load avg ${run.load.toFixed(1)}` },
    { name: 'live: close → sendPhoto accepted, every signal, max', value: round(maxOf(run.latencies)), unit: 'ms' },
    // Delivery is sequential (order is a promise to the trader); the pool renders the next charts meanwhile.
    { name: 'live: per delivery, waiting for the chart (median; rendered ahead in the pool)', value: round(median(run.renderMs)), unit: 'ms' },
    { name: 'live: per delivery, sendPhoto to the emulator (median)', value: round(median(run.sendMs)), unit: 'ms' },
  );
  return out;
}

/** One busy-looping child process: on this 2-core machine, "the other core busy". */
function startCpuLoad(): { stop(): void } {
  const child = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
  return { stop: () => void child.kill('SIGKILL') };
}

function maxOf(values: number[]): number {
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  return max;
}

/** Market m's candles around the benchmark window: the sample shifted forward by m × SHIFT. */
function marketSeries(series: Record<Timeframe, Candle[]>, m: number, warmup: number): Record<Timeframe, Candle[]> {
  const out = {} as Record<Timeframe, Candle[]>;
  for (const tf of TIMEFRAMES) {
    const from = FIRST_CLOSE - (warmup + 2) * timeframeMs(tf) - m * SHIFT;
    const to = FIRST_CLOSE + 2 * 86_400_000 - m * SHIFT;
    out[tf] = series[tf].filter((c) => c.ts >= from && c.ts < to).map((c) => ({ ...c, ts: c.ts + m * SHIFT }));
  }
  return out;
}

/** Pure detector time: 150 warmed detectors fed the candle that closed at one 4h boundary, no I/O. */
async function scanTime(setups: Setup[], series: Record<Timeframe, Candle[]>, warmup: number, boundaries: number): Promise<LatencyLine[]> {
  const detectors: { detector: MarketDetector; candles: Candle[]; next: number; tfMs: number }[] = [];
  for (let m = 0; m < MARKETS; m++) {
    const own = marketSeries(series, m, warmup);
    for (const tf of TIMEFRAMES) {
      const candles = own[tf];
      const first = candles.findIndex((c) => c.ts + timeframeMs(tf) > FIRST_CLOSE - 1);
      const detector = new MarketDetector({ market: { exchange: 'binance', symbol: `C${m}/USDT`, timeframe: tf }, setups });
      for (const c of candles.slice(first - warmup, first - 1)) detector.update(c);
      detectors.push({ detector, candles, next: first - 1, tfMs: timeframeMs(tf) });
    }
  }
  const times: number[] = [];
  for (let b = 0; b < boundaries; b++) {
    const close = FIRST_CLOSE + b * timeframeMs('4h');
    // Bring every detector up to the candle before this boundary's close, untimed.
    for (const d of detectors) while (d.candles[d.next].ts + d.tfMs < close) d.detector.update(d.candles[d.next++]);
    const start = performance.now();
    for (const d of detectors) d.detector.update(d.candles[d.next++]);
    times.push(performance.now() - start);
  }
  return [{ name: `live: scan of ${detectors.length} detectors on one candle close (median of ${boundaries} closes)`, value: round(median(times)), unit: 'ms', target: '< 50 ms' }];
}

async function endToEnd(setups: Setup[], series: Record<Timeframe, Candle[]>, warmup: number, closes: number, pool: ChartRenderPool | false): Promise<EndToEnd> {
  const { startExchangeFake } = await import('../../../test/helpers/exchange-fake.ts');
  const { klineRow, selectKlines, visibleCandles } = await import('../../../test/helpers/exchange-fake/market-data.ts');
  const { createBotApiEmulator } = await import('../../bot/emulator/index.ts');
  const { Bot, InputFile } = await import('grammy');
  const dir = mkdtempSync(path.join(tmpdir(), 'ita-live-bench-'));
  const ids = Array.from({ length: MARKETS }, (_, m) => `C${String(m).padStart(2, '0')}USDT`);
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
  const emulator = createBotApiEmulator();
  await emulator.start();
  const store = await openDatabase(path.join(dir, 'bench.sqlite'));
  const gateway = await createGateway({ exchangeId: 'binance', urlsOverride: fake.url, now: () => fake.now(), enableRateLimit: false });
  const bot = new Bot(emulator.token, { botInfo: emulator.botInfo as never, client: { apiRoot: emulator.apiRoot } });
  try {
    const markets: MarketKey[] = ids.flatMap((id) => TIMEFRAMES.map((timeframe) => ({ exchange: 'binance', symbol: `${id.slice(0, 3)}/USDT`, timeframe })));
    for (const market of markets) {
      const candles = own.get(market.symbol.replace('/', ''))![market.timeframe];
      const upTo = candles.findIndex((c) => c.ts + timeframeMs(market.timeframe) > FIRST_CLOSE - STEP);
      await upsertCandles(store, market, candles.slice(Math.max(0, upTo - warmup), upTo));
    }
    await gateway.loadMarkets();

    let tickStarted = 0;
    const latencies: number[] = [];
    const firstOfClose: number[] = [];
    const renderMs: number[] = [];
    const sendMs: number[] = [];
    let closeHadDelivery = false;
    const charts = createChartService(store.db, () => setups, { pool });
    const deliver = async (signal: Signal, chatId: number) => {
      const renderStart = performance.now();
      const png = await charts.signal(signal);
      const sendStart = performance.now();
      renderMs.push(sendStart - renderStart);
      const message = await bot.api.sendPhoto(chatId, new InputFile(png, 'signal.png'), { caption: `${signal.setupName} ${signal.symbol} ${signal.side}` });
      sendMs.push(performance.now() - sendStart);
      const latency = performance.now() - tickStarted;
      latencies.push(latency);
      if (!closeHadDelivery) firstOfClose.push(latency);
      closeHadDelivery = true;
      return { messageId: message.message_id };
    };
    const worker = new DeliveryWorker({ db: store.db, deliver, now: () => fake.now() });
    const pipeline = new LivePipeline({
      db: store.db, sqlite: store.sqlite, setups: () => setups, recipients: [{ userId: OWNER, chatId: OWNER }],
      settings: { minScore: 0, timezone: 'UTC' }, sourceFor: () => gateway, warmupCandles: warmup, now: () => fake.now(), onQueued: () => worker.kick(),
    });
    const feed = new PollingFeed({ pipeline, sourceFor: () => gateway, markets: async () => markets, now: () => fake.now(), concurrency: 16 });
    for (const market of markets) await pipeline.warmUp(market);
    worker.start();

    let signals = 0;
    pipeline.events.on((e) => e.type === 'signal' && e.queued && signals++);
    for (let i = 0; i < closes; i++) {
      const close = FIRST_CLOSE + i * STEP;
      fake.setNow(close + 5_000);
      const closing = TIMEFRAMES.filter((tf) => close % timeframeMs(tf) === 0);
      closeHadDelivery = false;
      tickStarted = performance.now();
      await Promise.all(closing.map((tf) => feed.tick(tf)));
      while ((await countPending(store.db)) > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await worker.stop();
    return { signals, latencies, firstOfClose, renderMs, sendMs, p95: percentile(latencies, 95), load: loadavg()[0] };
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

function median(values: number[]): number {
  return percentile(values, 50);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
