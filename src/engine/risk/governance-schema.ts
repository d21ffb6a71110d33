/**
 * Schema of governance.yaml, the trader's locked risk limits. Unknown keys are refused (a typo must not silently
 * fall back to a default), every number has a range, and the cross-field checks keep the limits coherent.
 */
import { z } from 'zod';

const pct = (max: number) => z.number().positive().max(max);

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const governanceSchema = z
  .strictObject({
    timezone: z.string().refine(isTimeZone, { message: 'not an IANA time zone (e.g. UTC, Europe/Moscow)' }).default('UTC'),
    risk_per_trade: z.strictObject({
      base_pct: pct(5),
      max_pct: pct(5),
      green_bonus: z.strictObject({
        bonus_pct: z.number().min(0).max(5),
        activate_at_day_pnl_pct: pct(50),
      }),
      reduction: z.strictObject({
        reduce_by_pct: z.number().min(0).max(5),
        after_consecutive_losses: z.int().min(1).max(20),
        restore_after_consecutive_wins: z.int().min(1).max(50),
        atr_percentile: z.number().min(50).max(100),
      }),
    }),
    daily_loss: z.strictObject({ max_pct: pct(20) }),
    kill_switch: z.strictObject({ drawdown_pct: pct(50), window_hours: z.int().min(1).max(24 * 30) }),
    leverage_cap: z.number().min(1).max(125),
    max_open_risk_pct: pct(20),
    no_martingale: z.literal(true, { message: 'averaging down is never allowed: no_martingale must be true' }),
    pyramiding: z.strictObject({
      mode: z.literal('anti', { message: 'only "anti" (adds into profit) is supported' }),
      min_profit_r: z.number().min(0),
      max_add_r: z.number().positive().max(1),
    }),
    cooldown: z.strictObject({
      after_consecutive_losses: z.int().min(1).max(20),
      bars: z.int().min(0).max(1000),
    }),
    correlation: z.strictObject({
      threshold: z.number().gt(0).lt(1),
      max_correlated_positions: z.int().min(2).max(3),
      window_days: z.int().min(10).max(365),
      min_observations: z.int().min(5).max(365),
    }),
    markets: z.strictObject({
      allowlist: z.array(z.string().regex(/^[A-Z0-9]+\/[A-Z0-9]+(:[A-Z0-9]+)?$/, 'use ccxt symbols like BTC/USDT')).min(1),
      min_quote_volume_24h: z.number().min(0),
      max_spread_bps: z.number().positive(),
    }),
  })
  .superRefine((g, ctx) => {
    const r = g.risk_per_trade;
    if (r.base_pct > r.max_pct) {
      ctx.addIssue({ code: 'custom', path: ['risk_per_trade', 'base_pct'], message: `base ${r.base_pct} % is above max_pct ${r.max_pct} %` });
    }
    if (r.reduction.reduce_by_pct >= r.base_pct) {
      ctx.addIssue({
        code: 'custom',
        path: ['risk_per_trade', 'reduction', 'reduce_by_pct'],
        message: `reduction ${r.reduction.reduce_by_pct} % must be below base_pct ${r.base_pct} %`,
      });
    }
    if (r.max_pct > g.max_open_risk_pct) {
      ctx.addIssue({
        code: 'custom',
        path: ['max_open_risk_pct'],
        message: `total open risk ${g.max_open_risk_pct} % must be at least the per-trade cap ${r.max_pct} %`,
      });
    }
    if (g.correlation.min_observations > g.correlation.window_days) {
      ctx.addIssue({ code: 'custom', path: ['correlation', 'min_observations'], message: `must not exceed window_days ${g.correlation.window_days}` });
    }
  });

export type GovernanceFile = z.infer<typeof governanceSchema>;

type DeepReadonly<T> = T extends (infer U)[] ? readonly DeepReadonly<U>[] : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;

/** The loaded limits, camelCased for the code; deeply frozen at load, and there is deliberately no setter. */
export type Governance = DeepReadonly<{
  source: string;
  timezone: string;
  risk: {
    basePct: number;
    maxPct: number;
    bonusPct: number;
    bonusActivateAtDayPnlPct: number;
    reduceByPct: number;
    reduceAfterConsecutiveLosses: number;
    restoreAfterConsecutiveWins: number;
    atrPercentile: number;
  };
  dailyLossPct: number;
  killSwitch: { drawdownPct: number; windowMs: number };
  leverageCap: number;
  maxOpenRiskPct: number;
  pyramiding: { minProfitR: number; maxAddR: number };
  cooldown: { afterConsecutiveLosses: number; bars: number };
  correlation: { threshold: number; maxCorrelatedPositions: number; windowDays: number; minObservations: number };
  markets: { allowlist: string[]; minQuoteVolume24h: number; maxSpreadBps: number };
}>;

export function toGovernance(file: GovernanceFile, source: string): Governance {
  const r = file.risk_per_trade;
  return {
    source,
    timezone: file.timezone,
    risk: {
      basePct: r.base_pct,
      maxPct: r.max_pct,
      bonusPct: r.green_bonus.bonus_pct,
      bonusActivateAtDayPnlPct: r.green_bonus.activate_at_day_pnl_pct,
      reduceByPct: r.reduction.reduce_by_pct,
      reduceAfterConsecutiveLosses: r.reduction.after_consecutive_losses,
      restoreAfterConsecutiveWins: r.reduction.restore_after_consecutive_wins,
      atrPercentile: r.reduction.atr_percentile,
    },
    dailyLossPct: file.daily_loss.max_pct,
    killSwitch: { drawdownPct: file.kill_switch.drawdown_pct, windowMs: file.kill_switch.window_hours * 3_600_000 },
    leverageCap: file.leverage_cap,
    maxOpenRiskPct: file.max_open_risk_pct,
    pyramiding: { minProfitR: file.pyramiding.min_profit_r, maxAddR: file.pyramiding.max_add_r },
    cooldown: { afterConsecutiveLosses: file.cooldown.after_consecutive_losses, bars: file.cooldown.bars },
    correlation: {
      threshold: file.correlation.threshold,
      maxCorrelatedPositions: file.correlation.max_correlated_positions,
      windowDays: file.correlation.window_days,
      minObservations: file.correlation.min_observations,
    },
    markets: {
      allowlist: [...file.markets.allowlist],
      minQuoteVolume24h: file.markets.min_quote_volume_24h,
      maxSpreadBps: file.markets.max_spread_bps,
    },
  };
}
