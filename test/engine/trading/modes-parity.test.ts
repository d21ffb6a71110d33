/**
 * Paper = session. The same real candles and setup through (a) the trading session with every signal approved (as
 * `ita replay --auto-approve`) and (b) the executor on the paper broker, fed the candles in order and approving every
 * signal the detector emits at its close (test/engine/trading/modes-run.ts). Same decisions with the same rules, the
 * same trades. The differences by design (src/engine/backtest/README.md, "Semantics"):
 *  - time stamps: paper learns of a fill at the candle's close and stamps it then; the session stamps a fill inside
 *    a candle at its open time, and a decision taken at a close fills at the next open (the same instant). So a
 *    paper entry or exit time is 0 … one timeframe after the session's, never earlier.
 *  - prices: a market order fills on paper at once at the last price (the signal candle's close), in the session at
 *    the next candle's open; on these Binance files the two differ by at most a few cents, so prices agree to 1e-4.
 *  - a signal at the very close where a time-stop or opposite exit is decided: the session's governor still sees the
 *    exiting position (it fills at the next open; rule no-martingale), paper has already closed it. Both refuse.
 */
import { describe, expect, it } from 'vitest';
import { loadSampleCandles } from '../../helpers/candles.ts';
import { timeframeMs } from '../../../src/engine/market/timeframes.ts';
import type { Timeframe } from '../../../src/engine/types.ts';
import { runPaperMode, runSessionMode } from './modes-run.ts';

const CASES: { setup: string; file: string; tf: Timeframe; minTrades: number }[] = [
  // Market entries, partial targets, break-even, trailing, exit on opposite signals.
  { setup: 'ema_cross', file: 'binance_BTCUSDT_1h_2024-07', tf: '1h', minTrades: 50 },
  // Limit entries resting until their validity, targets, structure.
  { setup: 'fvg_retrace', file: 'binance_BTCUSDT_15m_2023-04', tf: '15m', minTrades: 10 },
];

const PRICE_TOLERANCE = 1e-4;

describe('paper executor = trading session, decision for decision and trade for trade', () => {
  for (const c of CASES) {
    it(`${c.setup} on ${c.file}`, { timeout: 180_000 }, async () => {
      const candles = loadSampleCandles(c.file);
      const session = runSessionMode(c.setup, candles, c.tf);
      const paper = await runPaperMode(c.setup, candles, c.tf);
      const tf = timeframeMs(c.tf);

      expect(paper.decisions.map((d) => [d.signalId, d.accepted])).toEqual(session.decisions.map((d) => [d.signalId, d.accepted]));
      session.decisions.forEach((d, i) => {
        const p = paper.decisions[i];
        if (d.rule === 'no-martingale' && !p.accepted) return; // the exiting position (see above)
        expect(p.rule, d.signalId).toBe(d.rule);
      });
      expect(session.decisions.filter((d) => d.accepted).length).toBeGreaterThan(c.minTrades);
      expect(session.skippedAfterAccept).toEqual([]);

      expect(session.trades.length).toBeGreaterThanOrEqual(c.minTrades);
      expect(paper.trades.map((t) => t.signalId).sort()).toEqual(session.trades.map((t) => t.signalId).sort());
      const byId = new Map(paper.trades.map((t) => [t.signalId, t]));
      for (const s of session.trades) {
        const p = byId.get(s.signalId)!;
        const where = `${s.signalId} entered ${new Date(s.entryTs).toISOString()}`;
        expect(p.side, where).toBe(s.side);
        expect(p.entryTs - s.entryTs, where).toBeGreaterThanOrEqual(0);
        expect(p.entryTs - s.entryTs, where).toBeLessThanOrEqual(tf);
        expect(p.exitTs - s.exitTs, where).toBeGreaterThanOrEqual(0);
        expect(p.exitTs - s.exitTs, where).toBeLessThanOrEqual(tf);
        expect(Math.abs(p.entryPrice / s.entryPrice - 1), where).toBeLessThan(PRICE_TOLERANCE);
        expect(Math.abs(p.exitPrice / s.exitPrice - 1), where).toBeLessThan(PRICE_TOLERANCE);
      }
    });
  }
});
