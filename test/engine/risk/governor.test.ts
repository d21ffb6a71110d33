import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { evaluateIntent } from '../../../src/engine/risk/governor.ts';
import { DEFAULT_GOVERNANCE_FILE, parseGovernance } from '../../../src/engine/risk/governance.ts';
import { onTradeClosed, resume } from '../../../src/engine/risk/state.ts';
import type { RiskVerdict } from '../../../src/engine/risk/types.ts';
import { GOV, HOUR, NOW, intent, market, portfolio, position } from './helpers.ts';

function accepted(v: RiskVerdict) {
  if (v.status !== 'accepted') throw new Error(`expected accepted, got ${v.rule}: ${v.reason}`);
  return v;
}
function refused(v: RiskVerdict) {
  if (v.status !== 'refused') throw new Error(`expected refused, got ${JSON.stringify(v.size)}`);
  return v;
}

describe('sizing (numbers worked out by hand)', () => {
  it('equity 10,000, entry 100, stop 98 → risk 0.8 % = 80 → 40 units', () => {
    const v = accepted(evaluateIntent(intent(), portfolio(), market(), NOW, GOV));
    expect(v.size.units).toBe(40);
    expect(v.size.notional).toBe(4000);
    expect(v.size.riskQuote).toBe(80);
    expect(v.size.riskPct).toBeCloseTo(0.8, 12);
    expect(v.size.leverage).toBe(1);
    expect(v.size.accountLeverage).toBeCloseTo(0.4, 12);
    expect(v.adjustments).toEqual([]);
  });

  it('a short sizes the same way: entry 100, stop 102 → 40 units', () => {
    expect(accepted(evaluateIntent(intent({ side: 'short', stop: 102 }), portfolio(), market(), NOW, GOV)).size.units).toBe(40);
  });

  it('rounds DOWN to the amount step: 80 / 3 = 26.67 → 26.6 with step 0.1', () => {
    const v = accepted(evaluateIntent(intent({ stop: 97 }), portfolio(), market({ amountStep: 0.1 }), NOW, GOV));
    expect(v.size.units).toBe(26.6);
    expect(v.size.riskQuote).toBeCloseTo(79.8, 9);
  });

  it('spot (leverage 1) caps notional at equity: stop 99.9 → 800 units wanted, 100 allowed', () => {
    const v = accepted(evaluateIntent(intent({ stop: 99.9 }), portfolio(), market(), NOW, GOV));
    expect(v.size.units).toBe(100);
    expect(v.adjustments.map((a) => a.rule)).toEqual(['leverage-cap']);
    expect(v.adjustments[0].reason).toMatch(/notional at most 10000/);
  });

  it('requested leverage 5× is clamped to 3×: 300 units (30,000 notional), and says so', () => {
    const v = accepted(evaluateIntent(intent({ stop: 99.9, leverage: 5 }), portfolio(), market(), NOW, GOV));
    expect(v.size.units).toBe(300);
    expect(v.size.leverage).toBe(3);
    expect(v.size.accountLeverage).toBeCloseTo(3, 12);
    expect(v.adjustments.map((a) => a.reason).join(' | ')).toMatch(/requested leverage 5× clamped to the cap 3×/);
  });

  it('account leverage: 25,000 already open on 10,000 equity leaves 5,000 → 50 units', () => {
    const p = portfolio({ openPositions: [position({ entry: 2500, stop: 2500, initialStop: 2490, size: 10 })] });
    const v = accepted(evaluateIntent(intent({ stop: 99.9, leverage: 3 }), p, market({ dailyCloses: {} }), NOW, GOV));
    expect(v.size.units).toBe(50);
    expect(v.adjustments[0].rule).toBe('leverage-cap');
  });

  it('total open risk: 100 already at risk (1.0 %) leaves 50 → 25 units, and says so', () => {
    const p = portfolio({ openPositions: [position({ entry: 100, stop: 90, size: 10 })] });
    const v = accepted(evaluateIntent(intent(), p, corrFree(), NOW, GOV));
    expect(v.size.units).toBe(25);
    expect(v.adjustments.map((a) => a.rule)).toEqual(['open-risk']);
    expect(v.adjustments[0].reason).toMatch(/1\.00 % open/);
  });

  it('total open risk already at 1.5 % → refused', () => {
    const p = portfolio({ openPositions: [position({ entry: 100, stop: 85, size: 10 })] });
    const v = refused(evaluateIntent(intent(), p, corrFree(), NOW, GOV));
    expect(v.rule).toBe('open-risk');
    expect(v.reason).toBe('total open risk: 1.50 % of equity (150) already at the 1.50 % limit');
  });

  it('refuses below the market minimum: equity 100 risks 0.8 → 0.016 units → 0.01 → notional 1 < 5', () => {
    const v = refused(evaluateIntent(intent({ stop: 50 }), portfolio({}, 100), market({ amountStep: 0.01 }), NOW, GOV));
    expect(v.rule).toBe('min-size');
    expect(v.reason).toMatch(/size 0\.01 units \(notional 1\) is below the market minimum/);
  });
});

