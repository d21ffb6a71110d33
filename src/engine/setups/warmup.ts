/**
 * How many base-timeframe candles a detector must see before its signals are the ones a detector that saw all of
 * history would give. Used alike by the live pipeline, the offline replay and backtests, so all three warm up the
 * same way. Warm-up candles must be candles CLOSED before the start they warm up for.
 *
 * The count is computed from what each setup reads:
 * - finite-window indicators (SMA, Bollinger, Donchian, quantiles, ...) need their window: after it they are exact;
 * - recursive ones (EMA, and Wilder's smoothing in RSI, ATR, ADX; MACD's EMAs) never forget their seed completely.
 *   Convergence rule: the seed's weight in the value, (1 − α)^k after k further candles, must fall below
 *   SEED_WEIGHT (1e-6), so k = ⌈ln 1e-6 / ln(1 − α)⌉; α = 2/(N+1) for an EMA (≈ 6.9·N), 1/N for Wilder (≈ 13.8·N);
 *   a smoothing of a smoothed series (ADX, MACD's signal) adds both;
 * - `@N` look-backs and crosses add N + 1 candles; a signal suppresses its repeats for `validity.bars` candles;
 * - pattern state (swings, structure, liquidity pools, zones) needs PATTERN_MEMORY_SWINGS swings' worth of candles
 *   plus the oldest zone a setup may trade into (patterns.zone_max_age); previous-day/-week levels a day or a week;
 * - a context timeframe multiplies its own need by its length in base candles (a 4h EMA 50 behind a 15m setup needs
 *   16 × (50 + 346 + 2) candles), the + 2 for a cross's previous context candle and the first, usually incomplete,
 *   context period;
 * - the market regime (a `regimes:` enable map or a `regime` condition) needs its classifier's indicators settled, its
 *   drop window, and two min_bars_hold periods for the regime in force to be the one a full history holds
 *   (regimeWarmup; checked on real data in test/engine/regime/regime-criterion.test.ts).
 */
import { parseIndicatorSpec, type IndicatorSpec } from '../indicators/spec.ts';
import { timeframeMs } from '../market/timeframes.ts';
import type { Timeframe } from '../types.ts';
import type { Setup } from './loader.ts';
import { DEFAULT_ZONE_MAX_AGE, type Condition, type Operand } from './schema.ts';
import { LEVEL_SERIES, parseOperand, substituteParams } from './operand.ts';
import { DEFAULT_REGIME_OPTIONS, type RegimeClassifierOptions } from '../regime/classifier.ts';

/** Largest weight the seed of a recursive indicator may keep in its value once warmed up. */
export const SEED_WEIGHT = 1e-6;
/**
 * Swings of history the pattern state depends on in practice: the liquidity detector keeps the last 50 swings, and
 * structure (trend, BOS vs CHoCH) is settled once a few swings have formed and broken. Checked: the shipped pattern
 * setups give identical signals from the start on with this much history (test/engine/setups/warmup.test.ts).
 */
export const PATTERN_MEMORY_SWINGS = 60;
const DAY = 86_400_000;

/** Candles after which an exponential smoothing with factor alpha has forgotten its seed down to SEED_WEIGHT. */
export function settleCandles(alpha: number): number {
  return Math.ceil(Math.log(SEED_WEIGHT) / Math.log(1 - alpha));
}

const ema = (n: number) => settleCandles(2 / (n + 1));
const wilder = (n: number) => settleCandles(1 / n);

/** Candles one indicator needs before its value equals the full-history value (to SEED_WEIGHT). */
export function indicatorWarmup(spec: IndicatorSpec, timeframe: Timeframe): number {
  const [a, b, c] = spec.params;
  switch (spec.name) {
    case 'ema':
      return a + ema(a);
    case 'rsi':
    case 'atr':
      return a + 1 + wilder(a);
    case 'adx':
      return 2 * a + 2 * wilder(a);
    case 'macd':
      return b + c + ema(b) + ema(c);
    case 'sma':
    case 'wma':
    case 'donchian':
    case 'vz':
    case 'bb':
      return a;
    case 'hv':
      return a + 1;
    case 'tr':
      return 2;
    case 'stoch':
      return a + b + c;
    case 'stochf':
      return a + b;
    case 'vwap':
      return Math.ceil(((spec.anchor === 'week' ? 7 : 1) * DAY) / timeframeMs(timeframe)) + 1;
    case 'quantile':
    case 'slope': {
      const source = spec.source;
      return a + (source === undefined || typeof source === 'string' ? 0 : indicatorWarmup(source, timeframe));
    }
    default:
      throw new Error(`no warm-up rule for indicator "${spec.name}"`);
  }
}

/** Candles the regime classifier needs before its regime in force is the one a classifier that saw all history gives. */
export function regimeWarmup(options: RegimeClassifierOptions = {}): number {
  const o = { ...DEFAULT_REGIME_OPTIONS, ...options };
  const spec = (text: string) => indicatorWarmup(parseIndicatorSpec(text), '1h');
  const indicators = Math.max(spec(`ema:${o.emaFast}`), spec(`ema:${o.emaSlow}`) + 1, spec(`adx:${o.adxPeriod}`), spec(`quantile:${o.volWindow}:${o.panicQuantile}:hv:${o.volPeriod}`));
  return indicators + o.dropBars + 2 * o.minBarsHold;
}

