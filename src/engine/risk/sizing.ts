/** Exchange rounding of an order's amount: always DOWN, so rounding can never push a trade past a limit. */

export function roundDownToStep(units: number, step: number): number {
  if (!(units > 0)) return 0;
  if (!(step > 0)) return units;
  // The tolerance keeps 0.3 / 0.1 = 2.9999999999999996 from losing a whole step; the guard below keeps the
  // tolerance from ever rounding up past the limit itself.
  let k = Math.floor(units / step + 1e-9);
  while (k > 0 && k * step > units) k -= 1;
  return stepDecimals(step) === null ? k * step : Number((k * step).toFixed(stepDecimals(step)!));
}

/** Decimals of a step like 0.001 (3), so 3 × 0.1 prints 0.3 rather than 0.30000000000000004. */
function stepDecimals(step: number): number | null {
  const text = step.toString();
  if (text.includes('e')) return null;
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}