describe('effective risk per trade', () => {
  it('green bonus: day +0.6 % → 0.8 + 0.3 = 1.1 % of 10,060 = 110.66 → 55.33 units', () => {
    const p = portfolio({ equity: 10_060, todayRealizedPnl: 60, bonus: { status: 'active', since: NOW - HOUR } });
    const v = accepted(evaluateIntent(intent(), p, market({ amountStep: 0.01 }), NOW, GOV));
    expect(v.effectiveRiskPct).toBeCloseTo(1.1, 12);
    expect(v.size.units).toBe(55.33);
    expect(v.adjustments[0]).toMatchObject({ rule: 'risk-per-trade' });
    expect(v.adjustments[0].reason).toMatch(/green bonus \+0\.30 %: day PnL \+0\.60 % ≥ \+0\.50 %/);
  });

  it('no bonus once dropped the same day: 0.8 % of 10,060 = 80.48 → 40.24 units', () => {
    const p = portfolio({ equity: 10_060, todayRealizedPnl: 60, bonus: { status: 'dropped', at: NOW - HOUR, reason: 'loss' } });
    expect(accepted(evaluateIntent(intent(), p, market({ amountStep: 0.01 }), NOW, GOV)).size.units).toBe(40.24);
  });

  it('no bonus while only the open PnL is green: realized 0, equity +0.6 % → day PnL = min = 0', () => {
    const p = portfolio({ equity: 10_060, todayRealizedPnl: 0 });
    expect(accepted(evaluateIntent(intent(), p, market({ amountStep: 0.01 }), NOW, GOV)).effectiveRiskPct).toBeCloseTo(0.8, 12);
  });

  it('3 losses in a row lower risk to 0.6 % → 30 units; 5 wins in a row restore 0.8 % → 40', () => {
    let p = portfolio();
    for (let i = 0; i < 3; i++) p = onTradeClosed(p, { setupId: `s${i}`, pnl: -1, barIndex: i, closedAt: NOW - HOUR / 2 }, GOV);
    const reduced = accepted(evaluateIntent(intent(), { ...p, todayRealizedPnl: 0 }, market(), NOW, GOV));
    expect(reduced.size.units).toBe(30);
    expect(reduced.adjustments[0].reason).toMatch(/lowered by 0\.20 %: 3\+ losses in a row/);
    for (let i = 0; i < 4; i++) p = onTradeClosed(p, { setupId: 'w', pnl: 1, barIndex: i, closedAt: NOW - HOUR / 2 }, GOV);
    expect(accepted(evaluateIntent(intent(), { ...p, todayRealizedPnl: 0 }, market(), NOW, GOV)).size.units).toBe(30);
    p = onTradeClosed(p, { setupId: 'w', pnl: 1, barIndex: 9, closedAt: NOW - HOUR / 2 }, GOV);
    expect(accepted(evaluateIntent(intent(), { ...p, todayRealizedPnl: 0 }, market(), NOW, GOV)).size.units).toBe(40);
  });

  it('ATR above its 90th percentile lowers risk to 0.6 % → 30 units; back under → 40', () => {
    const v = accepted(evaluateIntent(intent(), portfolio(), market({ atr: 2.5, atrThreshold: 2 }), NOW, GOV));
    expect(v.size.units).toBe(30);
    expect(v.adjustments[0].reason).toMatch(/ATR 2\.5 is above its 90th percentile 2/);
    expect(accepted(evaluateIntent(intent(), portfolio(), market({ atr: 2, atrThreshold: 2 }), NOW, GOV)).size.units).toBe(40);
  });
});

describe('the hard per-trade cap', () => {
  it('base 1.0 + bonus 0.3 is capped at max 1.1 %: 110 → 55 units, and says so', () => {
    const text = readFileSync(DEFAULT_GOVERNANCE_FILE, 'utf8').replace('  base_pct: 0.8', '  base_pct: 1.0');
    const g = parseGovernance(text, 'governance.yaml');
    const p = portfolio({ equity: 10_000, dayStartEquity: 9_900, todayRealizedPnl: 100 });
    const v = accepted(evaluateIntent(intent(), p, market(), NOW, g));
    expect(v.effectiveRiskPct).toBe(1.1);
    expect(v.size.units).toBe(55);
    expect(v.adjustments[0].reason).toMatch(/capped at 1\.10 % per trade/);
  });
});

