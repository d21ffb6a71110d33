/**
 * TA-Lib exactness: every indicator in the three TA-Lib reference files (real TA-Lib C output on real data) must
 * match to 1e-9 relative after warm-up, with NaN exactly where TA-Lib has null, through the batch AND the
 * streaming paths.
 */
import { describe, expect, it } from 'vitest';
import { computeIndicator, createIndicator, toSeries } from '../../../src/engine/indicators/index.ts';
import { TALIB_FILES, TALIB_TO_SPEC, firstMismatch, fixtureCandles, readReference, type TalibFixture } from './reference.ts';

describe.each(TALIB_FILES)('TA-Lib reference %s', (file) => {
  const fixture = readReference<TalibFixture>(file);
  const candles = fixtureCandles(fixture.input);
  const series = toSeries(candles);

  it('covers every indicator in the file', () => {
    expect(Object.keys(fixture.indicators).sort()).toEqual(Object.keys(TALIB_TO_SPEC).sort());
  });

  describe.each(Object.entries(TALIB_TO_SPEC))('%s', (key, { spec, outputs }) => {
    const reference = fixture.indicators[key];
    const refOutputs = Object.values(reference.outputs);

    it('batch matches TA-Lib, null positions included', () => {
      const result = computeIndicator(spec, series);
      outputs.forEach((name, j) => {
        expect(firstMismatch(result[name], refOutputs[j]), name).toBeUndefined();
        expect(result[name].findIndex((x) => !Number.isNaN(x)), name).toBe(reference.first_valid_index);
      });
    });

    it('streaming matches TA-Lib, null positions included', () => {
      const indicator = createIndicator(spec);
      const streamed = outputs.map(() => new Float64Array(candles.length));
      candles.forEach((candle, i) => {
        indicator.update(candle);
        outputs.forEach((name, j) => (streamed[j][i] = indicator.value(name)));
      });
      outputs.forEach((name, j) => {
        expect(firstMismatch(streamed[j], refOutputs[j]), name).toBeUndefined();
        expect(indicator.outputWarmup[name], name).toBe(reference.first_valid_index);
      });
    });
  });
});
