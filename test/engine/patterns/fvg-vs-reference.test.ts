/**
 * The causal FVG detector uses the library's gap rule and mitigation rule, only emitted on the confirming
 * candle; so on the EURUSD fixture it must find exactly the library's gaps, and each mitigation must come at the
 * library's MitigatedIndex (0 there = still unmitigated here at the end).
 */
import { expect, it } from 'vitest';
import { PatternEngine, type PatternEvent } from '../../../src/engine/patterns/index.ts';
import { loadEurusd15m, loadExpected } from './eurusd.ts';

it('causal FVGs and their mitigations match fvg_result_data.csv', () => {
  const candles = loadEurusd15m();
  const expected = loadExpected('fvg_result_data.csv').columns;
  const engine = new PatternEngine({ sessions: [], previousHighLow: [], candlePatterns: false, fvg: { maxActive: 1e9 } });
  const events: PatternEvent[] = [];
  for (const c of candles) events.push(...engine.update(c).filter((e) => e.kind === 'fvg' || e.kind === 'fvg-mitigated'));
  const gaps = new Map<number, string>();
  const mitigatedAt = new Map<number, number>();
  for (const e of events) {
    if (e.kind === 'fvg') {
      expect(e.confirmedIndex).toBe(e.index + 1);
      gaps.set(e.index, `${e.direction === 'bullish' ? 1 : -1} ${e.top} ${e.bottom}`);
    } else {
      mitigatedAt.set(e.index, e.confirmedIndex);
    }
  }
  const referenceGaps = new Map<number, string>();
  let stillOpen = 0;
  for (let i = 0; i < candles.length; i++) {
    if (Number.isNaN(expected.FVG[i])) continue;
    referenceGaps.set(i, `${expected.FVG[i]} ${expected.Top[i]} ${expected.Bottom[i]}`);
    if (expected.MitigatedIndex[i] === 0) stillOpen++;
    expect(mitigatedAt.get(i) ?? 0, `gap at row ${i}`).toBe(expected.MitigatedIndex[i]);
  }
  expect(referenceGaps.size).toBe(2559 + 2461);
  expect(gaps).toEqual(referenceGaps);
  expect(engine.state().activeFvgs.length).toBe(stillOpen);
});
