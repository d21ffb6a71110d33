/**
 * Turns a matched setup into prices: entry, stop and targets, from the setup's rules and the market state at the
 * signal candle. Refuses (returns a reason) when the geometry is impossible, e.g. a stop on the wrong side of entry.
 */
import type { Side, SignalTarget } from '../types.ts';
import type { SetupDefinition } from '../setups/schema.ts';

export interface Zone {
  top: number;
  bottom: number;
}

export interface PlanInputs {
  side: Side;
  close: number;
  atr: number;
  /** Last confirmed swing low / high before the signal. */
  swingLow?: number;
  swingHigh?: number;
  /** Zone the entry refers to (for limit entries and zone-edge stops). */
  zone?: Zone;
  /** Liquidity levels (equal highs above, equal lows below), for liquidity targets. */
  liquidityAbove?: number[];
  liquidityBelow?: number[];
  value(operand: number | string): number;
}

export interface TradePlan {
  entryType: 'market' | 'limit';
  entry: number;
  stop: number;
  targets: SignalTarget[];
  rr: number;
  notes: string[];
}

export type PlanResult = { ok: true; plan: TradePlan } | { ok: false; reason: string };

export function planTrade(setup: Pick<SetupDefinition, 'entry' | 'stop' | 'targets'>, input: PlanInputs): PlanResult {
  const long = input.side === 'long';
  const sign = long ? 1 : -1;
  const notes: string[] = [];

  let entry = input.close;
  if (setup.entry.type === 'limit') {
    if (!input.zone) return { ok: false, reason: `limit entry needs an active ${setup.entry.zone} zone` };
    const { top, bottom } = input.zone;
    // A long buys the first touch of the zone from above (its top); a short sells the first touch from below.
    entry = setup.entry.at === 'mid' ? (top + bottom) / 2 : long ? top : bottom;
  }

  const stopRule = setup.stop;
  let stop: number;
  switch (stopRule.type) {
    case 'atr':
      stop = entry - sign * input.value(stopRule.mult) * input.atr;
      break;
    case 'percent':
      stop = entry * (1 - (sign * input.value(stopRule.pct)) / 100);
      break;
    case 'swing': {
      const swing = long ? input.swingLow : input.swingHigh;
      if (swing === undefined) return { ok: false, reason: `no confirmed swing ${long ? 'low' : 'high'} for the stop` };
      stop = swing - sign * input.value(stopRule.buffer_atr) * (input.atr || 0);
      break;
    }
    case 'zone_edge': {
      if (!input.zone) return { ok: false, reason: `zone-edge stop needs an active ${stopRule.zone} zone` };
      const edge = long ? input.zone.bottom : input.zone.top;
      stop = edge - sign * input.value(stopRule.buffer_atr) * (input.atr || 0);
      break;
    }
  }
  if (!Number.isFinite(entry) || !Number.isFinite(stop)) return { ok: false, reason: 'entry or stop is not a number yet (indicators warming up)' };
  if (!(sign * (entry - stop) > 0)) {
    return { ok: false, reason: `stop ${stop} is on the wrong side of entry ${entry} for a ${input.side}` };
  }
  // A stop closer than the setup's floor is widened to it, so the fees of a stopped trade stay a small part of R.
  if (stopRule.type !== 'percent' && stopRule.min_pct !== undefined && sign * (entry - stop) < (entry * stopRule.min_pct) / 100) {
    stop = entry * (1 - (sign * stopRule.min_pct) / 100);
    notes.push(`stop widened to the setup's minimum distance of ${stopRule.min_pct} %`);
  }
  // A limit waits for price to come back to the zone; if the signal candle already CLOSED at or beyond the stop, the
  // idea is broken before the order exists (the limit would fill at once and the stop could not even be placed).
  if (setup.entry.type === 'limit' && !(sign * (input.close - stop) > 0)) {
    return { ok: false, reason: `the candle closed at ${input.close}, at or beyond the stop ${stop}: the ${input.side} is invalid before it is placed` };
  }
  const risk = sign * (entry - stop);

  const targets: SignalTarget[] = [];
  for (const rule of setup.targets) {
    if ('r' in rule) {
      const r = input.value(rule.r);
      targets.push({ price: entry + sign * r * risk, r, closeFraction: rule.close });
      continue;
    }
    const levels = (long ? input.liquidityAbove : input.liquidityBelow) ?? [];
    const beyond = levels
      .filter((level) => sign * (level - entry) >= rule.min_r * risk)
      .sort((a, b) => sign * (a - b));
    if (beyond.length === 0) {
      notes.push(`no opposite liquidity at least ${rule.min_r}R away`);
      continue;
    }
    targets.push({ price: beyond[0], r: (sign * (beyond[0] - entry)) / risk, closeFraction: rule.close });
  }
  if (targets.length === 0) return { ok: false, reason: notes[0] ?? 'no target' };
  targets.sort((a, b) => a.r - b.r);
  return { ok: true, plan: { entryType: setup.entry.type, entry, stop, targets, rr: targets[targets.length - 1].r, notes } };
}
