/**
 * "Same fill model as the session, so a perp paper trade equals the session's perp trade": the trading session
 * (runBacktest, perp account) takes a short and a long on hand-made candles; the perp paper broker is given the
 * same entries (same units, placed when the signal candle has closed) and the same candles. Entry price, exit price,
 * fees and PnL must agree. The candles open where the previous one closed, so "fills at the next open" (session) and
 * "fills at the last known price" (paper, placed between two candles) name the same price.
 */
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../../src/engine/backtest/runner.ts';
import { createPerpPaperBroker } from '../../../../src/engine/exec/paper/index.ts';
import { NO_COSTS } from '../../../../src/engine/exec/sim/fill-model.ts';
import { openDatabase } from '../../../../src/engine/store/database.ts';
import type { Side } from '../../../../src/engine/types.ts';
import { bars, KEY, PLAIN, scripted, signal } from '../../backtest/helpers.ts';

const FEES = { maker: 0.0002, taker: 0.0005 };
const SLIPPAGE_BPS = 3;
const COSTS = { ...NO_COSTS, slippageFraction: SLIPPAGE_BPS / 10_000, makerFee: FEES.maker, takerFee: FEES.taker };

async function parity(side: Side, stop: number, rows: [number, number, number, number][]): Promise<void> {
  const candles = bars(rows);
  const sig = signal({ side, entry: 100, stop, targets: [{ price: side === 'short' ? 50 : 150, r: 10, closeFraction: 1 }] });
  const session = runBacktest({
    initialCash: 10_000, sizing: { kind: 'risk', riskFraction: 0.01 }, management: PLAIN, fees: FEES, slippage: { bps: SLIPPAGE_BPS },
    leverage: 3, markets: [{ key: KEY, candles, account: 'perp' }], signalSource: scripted({ 0: [sig] }),
  });
  expect(session.trades).toHaveLength(1);
  const t = session.trades[0];

  const opened = await openDatabase(':memory:');
  try {
    const broker = await createPerpPaperBroker({ db: opened.db, costs: COSTS, initialBalances: { USDT: 10_000 }, leverage: 3 });
    await broker.onCandle(KEY.symbol, candles[0]);
    await broker.placeEntry({ id: 'p', symbol: KEY.symbol, side, type: 'market', amount: t.size, stop });
    for (const c of candles.slice(1)) await broker.onCandle(KEY.symbol, c);
    const [p] = await broker.positions();
    const fills = await broker.books.listFills('p');
    expect(p.status).toBe('closed');
    expect(p.entryPrice).toBeCloseTo(t.entryPrice, 9);
    expect(fills.filter((f) => f.role === 'stop').map((f) => f.price)).toEqual([expect.closeTo(t.exitPrice, 9)]);
    expect(p.fees).toBeCloseTo(t.fees, 9);
    expect(p.realizedPnl).toBeCloseTo(t.pnl, 9);
  } finally {
    await opened.close();
  }
}

describe('perp paper broker and the trading session take the same trade', () => {
  it('a short stopped inside a candle', () => parity('short', 104, [[100, 101, 99, 100], [100, 101, 99, 100.5], [100.5, 105, 100, 104.5], [104.5, 105, 103, 104]]));
  it('a short stopped by a gap through its stop (fills at the worse open)', () => parity('short', 104, [[100, 101, 99, 100], [100, 101, 99, 101], [106, 107, 105, 106], [106, 107, 105, 106]]));
  it('a long stopped inside a candle', () => parity('long', 96, [[100, 101, 99, 100], [100, 101, 99, 99.5], [99.5, 100, 95, 95.5], [95.5, 96, 95, 95.5]]));
});
