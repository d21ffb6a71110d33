/**
 * The parts (families) of the pattern engine that can run on their own. A setup that reads only candle patterns does
 * not need order blocks, liquidity or the sessions' time-zone arithmetic; the detector of a backtest asks the engine
 * to run only the families its setups read (signals/pattern-families.ts). A family not run leaves its part of the
 * state empty, exactly as before the first candle.
 */

export type PatternFamily =
  | 'candle-patterns'
  | 'sessions'
  | 'previous-high-low'
  | 'swings'
  | 'structure'
  | 'fvg'
  | 'order-blocks'
  | 'liquidity'
  | 'retracement';

export const PATTERN_FAMILIES: readonly PatternFamily[] = [
  'candle-patterns',
  'sessions',
  'previous-high-low',
  'swings',
  'structure',
  'fvg',
  'order-blocks',
  'liquidity',
  'retracement',
];

/**
 * What each family is computed from. Structure breaks, order blocks (the block between a swing and its break),
 * liquidity pools (equal swings) and the retracement leg are all built from confirmed swings. Liquidity's tolerance
 * also needs its ATR, which the engine runs exactly when liquidity runs.
 */
const NEEDS: Readonly<Record<PatternFamily, readonly PatternFamily[]>> = {
  'candle-patterns': [],
  sessions: [],
  'previous-high-low': [],
  swings: [],
  structure: ['swings'],
  fvg: [],
  'order-blocks': ['swings'],
  liquidity: ['swings'],
  retracement: ['swings'],
};

/** The families plus everything they are computed from. */
export function withDependencies(families: Iterable<PatternFamily>): Set<PatternFamily> {
  const out = new Set<PatternFamily>();
  const add = (family: PatternFamily): void => {
    if (out.has(family)) return;
    out.add(family);
    NEEDS[family].forEach(add);
  };
  for (const family of families) add(family);
  return out;
}
