/**
 * onEquity keeps only the samples that can still be the kill switch's window peak. Checked against a brute-force
 * peak over every sample of the window, on a seeded random walk sampled every minute for 10 days.
 */
import { describe, expect, it } from 'vitest';
import { createPortfolioState, loadGovernance, onEquity, windowDrawdown } from '../../../src/engine/risk/index.ts';
import { seededRandom } from '../../../src/engine/backtest/random.ts';

describe('equity history of the kill switch', () => {
  it('gives the same window drawdown as the full history, with a short history', () => {
    const g = loadGovernance();
    const random = seededRandom(7);
    const t0 = Date.UTC(2024, 0, 1);
    let s = createPortfolioState(10_000, t0, g);
    const all: { ts: number; equity: number }[] = [{ ts: t0, equity: 10_000 }];
    let equity = 10_000;
    for (let i = 1; i <= 14_400; i++) {
      const ts = t0 + i * 60_000;
      equity *= 1 + (random() - 0.5) * 0.002;
      s = onEquity(s, equity, ts, g);
      all.push({ ts, equity });
      if (s.killSwitch.status === 'tripped') s = { ...s, killSwitch: { status: 'armed' } };
      if (i % 97 === 0) {
        let peak = equity;
        for (const e of all) if (e.ts >= ts - g.killSwitch.windowMs && e.ts <= ts && e.equity > peak) peak = e.equity;
        expect(windowDrawdown(s, ts, g).peak).toBe(peak);
      }
    }
    expect(s.equityHistory.length).toBeLessThan(1000);
  });
});
