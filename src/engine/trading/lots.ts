/**
 * Lot arithmetic in whole steps. `k × step` in floating point can land a hair ABOVE the true multiple
 * (3 × 0.1 = 0.30000000000000004): a size built that way can exceed the free margin it was capped by. The count of
 * steps is an integer, the value is rebuilt from it with the step's decimals, and it is never above `units`.
 */
export function floorToStep(units: number, step: number): number {
  if (!(units > 0)) return 0;
  if (!(step > 0)) return units;
  const decimals = stepDecimals(step);
  let k = Math.floor(units / step + 1e-9);
  for (;;) {
    if (k <= 0) return 0;
    const value = decimals === null ? k * step : Number((k * step).toFixed(decimals));
    if (value <= units) return value;
    k -= 1;
  }
}

function stepDecimals(step: number): number | null {
  const text = step.toString();
  if (text.includes('e')) return null;
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}
