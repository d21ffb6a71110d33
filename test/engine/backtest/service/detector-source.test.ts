/**
 * The backtester is driven by the live detector: trades enter at the next open after the detector's own signals,
 * the setup's management plan reaches the runner, and in backtesting.py mode the sma_cross setup reproduces the
 * reference library's SmaCross trades (entry bars and sizes) from its published fixture.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSampleCandles, REFERENCE, ROOT } from '../../../helpers/candles.ts';
import { loadSetupFile } from '../../../../src/engine/setups/index.ts';
import { detectSignals } from '../../../../src/engine/signals/detect.ts';
import { detectorSource, oppositeSignalMode, setupWarmupBars, withParams } from '../../../../src/engine/backtest/detector-source.ts';
import { DEFAULT_SIMULATION, runSetupBacktest, seriesForSetup } from '../../../../src/engine/backtest/service/run-setup.ts';
import { InputError } from '../../../../src/engine/errors.ts';

const setupFile = (id: string) => path.join(ROOT, 'setups', `${id}.yaml`);

describe('detector source: breakout_4h on BTC/USDT 4h', () => {
  const candles = loadSampleCandles('binance_BTCUSDT_4h');
  const key = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '4h' as const };
  const setup = loadSetupFile(setupFile('breakout_4h'));
  const report = runSetupBacktest({ setup, market: { key, candles, warmup: [] }, settings: { ...DEFAULT_SIMULATION, slippageBps: 0 } });
  const signals = new Map(detectSignals(candles, { market: key, setups: [setup] }).map((s) => [s.id, s]));

  it('enters exactly at the open of the candle after each of the detector signals it trades', () => {
    expect(report.trades.length).toBeGreaterThan(50);
    for (const trade of report.trades) {
      const signal = signals.get(trade.signalId);
      expect(signal, trade.signalId).toBeDefined();
      const signalBar = candles.findIndex((c) => c.ts === signal!.ts);
      expect(trade.entryBar).toBe(signalBar + 1);
      expect(trade.entryTs).toBe(candles[signalBar + 1].ts);
      // No slippage or spread configured: the fill is the raw open of the next candle.
      expect(trade.entryPrice).toBe(candles[signalBar + 1].open);
      expect(trade.side).toBe(signal!.side);
      expect(trade.initialStop).toBe(signal!.stop);
    }
  });

  it('every detector signal is either traded or listed as skipped with its rule', () => {
    const traded = new Set(report.trades.map((t) => t.signalId));
    const skipped = new Set(report.skipped.map((s) => s.signalId));
    for (const id of signals.keys()) expect(traded.has(id) || skipped.has(id), id).toBe(true);
    expect(traded.size + skipped.size).toBe(signals.size);
  });

  it("applies the setup's management: time stop after 30 bars (the default plan has none), opposite signals ignored", () => {
    const timeStops = report.trades.filter((t) => t.exitReason === 'time-stop');
    expect(timeStops.length).toBeGreaterThan(0);
    for (const t of timeStops) expect(t.exitBar - t.entryBar).toBe(30);
    for (const t of report.trades) expect(t.exitBar - t.entryBar).toBeLessThanOrEqual(30);
    expect(report.trades.some((t) => t.exitReason === 'opposite-signal')).toBe(false);
    expect(oppositeSignalMode([setup])).toBe('ignore');
  });

  it('passes break-even, trailing and time stop into the signal context the runner reads', () => {
    const seen: Record<string, unknown>[] = [];
    const source = detectorSource([{ key }], [setup], { onSignal: (s) => seen.push(s.context) });
    for (let i = 0; i < 2000; i++) source.onCandle(0, i, candles[i]);
    expect(seen.length).toBeGreaterThan(0);
    for (const context of seen) expect(context).toMatchObject({ breakEvenAtR: 0.6, trailAtrMultiple: 2, timeStopBars: 30 });
  });
});

describe('detector source in backtesting.py mode: sma_cross on GOOG 1d', () => {
  const candles = loadSampleCandles('nasdaq_GOOG_1d');
  const key = { exchange: 'nasdaq', symbol: 'GOOG', timeframe: '1d' as const };
  const setup = loadSetupFile(setupFile('sma_cross'));
  const [header, ...rows] = readFileSync(path.join(REFERENCE, 'backtesting_py/trades_test_smacross_10_30_nocommission_finalized.csv'), 'utf8').trim().split('\n');
  const cols = header.split(',');
  const expected = rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [cols[i], v])));

  it("reproduces the reference's 66 trades: entry bar, side and size", () => {
    const report = runSetupBacktest({ setup, market: { key, candles, warmup: [] }, settings: { ...DEFAULT_SIMULATION, initialCash: 10_000, fees: { maker: 0, taker: 0 }, compat: 'backtesting.py' } });
    expect(expected).toHaveLength(66);
    expect(report.trades).toHaveLength(66);
    report.trades.forEach((t, i) => {
      const want = expected[i];
      expect(t.entryBar, `trade ${i}`).toBe(Number(want.EntryBar));
      expect(t.exitBar, `trade ${i}`).toBe(Number(want.ExitBar));
      expect((t.side === 'long' ? 1 : -1) * t.size, `trade ${i}`).toBe(Number(want.Size));
      expect(t.entryPrice).toBeCloseTo(Number(want.EntryPrice), 6);
    });
    // backtesting.py's first tradable bar for SMA(30): index 29.
    expect(report.warmupBars).toBe(29);
  });

  it('withParams makes a new version per parameter set and refuses unknown names', () => {
    const faster = withParams(setup, { fast: 5 });
    expect(faster.version).not.toBe(setup.version);
    expect(faster.params.fast.value).toBe(5);
    expect(withParams(setup, { fast: 10 }).version).toBe(setup.version);
    expect(() => withParams(setup, { fsat: 5 })).toThrow(InputError);
    expect(setupWarmupBars(withParams(setup, { slow: 50 }))).toBe(49);
  });
});

describe('seriesForSetup', () => {
  it('resamples a lower-timeframe file to the setup timeframe and keeps earlier candles as warm-up', () => {
    const hourly = loadSampleCandles('binance_BTCUSDT_1h_2024-07');
    const setup = loadSetupFile(setupFile('breakout_4h'));
    const from = Date.UTC(2024, 6, 12);
    const series = seriesForSetup(hourly, '1h', setup, { exchange: 'binance', symbol: 'BTC/USDT' }, { from });
    expect(series.key.timeframe).toBe('4h');
    expect(series.candles[0].ts).toBe(from);
    expect(series.warmup.at(-1)!.ts).toBe(from - 4 * 3_600_000);
    // One 4h candle = the four hourly candles it covers: open of the first, close of the last, extremes of all.
    const first = hourly.findIndex((c) => c.ts === from);
    const four = hourly.slice(first, first + 4);
    expect(series.candles[0]).toEqual({
      ts: from,
      open: four[0].open,
      close: four[3].close,
      high: Math.max(...four.map((c) => c.high)),
      low: Math.min(...four.map((c) => c.low)),
      volume: expect.closeTo(four.reduce((a, c) => a + c.volume, 0), 6),
    });
    expect(() => seriesForSetup(hourly, '1h', setup, { exchange: 'b', symbol: 'X' }, { from: Date.UTC(2030, 0, 1) })).toThrow(/a backtest needs at least 2/);
  });
});

describe('pickTrades (which trades get a chart)', () => {
  it('takes the best and worst by R, then the ones nearest the median', async () => {
    const { pickTrades } = await import('../../../../src/engine/backtest/service/charts.ts');
    const trade = (id: number, r: number) => ({ id, rMultiple: r, returnPct: r / 100 }) as Parameters<typeof pickTrades>[0][number];
    const trades = [trade(1, -1), trade(2, 2.5), trade(3, 0.4), trade(4, -0.2), trade(5, 1.1), trade(6, -1.3), trade(7, 0.1)];
    // Sorted by R: 6 (−1.3), 1 (−1), 4 (−0.2), 7 (0.1), 3 (0.4), 5 (1.1), 2 (2.5); median position = trade 7; its
    // neighbours 4 and 3 are equally near, the lower id wins the tie.
    expect(pickTrades(trades).map((p) => [p.label, p.trade.id])).toEqual([['best', 2], ['worst', 6], ['typical-1', 7], ['typical-2', 3]]);
    expect(pickTrades([trade(9, 1)]).map((p) => p.label)).toEqual(['best']);
    expect(pickTrades([])).toEqual([]);
  });
});
