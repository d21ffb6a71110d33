import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { signalOutcome } from '../../../src/engine/learning/outcome.ts';
import { runBacktest } from '../../../src/engine/backtest/runner.ts';
import { loadSetupFile } from '../../../src/engine/setups/index.ts';
import { detectSignals } from '../../../src/engine/signals/detect.ts';
import type { Candle, Signal } from '../../../src/engine/types.ts';
import { loadSampleCandles, ROOT } from '../../helpers/candles.ts';

const H = 3_600_000;
const bar = (i: number, open: number, high: number, low: number, close: number): Candle => ({ ts: i * H, open, high, low, close, volume: 1 });

function signal(over: Partial<Signal> = {}): Signal {
  return {
    id: 's1', setupId: 'demo', setupVersion: 'v1', setupName: 'demo', exchange: 'x', symbol: 'BTC/USDT', timeframe: '1h',
    side: 'long', ts: 0, entryType: 'market', entry: 100, stop: 98, targets: [{ price: 104, r: 2, closeFraction: 1 }],
    rr: 2, score: 5, rank: 1, reasons: { strengths: [], weaknesses: [] }, context: { atr: 1 }, validUntil: 2 * H, ...over,
  };
}
const costs = { makerFee: 0.001, takerFee: 0.001, slippage: 0 };

describe('signal outcome (triple barrier)', () => {
  it('market entry at the next open, target as a resting limit; net R by hand', () => {
    const candles = [bar(0, 99, 100, 99, 100), bar(1, 100.5, 101, 100, 100.8), bar(2, 101, 104.5, 100.9, 104.2)];
    const o = signalOutcome(signal(), candles, { costs });
    // Entry 100.5 (fee 0.1005). Target 104 (maker fee 0.104). Gross 3.5. One R = |100.5 − 98| + 0.1005 + 98 × 0.001.
    expect(o.status).toBe('closed');
    expect(o.barrier).toBe('target');
    expect(o.entryPrice).toBe(100.5);
    expect(o.exitTs).toBe(2 * H);
    expect(o.netR).toBeCloseTo((3.5 - 0.1005 - 0.104) / (2.5 + 0.1005 + 0.098), 12);
    expect(o.grossR).toBeCloseTo(3.5 / 2.5, 12);
    expect(o.counterfactual).toBe(true);
    expect(signalOutcome(signal(), candles, { costs, taken: true }).counterfactual).toBe(false);
  });

  it('stop and target in the same candle: the stop first, which is exactly −1 net R', () => {
    const candles = [bar(0, 99, 100, 99, 100), bar(1, 100.5, 101, 100, 100.8), bar(2, 101, 104.5, 97, 99)];
    const o = signalOutcome(signal(), candles, { costs });
    expect(o.barrier).toBe('stop');
    expect(o.netR).toBeCloseTo(-1, 12);
    expect(signalOutcome(signal(), candles, { costs, intrabar: 'target-first' }).barrier).toBe('target');
  });

  it('time barrier: after N candles in the trade it exits at the next open', () => {
    const flat = (i: number) => bar(i, 100 + i * 0.01, 100.5 + i * 0.01, 99.5 + i * 0.01, 100 + i * 0.01);
    const candles = Array.from({ length: 10 }, (_, i) => flat(i));
    const o = signalOutcome(signal(), candles, { costs, horizonBars: 3 });
    // Entry on candle 1; held candles 1, 2, 3; exit at candle 4's open (100.04), taker fee.
    expect(o.barrier).toBe('time');
    expect(o.exitTs).toBe(4 * H);
    expect(o.barsHeld).toBe(3);
    expect(o.pnlPerUnit).toBeCloseTo(100.04 - 100.01 - 100.01 * 0.001 - 100.04 * 0.001, 12);
  });

  it('is open until a barrier decides it, and not filled when a limit is never reached or the open is past the stop', () => {
    const candles = [bar(0, 99, 100, 99, 100), bar(1, 100.5, 101, 100, 100.8)];
    expect(signalOutcome(signal(), candles, { costs }).status).toBe('open');
    expect(signalOutcome(signal(), candles.slice(0, 1), { costs }).status).toBe('open');
    const limit = signal({ entryType: 'limit', entry: 99, stop: 97, validUntil: 2 * H });
    const never = [bar(0, 100, 100, 100, 100), bar(1, 100, 101, 99.5, 100), bar(2, 100, 101, 99.5, 100), bar(3, 100, 101, 98, 100)];
    expect(signalOutcome(limit, never, { costs })).toMatchObject({ status: 'not-filled', reason: /expired/ });
    const gap = [bar(0, 100, 100, 100, 100), bar(1, 97.5, 98, 97, 97.5)];
    expect(signalOutcome(signal(), gap, { costs })).toMatchObject({ status: 'not-filled', reason: /beyond the stop/ });
  });

  it('a limit filled inside a candle does not take a target that candle traded before the fill', () => {
    const limit = signal({ entryType: 'limit', entry: 99, stop: 97, targets: [{ price: 101, r: 1, closeFraction: 1 }] });
    const candles = [bar(0, 100, 100, 100, 100), bar(1, 100, 101.5, 98.8, 100), bar(2, 100, 101.2, 99.5, 101)];
    const o = signalOutcome(limit, candles, { costs });
    expect(o.entryTs).toBe(1 * H);
    expect(o.exitTs).toBe(2 * H);
  });

  it('gives the same trades as the backtester on real data (same fills, same exits, same P&L per unit)', () => {
    const candles = loadSampleCandles('binance_BTCUSDT_4h').slice(0, 3000);
    const setup = loadSetupFile(path.join(ROOT, 'setups/breakout_4h.yaml'));
    const market = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: setup.timeframe };
    const signals = detectSignals(candles, { market, setups: [setup] });
    const byTs = new Map<number, Signal[]>();
    for (const s of signals) byTs.set(s.ts, [...(byTs.get(s.ts) ?? []), s]);
    const report = runBacktest({
      markets: [{ key: market, candles }],
      signalSource: { onCandle: (_m, _i, c) => byTs.get(c.ts) ?? [] },
      management: { breakEvenAtR: NaN, trailAtrMultiple: 0, timeStopBars: 30, defaultTargets: [], oppositeSignal: 'ignore' },
      fees: { maker: 0.001, taker: 0.001 },
      slippage: { bps: 5 },
      initialCash: 100_000,
      finalize: 'leave-open',
    });
    expect(report.trades.length).toBeGreaterThan(10);
    const bySignal = new Map(signals.map((s) => [s.id, s]));
    for (const trade of report.trades) {
      const o = signalOutcome(bySignal.get(trade.signalId)!, candles, { costs: { makerFee: 0.001, takerFee: 0.001, slippage: 0.0005 }, horizonBars: 30 });
      expect(o.status).toBe('closed');
      expect(o.entryTs).toBe(trade.entryTs);
      expect(o.entryPrice).toBeCloseTo(trade.entryPrice, 9);
      expect(o.exitTs).toBe(trade.exitTs);
      expect(o.exitReason).toBe(trade.exitReason);
      expect(o.pnlPerUnit).toBeCloseTo(trade.pnl / trade.size, 6);
    }
  });
});