describe('locks', () => {
  it('daily loss limit quotes the numbers and the next day in the trader zone', () => {
    const p = portfolio({ equity: 9816, todayRealizedPnl: -184 });
    const v = refused(evaluateIntent(intent(), p, market(), NOW, GOV));
    expect(v.rule).toBe('daily-loss-limit');
    expect(v.reason).toBe("daily loss limit: today's PnL −1.84 % ≤ −1.8 %; no new entries until 2026-11-22 00:00 UTC");
  });

  it('an unrealized loss counts too: equity −1.9 % with nothing realized → refused', () => {
    expect(refused(evaluateIntent(intent(), portfolio({ equity: 9810 }), market(), NOW, GOV)).rule).toBe('daily-loss-limit');
  });

  it('a recorded lock holds for the day even after PnL recovers, and is gone the next day', () => {
    const lock = { until: Date.UTC(2026, 10, 22), at: NOW - HOUR, dayPnlPct: -1.9 };
    const p = portfolio({ dailyLock: lock });
    expect(refused(evaluateIntent(intent(), p, market(), NOW, GOV)).reason).toMatch(/reached −1\.90 %.*until 2026-11-22 00:00 UTC/);
    expect(evaluateIntent(intent(), p, market(), Date.UTC(2026, 10, 22, 0, 5), GOV).status).toBe('accepted');
  });

  it('kill switch: 10,000 → 9,640 within 72 h is −3.60 % → refused; a sample 73 h old does not count', () => {
    const p = portfolio({ equity: 9640, dayStartEquity: 9640, equityHistory: [{ ts: NOW - 48 * HOUR, equity: 10_000 }] });
    const v = refused(evaluateIntent(intent(), p, market(), NOW, GOV));
    expect(v.rule).toBe('kill-switch');
    expect(v.reason).toMatch(/^kill switch: equity −3\.60 % over 72 h \(peak 10000 → 9640\) ≤ −3\.5 %; everything is paused until you send \/resume/);
    const old = { ...p, equityHistory: [{ ts: NOW - 73 * HOUR, equity: 10_000 }] };
    expect(evaluateIntent(intent(), old, market(), NOW, GOV).status).toBe('accepted');
  });

  it('a tripped kill switch holds after equity recovers, until resume', () => {
    const tripped = portfolio({ killSwitch: { status: 'tripped', at: NOW - HOUR, drawdownPct: -3.6, peakEquity: 10_000, equity: 9640 } });
    expect(refused(evaluateIntent(intent(), tripped, market(), NOW, GOV)).rule).toBe('kill-switch');
    expect(evaluateIntent(intent(), resume(tripped, 'trader', NOW), market(), NOW, GOV).status).toBe('accepted');
  });
});

