/**
 * The verdict on a claim from its out-of-sample trades (the walk-forward test windows, fixed parameters, net of fees
 * and slippage), in R per trade:
 *  - fewer than THEORY_MIN_TRADES trades → inconclusive (too few to say anything);
 *  - the 95 % confidence interval of the expectancy lies above 0 → supported;
 *  - the expectancy itself is ≤ 0 → not supported (net of costs the rule loses or breaks even);
 *  - otherwise (positive but the interval reaches 0 or below) → inconclusive.
 * The interval is the normal approximation mean ± 1.96 · sd / √n (at n ≥ 30 close enough to Student's t: 2.05 at
 * n = 30, so it errs slightly towards "supported"; the sample-size floor keeps that small). Pure: numbers in, verdict out.
 */

export const THEORY_MIN_TRADES = 30;
const Z95 = 1.959964;

export type TheoryVerdict = 'supported' | 'not supported' | 'inconclusive';
/** Why, as a key the bot words in the trader's language. */
export type VerdictReason = 'too-few-trades' | 'ci-above-zero' | 'expectancy-not-positive' | 'ci-includes-zero';

export interface VerdictNumbers {
  verdict: TheoryVerdict;
  reason: VerdictReason;
  trades: number;
  /** Mean net R per trade; NaN without trades. */
  expectancyR: number;
  ciLowR: number;
  ciHighR: number;
  winRatePct: number;
}

export function theoryVerdict(rMultiples: readonly number[], minTrades = THEORY_MIN_TRADES): VerdictNumbers {
  const rs = rMultiples.filter((r) => Number.isFinite(r));
  const n = rs.length;
  let sum = 0;
  for (const r of rs) sum += r;
  const mean = n > 0 ? sum / n : NaN;
  let squares = 0;
  for (const r of rs) squares += (r - mean) ** 2;
  const sd = n > 1 ? Math.sqrt(squares / (n - 1)) : NaN;
  const half = n > 1 ? (Z95 * sd) / Math.sqrt(n) : NaN;
  const wins = rs.filter((r) => r > 0).length;
  const base = { trades: n, expectancyR: mean, ciLowR: mean - half, ciHighR: mean + half, winRatePct: n > 0 ? (wins / n) * 100 : NaN };
  if (n < minTrades) return { ...base, verdict: 'inconclusive', reason: 'too-few-trades' };
  if (base.ciLowR > 0) return { ...base, verdict: 'supported', reason: 'ci-above-zero' };
  if (!(mean > 0)) return { ...base, verdict: 'not supported', reason: 'expectancy-not-positive' };
  return { ...base, verdict: 'inconclusive', reason: 'ci-includes-zero' };
}