/** Does the setup read the market regime (an enable map, or a `regime` condition in a rule, filter or criterion)? */
export function readsRegime(setup: Pick<Setup, 'regimes' | 'rules' | 'filters' | 'score'>): boolean {
  if (setup.regimes && setup.regimes.length > 0) return true;
  return JSON.stringify([setup.rules, setup.filters, setup.score.criteria.map((c) => c.when)]).includes('"regime":');
}

/** Base candles one setup needs (see the module comment). */
export function setupWarmup(setup: Setup): number {
  const tf = setup.timeframe;
  const params = Object.fromEntries(Object.entries(setup.params).map(([k, p]) => [k, p.value]));
  const specWarmup = (raw: string, timeframe: Timeframe) => indicatorWarmup(parseIndicatorSpec(substituteParams(raw, params)), timeframe);
  const reads = whatItReads(setup);

  let base = 0;
  for (const raw of Object.values(setup.indicators)) base = Math.max(base, specWarmup(raw, tf));
  // The deepest `@N`, plus the one candle before it that a cross compares with.
  base += reads.maxOffset + 1;

  let patterns = 0;
  if (reads.patterns) {
    const swing = setup.patterns.swing_length;
    patterns = PATTERN_MEMORY_SWINGS * (2 * swing + 1) + (setup.patterns.zone_max_age ?? DEFAULT_ZONE_MAX_AGE) + reads.maxWithin;
    // Previous-day/-week ranges (levels and their breaks) and the session ranges need one full period before the start.
    patterns += Math.ceil(((reads.week ? 8 : 2) * DAY) / timeframeMs(tf));
  }

  let context = 0;
  if (setup.context) {
    const ctx = setup.context;
    let need = 0;
    for (const raw of Object.values(ctx.indicators)) need = Math.max(need, specWarmup(raw, ctx.timeframe));
    if (reads.htfStructure) need = Math.max(need, PATTERN_MEMORY_SWINGS * (2 * (ctx.patterns?.swing_length ?? 5) + 1));
    const ratio = Math.ceil(timeframeMs(ctx.timeframe) / timeframeMs(tf));
    // + 1 for a cross's previous context candle, + 1 for the first context period, which is usually incomplete.
    context = (need + reads.maxHtfOffset + 2) * ratio;
  }
  const regime = readsRegime(setup) ? regimeWarmup() : 0;
  return Math.max(base, patterns, context, regime) + setup.validity.bars + 1;
}

/**
 * Base candles a detector for `timeframe` needs to warm up every enabled setup on that timeframe; 0 when none runs on it.
 * Signature fixed: the live pipeline, the offline replay and the backtests call it.
 */
export function warmupCandles(setups: readonly Setup[], timeframe: Timeframe): number {
  let most = 0;
  for (const setup of setups) if (setup.enabled && setup.timeframe === timeframe) most = Math.max(most, setupWarmup(setup));
  return most;
}

interface Reads {
  patterns: boolean;
  htfStructure: boolean;
  week: boolean;
  maxOffset: number;
  maxHtfOffset: number;
  maxWithin: number;
}

function whatItReads(setup: Setup): Reads {
  const reads: Reads = { patterns: false, htfStructure: false, week: false, maxOffset: 0, maxHtfOffset: 0, maxWithin: 0 };
  const operand = (o: Operand) => {
    const parsed = parseOperand(o);
    if (parsed?.kind !== 'series') return;
    if (parsed.htf) reads.maxHtfOffset = Math.max(reads.maxHtfOffset, parsed.offset);
    else reads.maxOffset = Math.max(reads.maxOffset, parsed.offset);
    if (!parsed.htf && LEVEL_SERIES.includes(parsed.name)) {
      reads.patterns = true;
      if (parsed.name.startsWith('prev_week')) reads.week = true;
    }
  };
  const visit = (c: Condition): void => {
    if ('all' in c) return c.all.forEach(visit);
    if ('any' in c) return c.any.forEach(visit);
    if ('not' in c) return visit(c.not);
    if ('structure' in c) {
      if (c.timeframe === 'htf') reads.htfStructure = true;
      else reads.patterns = true;
      return;
    }
    if ('pattern' in c) {
      reads.patterns = true;
      reads.maxWithin = Math.max(reads.maxWithin, c.within ?? 0);
      if (c.pattern.startsWith('prev_week')) reads.week = true;
      return;
    }
    if ('regime' in c) return;
    if ('in_zone' in c || 'candle' in c || 'session' in c) {
      reads.patterns = true;
      return;
    }
    for (const value of Object.values(c)) if (Array.isArray(value)) (value as Operand[]).forEach(operand);
  };
  for (const rule of [setup.rules.long, setup.rules.short]) if (rule) visit(rule);
  for (const filter of setup.filters) visit(filter.when);
  for (const criterion of setup.score.criteria) visit(criterion.when);
  if (setup.stop.type === 'swing' || setup.stop.type === 'zone_edge' || setup.entry.type === 'limit') reads.patterns = true;
  if (setup.targets.some((t) => 'liquidity' in t)) reads.patterns = reads.week = true;
  return reads;
}
