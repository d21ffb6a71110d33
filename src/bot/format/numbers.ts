/**
 * Prices span from 60,000 (BTC) to 0.00001 (meme coins): a fixed number of decimals either hides the move or prints
 * noise, so the decimals follow the magnitude (about five significant digits, at least two decimals).
 */
export function priceDecimals(price: number): number {
  const magnitude = Math.abs(price);
  if (!Number.isFinite(magnitude) || magnitude === 0) return 2;
  if (magnitude >= 1000) return 2;
  const digitsBeforePoint = Math.floor(Math.log10(magnitude)) + 1;
  return Math.min(10, Math.max(2, 5 - digitsBeforePoint));
}

export function formatPrice(price: number): string {
  if (!Number.isFinite(price)) return String(price);
  return price.toFixed(priceDecimals(price));
}

/** 0.5342 → "53.4%". */
export function formatPercent(fraction: number, decimals = 1): string {
  return `${(fraction * 100).toFixed(decimals)}%`;
}

/** A multiple of the initial risk with its sign: 1.5 → "+1.50R". */
export function formatR(r: number): string {
  return `${r >= 0 ? '+' : '−'}${Math.abs(r).toFixed(2)}R`;
}

export function formatScore(score: number): string {
  return score.toFixed(1);
}
