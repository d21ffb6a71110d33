/**
 * Resolved simulation settings (defaults = the trader's plan) and the plain-words assumptions written into every
 * report, so a result can always be read together with the rules that produced it.
 */
import type { Signal } from '../types.ts';
import type { CostModel } from '../exec/sim/fill-model.ts';
import { describeSizing } from './sizing.ts';
import type { BacktestOptions, FeeOptions, ManagementOptions, SizingOptions, SlippageOptions, SpreadOptions } from './types.ts';

export const DEFAULT_MANAGEMENT: ManagementOptions = {
  defaultTargets: [
    { r: 1, closeFraction: 0.25 },
    { r: 2, closeFraction: 0.25 },
  ],
  breakEvenAtR: 0.6,
  trailAtrMultiple: 1.8,
  timeStopBars: 0,
  oppositeSignal: 'exit-and-reverse',
  pyramiding: false,
  intrabar: 'stop-first',
};

export const DEFAULT_SIZING: SizingOptions = { kind: 'risk', riskFraction: 0.008 };

export interface ResolvedSettings {
  management: ManagementOptions;
  sizing: SizingOptions;
  fees: FeeOptions;
  slippage: Required<SlippageOptions>;
  spread: SpreadOptions;
  finalize: NonNullable<BacktestOptions['finalize']>;
  warmupBars: number;
}

export function resolveSettings(opts: BacktestOptions): ResolvedSettings {
  return {
    management: { ...DEFAULT_MANAGEMENT, ...opts.management },
    sizing: opts.sizing ?? DEFAULT_SIZING,
    fees: { maker: opts.fees?.maker ?? 0, taker: opts.fees?.taker ?? 0 },
    slippage: { bps: opts.slippage?.bps ?? 0, atrFraction: opts.slippage?.atrFraction ?? 0 },
    spread: opts.spread ?? { fraction: 0, model: 'cross-both' },
    finalize: opts.finalize ?? 'last-close',
    warmupBars: opts.warmupBars ?? 0,
  };
}

