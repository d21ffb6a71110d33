/**
 * The regime as a scoring criterion (issue 13: "the regime … is a scoring criterion"): `{ regime: [...] }` in the
 * setup DSL, side-relative words `trend_side` / `trend_opposite`, unknown while the classifier warms up. On real
 * candles the points a criterion earns equal an independent reading of the regime (a fresh classifier run over the
 * series on its own), and the live pipeline, the backtester's signal source and `ita detect` score alike.
 */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSetup } from '../../../src/engine/setups/index.ts';
import { InputError } from '../../../src/engine/errors.ts';
import { evaluate, type EvalContext } from '../../../src/engine/setups/evaluate.ts';
import type { Condition } from '../../../src/engine/setups/schema.ts';
import { classifyRegimes } from '../../../src/engine/regime/classifier.ts';
import { regimeWarmup, warmupCandles } from '../../../src/engine/setups/warmup.ts';
import { detectSignals } from '../../../src/engine/signals/detect.ts';
import { detectorSource } from '../../../src/engine/backtest/detector-source.ts';
import { recentSignals } from '../../../src/engine/journal/signals.ts';
import type { Regime } from '../../../src/engine/regime/types.ts';
import type { MarketKey, Signal } from '../../../src/engine/types.ts';
import { loadSampleCandles, ROOT } from '../../helpers/candles.ts';
import { tempDb } from '../journal/fixtures.ts';
import { newPipeline } from '../live/rig.ts';

const EMA = readFileSync(path.join(ROOT, 'setups/ema_cross.yaml'), 'utf8');
const PASS = 'the regime is a trend in the signal direction';
const FAIL = 'no trend regime on the signal side';
/** ema_cross with one more criterion, weight 3: its total weight goes from 5 to 8. */
const withCriterion = (when: string) =>
  parseSetup(EMA.replace('validity: { bars: 2 }', `    - { name: regime_trend, weight: 3, when: ${when}, pass: "${PASS}", fail: "${FAIL}" }\nvalidity: { bars: 2 }`), 'ema_cross.yaml');

const context = (side: 'bull' | 'bear', regime: Regime | undefined): EvalContext => ({
  side,
  series: () => NaN,
  param: () => NaN,
  patternWithin: () => false,
  inZone: () => false,
  candlePattern: () => false,
  inSession: () => false,
  structure: () => undefined,
  regime: () => regime,
});

describe('the `regime` condition', () => {
  it('is true in a listed regime, false in another, unknown while the regime is not known; trend_side follows the side', () => {
    const truth = (c: Condition, side: 'bull' | 'bear', r: Regime | undefined) => evaluate(c, context(side, r)).truth;
    const side: Condition = { regime: ['trend_side'] };
    expect(truth(side, 'bull', 'trend_up')).toBe('true');
    expect(truth(side, 'bear', 'trend_up')).toBe('false');
    expect(truth(side, 'bear', 'trend_down')).toBe('true');
    expect(truth(side, 'bull', 'trend_down')).toBe('false');
    expect(truth({ regime: ['trend_opposite'] }, 'bull', 'trend_down')).toBe('true');
    expect(truth({ regime: ['trend_opposite'] }, 'bear', 'trend_down')).toBe('false');
    expect(truth({ regime: ['range_lowvol', 'range_highvol'] }, 'bear', 'range_highvol')).toBe('true');
    expect(truth({ regime: ['range_lowvol', 'range_highvol'] }, 'bull', 'panic')).toBe('false');
    // Unknown is never true, and `not` does not turn it into true.
    expect(truth(side, 'bull', undefined)).toBe('unknown');
    expect(truth({ not: side }, 'bull', undefined)).toBe('unknown');
    // A detector without a classifier (no reader) cannot know the regime either.
    const { regime: _none, ...blind } = context('bull', 'trend_up');
    expect(evaluate(side, blind).truth).toBe('unknown');
  });

  it('is validated with the file line and field; a new criterion is a new version', () => {
    const setup = withCriterion('{ regime: [trend_side] }');
    expect(setup.score.criteria.at(-1)!.when).toEqual({ regime: ['trend_side'] });
    expect(setup.version).not.toBe(parseSetup(EMA, 'ema_cross.yaml').version);
    try {
      withCriterion('{ regime: [sideways] }');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      const e = error as InputError;
      expect(e.details.field).toBe('score.criteria[3].when.regime[0]');
      expect(e.message).toMatch(/trend_side/);
    }
  });
});

