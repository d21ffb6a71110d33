/**
 * The session's rules on hand-computed candles: limit expiry at validUntil exactly, lots never rounded up past the
 * free margin, a stopped trade losing 1R NET, the account's side rule, the governor's refusals as reported values.
 */
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../src/engine/backtest/runner.ts';
import { sizeUnits } from '../../../src/engine/backtest/sizing.ts';
import { loadGovernance } from '../../../src/engine/risk/index.ts';
import { bars, HOUR, KEY, PLAIN, scripted, signal } from '../backtest/helpers.ts';

const base = { initialCash: 10_000, sizing: { kind: 'risk' as const, riskFraction: 0.01 }, management: PLAIN };

describe('limit entries', () => {
  // Signal on bar 0 (opens 0), valid for 1 bar: validUntil = 0 + 1h × (1 + 1) = 2h, the OPEN of bar 2.
  const limit = signal({ side: 'long', entryType: 'limit', entry: 95, stop: 90, validUntil: 2 * HOUR, targets: [{ price: 120, r: 5, closeFraction: 1 }] });
  it('rest from the next candle until validUntil exactly: a candle opening at validUntil does not fill them', () => {
    // Bar 1 stays above 95; bar 2 (opening at validUntil) trades through 95.
    const candles = bars([[100, 101, 99, 100], [100, 101, 96, 100], [100, 101, 94, 95], [95, 96, 94, 95]]);
    const r = runBacktest({ ...base, markets: [{ key: KEY, candles }], signalSource: scripted({ 0: [limit] }) });
    expect(r.trades).toEqual([]);
    expect(r.skipped.map((s) => s.rule)).toEqual(['expired before fill']);
  });
  it('fill inside their last valid candle', () => {
    const candles = bars([[100, 101, 99, 100], [100, 101, 94, 96], [96, 97, 95, 96]]);
    const r = runBacktest({ ...base, markets: [{ key: KEY, candles }], signalSource: scripted({ 0: [limit] }) });
    expect(r.trades.map((t) => [t.entryBar, t.entryPrice])).toEqual([[1, 95]]);
  });
});

describe('sizing', () => {
  it('a lot is never rounded up past the free margin (3 × 0.1 is not 0.30000000000000004)', () => {
    // Free margin 30 at a price of 100 buys exactly 0.3 units; risk alone would ask for 2 units.
    const units = sizeUnits({ kind: 'risk', riskFraction: 0.01, lotStep: 0.1 }, { equity: 1000, freeMargin: 30, fillPrice: 100, feeRate: 0, stop: 95 });
    expect(units).toBe(0.3);
    expect(units * 100).toBeLessThanOrEqual(30);
  });

  it('a stopped trade loses 1R net: fees and the stop slippage are inside the risk', () => {
    const candles = bars([[100, 101, 99, 100], [100, 101, 99, 100], [99, 99, 94, 95]]);
    const long = signal({ side: 'long', entry: 100, stop: 96, targets: [{ price: 120, r: 5, closeFraction: 1 }] });
    const r = runBacktest({ ...base, fees: { maker: 0.001, taker: 0.001 }, slippage: { bps: 5 }, markets: [{ key: KEY, candles }], signalSource: scripted({ 0: [long] }) });
    const t = r.trades[0];
    expect(t.exitReason).toBe('stop');
    // Reference: 1 % of 10 000 = 100 lost, fees and slippage included (independent of how it was sized).
    expect(t.pnl).toBeCloseTo(-100, 6);
    expect(t.rMultiple).toBeCloseTo(-1, 9);
  });
});

describe('accounts and the governor', () => {
  const candles = bars([[100, 101, 99, 100], [100, 101, 99, 100], [100, 105, 100, 104], [104, 104, 100, 101]]);
  const short = signal({ side: 'short', entry: 100, stop: 104, targets: [{ price: 80, r: 5, closeFraction: 1 }] });
  const governance = loadGovernance();
  const market = { key: { ...KEY, symbol: 'BTC/USDT' }, candles: candles.map((c) => ({ ...c, volume: 1e7 })) };

  it('an approved short on a perp account closes at about −1R net on its stop', () => {
    const r = runBacktest({
      initialCash: 10_000, sizing: { kind: 'risk', riskFraction: 0.008 }, management: PLAIN, fees: { maker: 0.001, taker: 0.001 }, slippage: { bps: 2 },
      governance, leverage: 3, markets: [{ ...market, account: 'perp' }], signalSource: scripted({ 0: [{ ...short, symbol: 'BTC/USDT' }] }),
    });
    expect(r.trades.map((t) => [t.side, t.exitReason])).toEqual([['short', 'stop']]);
    // The governor's 0.8 % of 10 000 = 80 is the whole loss; the lot step (0.00001) floors the size a hair.
    expect(r.trades[0].rMultiple).toBeCloseTo(-1, 3);
    expect(r.trades[0].pnl).toBeGreaterThanOrEqual(-80);
    expect(r.trades[0].pnl).toBeLessThan(-79.9);
    expect(r.assumptions.account).toMatch(/perpetual.*funding is NOT charged/);
    expect(r.assumptions.governor).toMatch(/risk governor applied/);
  });

  it('a spot account refuses the same short with the side rule, reported with its reason', () => {
    const r = runBacktest({ initialCash: 10_000, management: PLAIN, governance, markets: [{ ...market, account: 'spot' }], signalSource: scripted({ 0: [{ ...short, symbol: 'BTC/USDT' }] }) });
    expect(r.trades).toEqual([]);
    expect(r.skipped).toMatchObject([{ rule: 'side', reason: 'a spot account cannot sell short' }]);
  });

  it('governor refusals are values in the report; --no-governor says so', () => {
    const r = runBacktest({ initialCash: 10_000, management: PLAIN, governance, markets: [{ key: KEY, candles, account: 'perp' }], signalSource: scripted({ 0: [short] }) });
    expect(r.skipped).toMatchObject([{ rule: 'market-allowlist' }]);
    expect(r.skipped[0].reason).toMatch(/TEST\/USDT is not on the allowlist/);
    const research = runBacktest({ initialCash: 10_000, management: PLAIN, markets: [{ key: KEY, candles, account: 'perp' }], signalSource: scripted({ 0: [short] }) });
    expect(research.trades).toHaveLength(1);
    expect(research.assumptions.governor).toMatch(/OFF/);
  });
});