function contextNumber(signal: Signal, key: string, fallback: number): number {
  const value = signal.context?.[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** Per-signal overrides of the plan travel in `signal.context` (numbers), next to the ATR the detector saw. */
export function planFor(signal: Signal, s: ResolvedSettings) {
  return {
    atr: contextNumber(signal, 'atr', NaN),
    breakEvenAtR: contextNumber(signal, 'breakEvenAtR', s.management.breakEvenAtR),
    trailAtrMultiple: contextNumber(signal, 'trailAtrMultiple', s.management.trailAtrMultiple),
    timeStopBars: contextNumber(signal, 'timeStopBars', s.management.timeStopBars),
  };
}

export function costsFor(atr: number, s: ResolvedSettings): CostModel {
  return {
    slippageFraction: s.slippage.bps / 10_000,
    slippageAbsolute: Number.isFinite(atr) ? s.slippage.atrFraction * atr : 0,
    spreadFraction: s.spread.fraction,
    spreadModel: s.spread.model,
    makerFee: s.fees.maker,
    takerFee: s.fees.taker,
  };
}

function describeAccounts(opts: BacktestOptions | undefined): string {
  const kinds = new Set((opts?.markets ?? []).map((mk) => mk.account ?? 'perp'));
  const parts: string[] = [];
  if (kinds.has('spot')) parts.push('spot: long only (short signals refused with rule "side"), leverage 1');
  if (kinds.has('perp')) {
    const cap = opts?.governance?.leverageCap;
    const lev = Math.max(1, Math.min(opts?.leverage ?? 1, cap ?? Infinity));
    parts.push(`USDT-margined perpetual: long and short, leverage ${lev}×${cap !== undefined ? ` (governance cap ${cap}×)` : ''}; funding is NOT charged and liquidation is not modelled (backtest, replay and paper alike)`);
  }
  return parts.join('; ') || 'none';
}

export function describeAssumptions(s: ResolvedSettings, detail: boolean, opts?: BacktestOptions): Record<string, string> {
  const m = s.management;
  const g = opts?.governance;
  const targets = m.defaultTargets.map((t) => `${t.closeFraction * 100} % at ${t.r}R`).join(', ') || 'none';
  return {
    signalTiming: 'signals are decided on a candle close; nothing from later candles is visible to the decision',
    marketEntry: 'market entries fill at the next candle OPEN (+ slippage + spread, taker fee); skipped if that open is already beyond the stop',
    limitEntry: 'limit entries rest from the next candle until validUntil exactly (a candle opening at validUntil no longer fills them); fill at the limit when a later candle trades through it, or at the open if it gaps through (better); maker fee',
    stops: 'stops fill at the stop price, or at the open when the candle gaps through it (worse); taker fee + slippage',
    targets: `take-profits are resting limits (maker fee) filled when a candle trades at or through them, at their price or at a better gap open; default plan when a signal has none: ${targets}`,
    intrabar: detail
      ? `stop and target inside one candle: decided by the lower-timeframe candles; inside one of those: ${m.intrabar}`
      : `stop and target inside one candle: ${m.intrabar === 'stop-first' ? 'stop first (pessimistic)' : 'target first (optimistic)'}`,
    limitFillBar: 'after a limit fills inside a candle, only the stop is checked in that candle (pessimistic); targets from the next candle',
    stopManagement: [
      Number.isFinite(m.breakEvenAtR) ? `stop moves to break-even after +${m.breakEvenAtR}R` : 'no break-even move',
      Number.isFinite(m.breakEvenAtR) ? 'break-even = the entry price (fees not covered)' : '',
      m.trailAtrMultiple > 0 ? `remainder trailed at ${m.trailAtrMultiple} × ATR (signal.context.atr) after the first target` : 'no trailing stop',
      'stop changes apply from the next candle; a stop never widens',
    ].filter((t) => t !== '').join('; '),
    timeStop: m.timeStopBars > 0 ? `exit at the next open after ${m.timeStopBars} bars` : 'none',
    oppositeSignal: `${m.oppositeSignal}: decided on the opposite signal's close, filled at the next open; applies to every detected signal of the setup (an exit needs no score, and works on spot)`,
    positions: m.pyramiding ? 'pyramiding: several positions per market' : 'one position per market at a time (a signal while in a position or with an entry pending is refused with rule "one-position")',
    account: describeAccounts(opts),
    signalPolicy: opts?.policy
      ? `entries need score ≥ ${opts.policy.minScore} and a stopped-trade cost ≤ ${opts.policy.maxCostR} R (fees + slippage at these settings)`
      : 'no minimum score and no cost limit (research)',
    governor: g
      ? 'risk governor applied to every entry as in paper/live (daily loss lock, kill switch, open-risk cap, cooldown, correlation, leverage cap, allowlist); size = its effective risk; a tripped kill switch is lifted by the simulated trader after its window'
      : 'risk governor OFF (research switch --no-governor): no daily lock, kill switch, open-risk cap, cooldown or correlation limit',
    sizing: describeSizing(s.sizing),
    fees: `maker ${(s.fees.maker * 100).toFixed(4)} %, taker ${(s.fees.taker * 100).toFixed(4)} % of notional at the fill price, charged on entry and on every exit`,
    slippage: `${s.slippage.bps} bps + ${s.slippage.atrFraction} × ATR, adverse, on market and stop fills`,
    spread: `${(s.spread.fraction * 100).toFixed(4)} % (${s.spread.model === 'entry-only' ? 'whole spread on entries only, as backtesting.py' : 'half on every market fill'})`,
    equity: 'cash + open positions marked at each candle close; portfolio equity across all markets on the union of their timestamps',
    endOfData:
      s.finalize === 'leave-open'
        ? 'positions open at the end are left open: excluded from trade statistics, included in final equity'
        : `positions open at the end are closed at the last candle ${s.finalize === 'last-open' ? 'OPEN (backtesting.py finalize_trades)' : 'close'}`,
  };
}
