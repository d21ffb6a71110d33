/**
 * The regime in words, for the signal caption and `/status` (the bot formats; these are the engine's words).
 * Russian and English, as the trader chose.
 */
import type { Regime, RegimeReading } from './types.ts';

const NAMES: Record<Regime, { en: string; ru: string }> = {
  trend_up: { en: 'uptrend', ru: 'восходящий тренд' },
  trend_down: { en: 'downtrend', ru: 'нисходящий тренд' },
  range_lowvol: { en: 'quiet range', ru: 'спокойный диапазон' },
  range_highvol: { en: 'volatile range', ru: 'волатильный диапазон' },
  panic: { en: 'panic', ru: 'паника' },
};

export function regimeName(regime: Regime | undefined, lang: 'en' | 'ru' = 'en'): string {
  if (!regime) return lang === 'ru' ? 'режим ещё не определён' : 'regime not known yet';
  return NAMES[regime][lang];
}

/** "Regime: uptrend (trend_up) for 14 candles; volatile range pending 2/6". */
export function describeRegime(reading: RegimeReading, minBarsHold: number, lang: 'en' | 'ru' = 'en'): string {
  const head = lang === 'ru' ? 'Режим' : 'Regime';
  if (!reading.regime) return `${head}: ${regimeName(undefined, lang)}`;
  const since = lang === 'ru' ? `${reading.barsInRegime} св.` : `for ${reading.barsInRegime} candle${reading.barsInRegime === 1 ? '' : 's'}`;
  let text = `${head}: ${regimeName(reading.regime, lang)} (${reading.regime}) ${since}`;
  if (reading.pending) {
    text += lang === 'ru'
      ? `; возможна смена на «${regimeName(reading.pending.regime, lang)}» ${reading.pending.bars}/${minBarsHold}`
      : `; ${regimeName(reading.pending.regime, lang)} pending ${reading.pending.bars}/${minBarsHold}`;
  }
  return text;
}
