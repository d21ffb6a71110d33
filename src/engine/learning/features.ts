/**
 * Features of a signal for the success model, all known at the signal candle's close: they come from the Signal
 * and its context snapshot only (score, reasons, plan, costs, regime, indicator readings, sessions, structure).
 *
 * Fixed features (every setup):
 *   score, strengths − weaknesses, side, limit entry, gross R:R, net R:R (signals/costs.ts), stop costs in R,
 *   stop distance in ATR, volatility (ATR / close), regime (one-hot of the five labels, unknown = none),
 *   candles in the regime (log), higher-timeframe/structure agreement with the side (+1 / −1 / 0),
 *   London / New York / Asia session flags, time of day (sine and cosine of the UTC hour), weekend.
 * Setup features: every other numeric context value the setup's own indicators wrote (e.g. rsi, vz). Values that
 * live on the price scale (an EMA, a zone edge: within a factor 2 of the close) enter as their distance from the
 * close in ATR, so a model trained in one year still means something at another price level.
 */
import type { Signal } from '../types.ts';
import { REGIMES } from '../regime/types.ts';
import { timeframeMs } from '../market/timeframes.ts';

const FIXED = [
  'score',
  'reasons_balance',
  'side_long',
  'entry_limit',
  'rr',
  'net_rr',
  'stop_cost_r',
  'stop_atr',
  'atr_pct',
  ...REGIMES.map((r) => `regime_${r}`),
  'regime_bars_log',
  'structure_agrees',
  'session_london',
  'session_new_york',
  'session_asia',
  'hour_sin',
  'hour_cos',
  'weekend',
] as const;

/** Context keys that are not setup features (used above, or identify the candle). */
const RESERVED = new Set([
  'close', 'atr', 'regime', 'regimeBars', 'structure', 'sessions', 'breakEvenAtR', 'trailAtrMultiple', 'timeStopBars',
  // The model's own verdict on a journaled signal (../learning/journal/annotate.ts) must never become its input.
  'successEvidence', 'successProbability', 'successAuc', 'successAucLow', 'successAucHigh', 'successN',
]);

export interface FeatureSchema {
  names: string[];
  /** Setup context keys, and whether each is read as a distance from the close in ATR. */
  contextKeys: { key: string; priceScale: boolean }[];
}

/** The feature schema of a sample of signals (one setup version): fixed features + its numeric context keys. */
export function featureSchema(signals: readonly Signal[]): FeatureSchema {
  const counts = new Map<string, { n: number; priceLike: number }>();
  for (const s of signals) {
    const close = num(s.context.close);
    for (const [key, value] of Object.entries(s.context)) {
      if (RESERVED.has(key) || typeof value !== 'number' || !Number.isFinite(value)) continue;
      const c = counts.get(key) ?? { n: 0, priceLike: 0 };
      c.n++;
      if (close > 0 && value / close > 0.5 && value / close < 2) c.priceLike++;
      counts.set(key, c);
    }
  }
  const contextKeys = [...counts.entries()]
    .filter(([, c]) => c.n >= 0.9 * signals.length)
    .map(([key, c]) => ({ key, priceScale: c.priceLike >= 0.9 * c.n }))
    .sort((a, b) => (a.key < b.key ? -1 : 1));
  return { names: [...FIXED, ...contextKeys.map((k) => `ctx_${k.key}`)], contextKeys };
}

export function signalFeatures(signal: Signal, schema: FeatureSchema): number[] {
  const ctx = signal.context;
  const close = num(ctx.close);
  const atr = num(ctx.atr);
  const regime = typeof ctx.regime === 'string' ? ctx.regime : undefined;
  const structure = ctx.structure;
  const aligned = structure === 'bullish' ? 1 : structure === 'bearish' ? -1 : 0;
  const sessions = typeof ctx.sessions === 'string' ? ctx.sessions.toLowerCase() : '';
  const closeTime = new Date(signal.ts + timeframeMs(signal.timeframe));
  const hour = closeTime.getUTCHours() + closeTime.getUTCMinutes() / 60;
  const day = closeTime.getUTCDay();
  const fixed = [
    signal.score,
    signal.reasons.strengths.length - signal.reasons.weaknesses.length,
    signal.side === 'long' ? 1 : 0,
    signal.entryType === 'limit' ? 1 : 0,
    signal.rr,
    signal.costs?.netRR ?? NaN,
    signal.costs?.stopCostR ?? NaN,
    atr > 0 ? Math.abs(signal.entry - signal.stop) / atr : NaN,
    close > 0 ? atr / close : NaN,
    ...REGIMES.map((r) => (regime === r ? 1 : 0)),
    Math.log1p(num(ctx.regimeBars) || 0),
    signal.side === 'long' ? aligned : -aligned,
    sessions.includes('london') ? 1 : 0,
    sessions.includes('new york') || sessions.includes('new_york') ? 1 : 0,
    sessions.includes('asia') ? 1 : 0,
    Math.sin((2 * Math.PI * hour) / 24),
    Math.cos((2 * Math.PI * hour) / 24),
    day === 0 || day === 6 ? 1 : 0,
  ];
  const setupValues = schema.contextKeys.map(({ key, priceScale }) => {
    const v = num(ctx[key]);
    if (!priceScale) return v;
    return atr > 0 ? (v - close) / atr : NaN;
  });
  return [...fixed, ...setupValues];
}

function num(value: unknown): number {
  return typeof value === 'number' ? value : NaN;
}
