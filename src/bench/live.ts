/**
 * Bench "live pipeline latency": candle close → sendPhoto accepted, through the real gateway, pipeline, chart service
 * and grammY against local fakes (live-run.ts). The feed's tick at a close starts the clock; the few seconds the
 * cron deliberately waits after the close (exchange publish delay) are not included.
 *
 * The samples hold one year-long market (BTC/USDT), so each fake market serves it shifted back in time: fifty price
 * histories, signals spread as in real life. Every signal is pushed (min score 0). On top of the shipped setups a
 * bench-only setup fires on BURST of the fifty 15m markets at every other close, which is the burst of issue 11 (many
 * markets signalling at one close: the charts of all of them wanted at once).
 *
 * Four configurations, interleaved round by round so load swings hit all alike: charts on the worker-thread pool
 * (the product) and charts one after another on the main thread (the path before the pool, the same-run baseline),
 * each idle and with a CPU-bound child process beside the bench (on this 2-core machine: the other core busy).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Candle } from '../engine/types.ts';
import { ChartRenderPool } from '../engine/charts/pool.ts';
import { renderSignalChart } from '../engine/charts/signal-chart.ts';
import { timeframeMs } from '../engine/market/timeframes.ts';
import { loadSetupsDir, parseSetup, type Setup } from '../engine/setups/index.ts';
import { MarketDetector } from '../engine/signals/detector.ts';
import { maxOf } from '../engine/backtest/metrics.ts';
import { median, percentile, type BenchLine, type BenchSection } from './timing.ts';
import { compared, spread } from './compare.ts';
import { endToEnd, FIRST_CLOSE, MARKETS, marketSeries, readSamples, symbolOf, TIMEFRAMES, type EndToEnd, type SampleSeries } from './live-run.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Markets of the burst setup: its signals arrive together, on top of whatever the shipped setups find. */
export const BURST = 10;

/** Always true on its markets; `validity: 1` lets it fire again two candles later, so every other close. */
export function burstSetup(): Setup {
  const markets = Array.from({ length: BURST }, (_, m) => `'${symbolOf(m * 5)}'`).join(', ');
  const yaml = [
    'id: bench_burst',
    'name: Bench burst',
    'description: bench only; fires on every other close of its markets',
    'rationale: a burst of signals at one close',
    `markets: [${markets}]`,
    'timeframe: 15m',
    'indicators: { atr: atr:14 }',
    'rules:',
    '  long: { gt: [close, 0] }',
    'stop: { type: atr, mult: 2 }',
    'targets:',
    '  - { r: 2, close: 1 }',
    'validity: { bars: 1 }',
  ].join('\n');
  return parseSetup(yaml, 'bench_burst.yaml');
}

/** One busy-looping child process: on this 2-core machine, "the other core busy". */
function startCpuLoad(): { stop(): void } {
  const child = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
  return { stop: () => void child.kill('SIGKILL') };
}

const round1 = (ms: number) => Math.round(ms * 10) / 10;