describe('a regime criterion on real candles', () => {
  const candles = loadSampleCandles('binance_BTCUSDT_1h').slice(0, 6000);
  const market: MarketKey = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' };
  const setup = withCriterion('{ regime: [trend_side] }');
  const base = parseSetup(EMA, 'ema_cross.yaml');

  it('earns its points exactly when an independent reading of the regime is the trend on the signal side', () => {
    const independent = classifyRegimes(candles);
    const regimeAt = new Map(candles.map((c, i) => [c.ts, independent[i].regime]));
    const signals = detectSignals(candles, { market, setups: [setup] });
    const plain = new Map(detectSignals(candles, { market, setups: [base] }).map((s) => [`${s.ts}:${s.side}`, s]));
    expect(signals.length).toBeGreaterThan(50);
    let earned = 0;
    let unknown = 0;
    for (const s of signals) {
      const regime = regimeAt.get(s.ts);
      const holds = regime === (s.side === 'long' ? 'trend_up' : 'trend_down');
      if (holds) earned++;
      if (regime === undefined) unknown++;
      // Hand computation: score = 10 × earned weight / total weight (no history). The setup without the criterion
      // earned 10 × e / 5, so with it: 10 × (e + 3 × holds) / 8.
      const without = plain.get(`${s.ts}:${s.side}`)!;
      const e = (without.score * 5) / 10;
      expect(s.score, `${new Date(s.ts).toISOString()} ${s.side} ${regime}`).toBeCloseTo(Math.round(((10 * (e + (holds ? 3 : 0))) / 8) * 10) / 10, 9);
      expect(s.reasons.strengths.includes(PASS)).toBe(holds);
      expect(s.reasons.weaknesses.includes(FAIL)).toBe(!holds);
      expect(s.context.regime).toBe(regime ?? 'unknown');
    }
    // Both outcomes occur, and signals in the classifier's warm-up are scored without the points (unknown ≠ true).
    expect(earned).toBeGreaterThan(10);
    expect(earned).toBeLessThan(signals.length - 10);
    expect(unknown).toBeGreaterThan(0);
  });

  it('scores alike in the live pipeline, the backtester and `ita detect`, and after the computed warm-up', async () => {
    const slice = candles.slice(0, 2500);
    const detected = detectSignals(slice, { market, setups: [setup] });
    const key = (s: Signal) => `${s.id}:${s.score}`;
    const emitted: Signal[] = [];
    const source = detectorSource([{ key: market }], [setup], { onSignal: (s) => emitted.push(s) });
    slice.forEach((c, i) => source.onCandle(0, i, c));
    expect(emitted.map(key).sort()).toEqual(detected.map(key).sort());

    const db = await tempDb();
    try {
      const pipeline = newPipeline(db.store, { setups: () => [setup] });
      for (const candle of slice) await pipeline.processCloses([{ market, candle }], { now: candle.ts + 3_600_000 });
      expect((await recentSignals(db.store.db, 10_000)).map(key).sort()).toEqual(detected.map(key).sort());
    } finally {
      await db.cleanup();
    }

    // A detector that starts `warmupCandles` before a start point scores every later signal as the full history does.
    const warmup = warmupCandles([setup], '1h');
    expect(warmup).toBeLessThan(2000);
    expect(warmup).toBeGreaterThanOrEqual(regimeWarmup());
    const full = detectSignals(candles, { market, setups: [setup] });
    for (const start of [2000, 3600, 5200]) {
      const late = detectSignals(candles.slice(start - warmup), { market, setups: [setup], from: candles[start].ts });
      expect(late.map(key)).toEqual(full.filter((s) => s.ts >= candles[start].ts).map(key));
    }
  }, 120_000);
});

describe('the regime warm-up', () => {
  it('a classifier that starts regimeWarmup() candles early reads the regime a full history reads, on real data', () => {
    const warmup = regimeWarmup();
    for (const file of ['binance_BTCUSDT_1h', 'binance_BTCUSDT_15m', 'binance_BTCUSDT_4h']) {
      const candles = loadSampleCandles(file).slice(0, 9000);
      const full = classifyRegimes(candles).map((r) => r.regime);
      for (let start = 1000; start + 600 < candles.length; start += 1111) {
        const late = classifyRegimes(candles.slice(start - warmup, start + 600)).map((r) => r.regime).slice(warmup);
        expect(late, `${file} from candle ${start}`).toEqual(full.slice(start, start + 600));
      }
    }
  });
});
