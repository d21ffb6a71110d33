/**
 * Market regimes (specification: RegimeAgent labels trend_up, trend_down, range_lowvol, range_highvol, panic) and the
 * switching rule min_bars_hold = 6: a new label must be seen on 6 consecutive closed candles before the regime
 * switches, so one odd candle cannot flip which setups may trade.
 */
export const REGIMES = ['trend_up', 'trend_down', 'range_lowvol', 'range_highvol', 'panic'] as const;
export type Regime = (typeof REGIMES)[number];

export const MIN_BARS_HOLD = 6;

export function isRegime(value: unknown): value is Regime {
  return typeof value === 'string' && (REGIMES as readonly string[]).includes(value);
}

/** The classifier's reading after one closed candle. `regime` is undefined while warming up (unknown, never a guess). */
export interface RegimeReading {
  /** The regime in force (after hysteresis). */
  regime: Regime | undefined;
  /** This candle's raw label before hysteresis. */
  raw: Regime | undefined;
  /** Closed candles the regime in force has lasted, this one included. */
  barsInRegime: number;
  /** The label waiting to take over and how many consecutive candles it has held so far. */
  pending?: { regime: Regime; bars: number };
}