/** Pure detector time: 150 warmed detectors fed the candle that closed at one 4h boundary, no I/O. */
function scanTime(setups: Setup[], series: SampleSeries, warmup: number, boundaries: number): BenchLine {
  const detectors: { detector: MarketDetector; candles: Candle[]; next: number; tfMs: number }[] = [];
  for (let m = 0; m < MARKETS; m++) {
    const own = marketSeries(series, m, warmup);
    for (const tf of TIMEFRAMES) {
      const candles = own[tf];
      const first = candles.findIndex((c) => c.ts + timeframeMs(tf) > FIRST_CLOSE - 1);
      const detector = new MarketDetector({ market: { exchange: 'binance', symbol: symbolOf(m), timeframe: tf }, setups });
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
  return { name: `live: scan of ${detectors.length} detectors on one candle close (median of ${boundaries} closes)`, value: round1(median(times)), unit: 'ms', target: '< 50 ms' };
}

type Variant = 'pool' | 'main';
type Condition = 'idle' | 'busy';
type Runs = Record<Condition, Record<Variant, EndToEnd[]>>;

const all = (runs: EndToEnd[], pick: (r: EndToEnd) => number[]) => runs.flatMap(pick);

/** Where the time of the pool runs went: the tick (poll + detect + journal), the chart wait, the sends. */
function breakdown(runs: EndToEnd[], label: string): BenchLine[] {
  const latencies = all(runs, (r) => r.latencies);
  if (latencies.length === 0) return [];
  const cpuShare = runs.reduce((s, r) => s + r.cpuMs, 0) / runs.reduce((s, r) => s + r.wallMs, 0);
  return [
    { name: `live (${label}): close → sendPhoto accepted, first signal of a close, p50`, value: round1(percentile(all(runs, (r) => r.firstOfClose), 50)), unit: 'ms', target: '< 1500 ms' },
    { name: `live (${label}): close → sendPhoto accepted, every signal, p50`, value: round1(percentile(latencies, 50)), unit: 'ms' },
    { name: `live (${label}): close → sendPhoto accepted, every signal, max`, value: round1(maxOf(runs.map((r) => percentile(r.latencies, 100)))), unit: 'ms' },
    { name: `live (${label}): tick of a close (poll ${MARKETS * TIMEFRAMES.length} markets, detect, journal, queue), median`, value: round1(percentile(all(runs, (r) => r.tickMs), 50)), unit: 'ms' },
    // Delivery is sequential (order is a promise to the trader); the pool renders the next charts meanwhile.
    { name: `live (${label}): per delivery, waiting for the chart (median)`, value: round1(percentile(all(runs, (r) => r.renderMs), 50)), unit: 'ms' },
    { name: `live (${label}): per delivery, sendPhoto to the emulator (median)`, value: round1(percentile(all(runs, (r) => r.sendMs), 50)), unit: 'ms', note: `this process used ${cpuShare.toFixed(2)} cores during the closes` },
  ];
}

export async function benchLatency(quick: boolean, log: (m: string) => void): Promise<BenchLine[]> {
  const shipped = loadSetupsDir(path.join(ROOT, 'setups')).setups.filter((s) => TIMEFRAMES.includes(s.timeframe));
  const setups = [...shipped, burstSetup()];
  const series = readSamples();
  const warmup = quick ? 250 : 400;
  const closes = quick ? 4 : 8;
  const rounds = quick ? 1 : 3;
  const lines: BenchLine[] = [scanTime(shipped, series, warmup, quick ? 4 : 12)];
  const pool = new ChartRenderPool();
  const runs: Runs = { idle: { pool: [], main: [] }, busy: { pool: [], main: [] } };
  const paced: Record<Condition, EndToEnd[]> = { idle: [], busy: [] };
  const cardByCard: EndToEnd[] = [];
  try {
    // Thread start-up and the first Chart.js load are paid once per process, not per signal: warm both paths.
    const warm = { title: { symbol: 'WARM/USDT', timeframe: '1h', setup: 'warm-up' }, candles: series['1h'].slice(0, 150) };
    await Promise.all([...Array.from({ length: pool.size }, () => pool.renderSignalChart(warm)), renderSignalChart(warm)]);
    for (let r = 0; r < rounds; r++) {
      for (const condition of ['idle', 'busy'] as const) {
        const load = condition === 'busy' ? startCpuLoad() : undefined;
        try {
          // Alternate which variant goes first, so neither always runs right after the load started.
          for (const variant of (r % 2 ? ['main', 'pool'] : ['pool', 'main']) as Variant[]) {
            log(`round ${r + 1}/${rounds}, ${condition}, charts ${variant === 'pool' ? 'on the pool' : 'on the main thread'}`);
            runs[condition][variant].push(await endToEnd(setups, series, warmup, closes, variant === 'pool' ? pool : false));
          }
        } finally {
          load?.stop();
        }
      }
    }
    // Telegram's pace: the emulator's flood limits and the bot's throttle (one message a second per chat).
    for (let r = 0; r < rounds; r++) {
      for (const condition of ['idle', 'busy'] as const) {
        const load = condition === 'busy' ? startCpuLoad() : undefined;
        try {
          log(`round ${r + 1}/${rounds}, ${condition}, Telegram's pace, bursts as a digest`);
          paced[condition].push(await endToEnd(setups, series, warmup, closes, pool, 'digest'));
        } finally {
          load?.stop();
        }
      }
    }
    // The baseline of one card per signal at that pace takes about a second per signal: one run is enough.
    log("Telegram's pace, one card per signal (baseline)");
    cardByCard.push(await endToEnd(setups, series, warmup, closes, pool, 'cards'));
  } finally {
    await pool.close();
  }
  const idle = runs.idle.pool;
  lines.push({
    name: `live: signals pushed per run over ${closes} 15m closes (${MARKETS * TIMEFRAMES.length} markets watched)`,
    value: median(idle.map((r) => r.signals)),
    unit: 'signals',
    note: `${BURST} from the burst setup at every other close, the rest from the shipped setups; ${rounds} runs per configuration`,
  });
  lines.push(...breakdown(idle, 'pool, no load added'), ...breakdown(runs.busy.pool, 'pool, other core busy'));
  const p95s = (list: EndToEnd[]) => list.map((r) => percentile(r.latencies, 95));
  const compare = (condition: Condition, label: string) =>
    compared(`live: close → sendPhoto accepted, every signal, p95, ${label}`, p95s(runs[condition].pool), p95s(runs[condition].main), 'charts one after another on the main thread', {
      target: '< 1000 ms',
      extra: `no Telegram pace (the emulator without flood limits, sends unpaced: pipeline and charts alone); p95 of each run; cpu per run ${spread(runs[condition].pool.map((r) => r.cpuMs))} vs ${spread(runs[condition].main.map((r) => r.cpuMs))} ms; load avg at the runs' ends ${spread(runs[condition].pool.map((r) => r.load))}`,
    });
  lines.push(
    compare('idle', `render pool (${pool.size} threads), no load added`),
    compare('busy', `render pool (${pool.size} threads), other core busy (a CPU-bound process beside the bench)`),
  );
  lines.push(...pacedLines(paced, cardByCard));
  return lines;
}

/**
 * What the trader sees at Telegram's pace: when each signal is first named in the chat (its card, or the burst digest
 * listing it), against one card per signal, which at one message a second leaves a burst's last card seconds late.
 */
function pacedLines(paced: Record<Condition, EndToEnd[]>, cardByCard: EndToEnd[]): BenchLine[] {
  const p95s = (list: EndToEnd[]) => list.map((r) => percentile(r.latencies, 95));
  const pace = "Telegram's flood limits in the emulator, the bot's 1 message/s per chat";
  const baseline = cardByCard.map((r) => percentile(r.latencies, 95));
  const cards = (list: EndToEnd[]) => all(list, (r) => r.cardLatencies);
  const line = (condition: Condition, label: string) =>
    compared(`live at Telegram's pace: close → signal in the chat (digest or card), every signal, p95, ${label}`, p95s(paced[condition]), baseline, 'one card per signal, idle', {
      target: '< 1000 ms',
      extra: `${pace}; bursts of 4+ signals for one chat are one digest, then the best signal's card; digests per run ${spread(paced[condition].map((r) => r.digests))}; max ${round1(maxOf(paced[condition].map((r) => percentile(r.latencies, 100))))} vs ${round1(maxOf(cardByCard.map((r) => percentile(r.latencies, 100))))} ms`,
    });
  return [
    line('idle', 'no load added'),
    line('busy', 'other core busy'),
    {
      name: "live at Telegram's pace: close → card (sendPhoto) accepted, every card sent, p95, no load added",
      value: round1(percentile(cards(paced.idle), 95)),
      unit: 'ms',
      note: `${cards(paced.idle).length} cards over ${paced.idle.length} runs (a digest's best signal waits a second behind it); one card per signal: p95 ${round1(percentile(cards(cardByCard), 95))} ms`,
    },
  ];
}

export const sections: BenchSection[] = [
  {
    title: 'live pipeline latency',
    run: ({ quick, log }) => benchLatency(quick, log),
  },
];
