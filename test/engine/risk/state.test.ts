import { describe, expect, it } from 'vitest';
import { createPortfolioState, onEquity, onNewDay, onTradeClosed, resume } from '../../../src/engine/risk/state.ts';
import type { PortfolioState } from '../../../src/engine/risk/types.ts';
import { GOV, HOUR, NOW } from './helpers.ts';

const start = () => createPortfolioState(10_000, NOW, GOV);

describe('state transitions', () => {
  it('never mutate the old state', () => {
    const s = start();
    const frozen = JSON.stringify(s);
    onEquity(s, 9000, NOW + HOUR, GOV);
    onTradeClosed(s, { setupId: 'a', pnl: -10, barIndex: 1, closedAt: NOW + HOUR }, GOV);
    expect(JSON.stringify(s)).toBe(frozen);
  });

  it('green bonus: active at day PnL +0.5 %, dropped at the first losing trade, not re-armed the same day, idle next day', () => {
    let s = onTradeClosed(start(), { setupId: 'a', pnl: 50, barIndex: 1, closedAt: NOW + HOUR }, GOV);
    s = onEquity(s, 10_050, NOW + HOUR, GOV);
    expect(s.bonus.status).toBe('active');
    s = onTradeClosed(s, { setupId: 'a', pnl: -1, barIndex: 2, closedAt: NOW + 2 * HOUR }, GOV);
    expect(s.bonus).toMatchObject({ status: 'dropped', reason: expect.stringMatching(/first losing trade/) });
    s = onTradeClosed(s, { setupId: 'a', pnl: 100, barIndex: 3, closedAt: NOW + 3 * HOUR }, GOV);
    expect(s.bonus.status).toBe('dropped');
    s = onNewDay(s, Date.UTC(2026, 10, 22, 0, 1), GOV);
    expect(s).toMatchObject({ bonus: { status: 'idle' }, day: '2026-11-22', todayRealizedPnl: 0, dayStartEquity: s.equity });
  });

  it('green bonus is dropped when the day PnL falls back under +0.5 % (a pullback without a losing trade)', () => {
    let s = onTradeClosed(start(), { setupId: 'a', pnl: 60, barIndex: 1, closedAt: NOW + HOUR }, GOV);
    s = onEquity(s, 10_060, NOW + HOUR, GOV);
    expect(s.bonus.status).toBe('active');
    s = onEquity(s, 10_040, NOW + 2 * HOUR, GOV);
    expect(s.bonus).toMatchObject({ status: 'dropped', reason: 'day PnL fell back to +0.40 % < +0.50 %' });
  });

  it('daily lock: −1.8 % sets a lock until the next UTC midnight that survives a recovery, cleared next day', () => {
    let s = onTradeClosed(start(), { setupId: 'a', pnl: -180, barIndex: 1, closedAt: NOW + HOUR }, GOV);
    expect(s.dailyLock).toMatchObject({ until: Date.UTC(2026, 10, 22), dayPnlPct: -1.8 });
    s = onEquity(s, 10_500, NOW + 2 * HOUR, GOV);
    expect(s.dailyLock).not.toBeNull();
    s = onEquity(s, 10_500, Date.UTC(2026, 10, 22, 0, 0, 1), GOV);
    expect(s.dailyLock).toBeNull();
    expect(s.dayStartEquity).toBe(10_500);
  });

  it('kill switch: trips at −3.5 % from the 72 h peak, stays tripped, resume restarts the window', () => {
    let s = onEquity(start(), 10_400, NOW + HOUR, GOV);
    s = onEquity(s, 10_100, NOW + 30 * HOUR, GOV);
    expect(s.killSwitch.status).toBe('armed');
    // 10,400 × (1 − 0.035) = 10,036
    s = onEquity(s, 10_036, NOW + 40 * HOUR, GOV);
    expect(s.killSwitch).toMatchObject({ status: 'tripped', peakEquity: 10_400, equity: 10_036 });
    s = onEquity(s, 10_600, NOW + 41 * HOUR, GOV);
    expect(s.killSwitch.status).toBe('tripped');
    s = resume(s, 'trader:42', NOW + 42 * HOUR);
    expect(s.killSwitch).toEqual({ status: 'armed', resumedAt: NOW + 42 * HOUR, resumedBy: 'trader:42' });
    // The old 10,600 peak predates the resume, so 10,300 does not re-trip it.
    s = onEquity(s, 10_300, NOW + 43 * HOUR, GOV);
    expect(s.killSwitch.status).toBe('armed');
  });

  it('a peak older than 72 h leaves the window', () => {
    let s = onEquity(start(), 10_400, NOW + HOUR, GOV);
    s = onEquity(s, 10_000, NOW + 74 * HOUR, GOV);
    expect(s.killSwitch.status).toBe('armed');
    expect(s.equityHistory.every((e) => e.ts >= NOW + 2 * HOUR)).toBe(true);
  });

  it('streaks: a scratch trade (PnL 0) neither wins nor loses; losses reduce, 5 straight wins restore', () => {
    let s = start();
    const close = (pnl: number, i: number) => (s = onTradeClosed(s, { setupId: 'a', pnl, barIndex: i, closedAt: NOW + i }, GOV));
    close(-1, 1);
    close(0, 2);
    close(-1, 3);
    expect(s.streaks).toEqual({ wins: 0, losses: 2 });
    close(-1, 4);
    expect(s.lossReduction.active).toBe(true);
    [5, 6, 7, 8].forEach((i) => close(1, i));
    close(-1, 9);
    [10, 11, 12, 13].forEach((i) => close(1, i));
    expect(s.lossReduction.active).toBe(true);
    close(1, 14);
    expect(s.lossReduction.active).toBe(false);
  });

  it('removes the closed position and keeps the last trades per setup', () => {
    let s: PortfolioState = { ...start(), openPositions: [{ id: 'x', symbol: 'BTC/USDT', side: 'long' as const, entry: 1, stop: 0.9, initialStop: 0.9, size: 1, unrealized: 0 }] };
    for (let i = 0; i < 15; i++) s = onTradeClosed(s, { positionId: 'x', setupId: 'a', pnl: 1, barIndex: i, closedAt: NOW + i }, GOV);
    expect(s.openPositions).toEqual([]);
    expect(s.setupTrades.a.map((t) => t.barIndex)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
  });
});

describe('day roll', () => {
  it('only moves forward: an out-of-order earlier timestamp keeps the lock', () => {
    let s = onTradeClosed(start(), { setupId: 'a', pnl: -200, barIndex: 1, closedAt: NOW + HOUR }, GOV);
    expect(s.dailyLock).not.toBeNull();
    s = onEquity(s, s.equity, NOW - 20 * HOUR, GOV);
    expect(s.day).toBe('2026-11-21');
    expect(s.dailyLock).not.toBeNull();
  });
});