describe('market, setup and position rules', () => {
  it('refuses a market off the allowlist, a thin market and a wide spread', () => {
    const doge = refused(evaluateIntent(intent({ symbol: 'DOGE/USDT' }), portfolio(), market({ symbol: 'DOGE/USDT' }), NOW, GOV));
    expect(doge.rule).toBe('market-allowlist');
    expect(doge.reason).toMatch(/DOGE\/USDT is not on the allowlist/);
    expect(refused(evaluateIntent(intent(), portfolio(), market({ quoteVolume24h: 1e6 }), NOW, GOV)).reason).toBe(
      'liquidity: BTC/USDT 24h volume 1000000 < minimum 50000000',
    );
    // (100.04 − 99.96) / 100 × 10,000 = 8 bps
    expect(refused(evaluateIntent(intent(), portfolio(), market({ bid: 99.96, ask: 100.04 }), NOW, GOV)).reason).toMatch(/= 8\.00 bps > maximum 5 bps/);
    // 4 bps passes
    expect(evaluateIntent(intent(), portfolio(), market({ bid: 99.98, ask: 100.02 }), NOW, GOV).status).toBe('accepted');
  });

  it('cooldown: 2 losses ending at bar 10 block bars 11–13; bar 14 trades; a win in between resets it', () => {
    let p = portfolio();
    p = onTradeClosed(p, { setupId: 'ob_retest', pnl: -50, barIndex: 7, closedAt: NOW - 2 * HOUR }, GOV);
    p = onTradeClosed(p, { setupId: 'ob_retest', pnl: -50, barIndex: 10, closedAt: NOW - HOUR }, GOV);
    p = { ...p, todayRealizedPnl: 0 };
    for (const bar of [10, 11, 12, 13]) {
      const v = refused(evaluateIntent(intent(), p, market({ barIndex: bar }), NOW, GOV));
      expect(v.rule).toBe('cooldown');
    }
    expect(refused(evaluateIntent(intent(), p, market({ barIndex: 11 }), NOW, GOV)).reason).toMatch(/may trade again from bar 14/);
    expect(evaluateIntent(intent(), p, market({ barIndex: 14 }), NOW, GOV).status).toBe('accepted');
    expect(evaluateIntent(intent({ setupId: 'other' }), p, market({ barIndex: 11 }), NOW, GOV).status).toBe('accepted');
    const won = onTradeClosed(p, { setupId: 'ob_retest', pnl: 10, barIndex: 11, closedAt: NOW - HOUR / 2 }, GOV);
    expect(evaluateIntent(intent(), { ...won, todayRealizedPnl: 0 }, market({ barIndex: 12 }), NOW, GOV).status).toBe('accepted');
  });

  it('never adds to a loser (no martingale)', () => {
    const p = portfolio({ openPositions: [position({ symbol: 'BTC/USDT', size: 40, unrealized: -40 })] });
    const v = refused(evaluateIntent(intent({ entry: 99, stop: 97, addToPosition: true }), p, market({ lastPrice: 99 }), NOW, GOV));
    expect(v.rule).toBe('no-martingale');
    expect(v.reason).toMatch(/is losing \(entry 100, price 99, unrealized −40\)/);
  });

  it('pyramiding: +1R, add 0.3R with the combined stop beyond break-even → 24 units', () => {
    // Open: 40 units long at 100, initial stop 98 → 1R = 2 per unit = 80. Price 102 = +1R.
    // Add at 102 with combined stop 101: break-even allows 40 × (101 − 100) / (102 − 101) = 40 units;
    // 0.3R = 24 quote at 1 per unit → 24 units. Combined entry (4000 + 2448) / 64 = 100.75 ≤ stop 101.
    const p = portfolio({ openPositions: [position({ symbol: 'BTC/USDT', size: 40, unrealized: 80 })] });
    const v = accepted(evaluateIntent(intent({ entry: 102, stop: 101, addToPosition: true }), p, market({ lastPrice: 102 }), NOW, GOV));
    expect(v.size.units).toBe(24);
    expect(v.adjustments.map((a) => a.rule)).toEqual(['pyramiding', 'pyramiding']);
    expect(v.adjustments.map((a) => a.reason).join(' | ')).toMatch(/move the stop of the open BTC\/USDT position to 101/);
  });

  it('pyramiding refuses below +1R, a stop short of break-even, an opposite position, and nothing to add to', () => {
    const open = position({ symbol: 'BTC/USDT', size: 40, unrealized: 40 });
    const p = portfolio({ openPositions: [open] });
    expect(refused(evaluateIntent(intent({ entry: 101, stop: 100.5 }), p, market({ lastPrice: 101 }), NOW, GOV)).reason).toMatch(/\+0\.50R < \+1R/);
    expect(refused(evaluateIntent(intent({ entry: 102, stop: 99 }), p, market({ lastPrice: 102 }), NOW, GOV)).reason).toMatch(/combined stop 99 must be beyond/);
    expect(refused(evaluateIntent(intent({ side: 'short', stop: 103 }), p, market(), NOW, GOV)).reason).toMatch(/opposite long/);
    expect(refused(evaluateIntent(intent({ addToPosition: true }), portfolio(), market(), NOW, GOV)).reason).toMatch(/no open long BTC\/USDT position/);
  });

  it('refuses malformed intents as values, never by throwing', () => {
    expect(refused(evaluateIntent(intent({ stop: 101 }), portfolio(), market(), NOW, GOV)).reason).toBe(
      "a long's stop must be below its entry (stop 101 ≥ entry 100)",
    );
    expect(refused(evaluateIntent(intent({ entry: Number.NaN }), portfolio(), market(), NOW, GOV)).rule).toBe('intent-valid');
    expect(refused(evaluateIntent(intent({ leverage: 0.5 }), portfolio(), market(), NOW, GOV)).rule).toBe('intent-valid');
  });
});

/** A market where the open positions' symbols have no close history → counted as correlated; give them a fresh one. */
function corrFree() {
  const n = 91;
  const btc = Array.from({ length: n }, (_, i) => 100 * (1 + 0.01 * Math.sin(i)));
  const eth = Array.from({ length: n }, (_, i) => 100 * (1 + 0.01 * Math.sin(i * 2.3 + 1)));
  return market({ dailyCloses: { 'BTC/USDT': btc, 'ETH/USDT': eth } });
}
