/**
 * The detector against the trader's labels. A label MATCHES a signal of the same setup, symbol, timeframe and side
 * whose candle is within `toleranceBars` candles of the labelled one (either way: a trader may mark the setup candle
 * or the one after it). Matching is one-to-one, closest first. Per setup, symbol and timeframe:
 *   recall    = matched labels / labels            (misses: labels no signal matched)
 *   precision = matched signals / judged signals   (false alarms: judged signals no label matched)
 * Judged signals are those inside the labelled span (first label − tolerance … last label + tolerance): outside it
 * the trader has not said anything, so a signal there is neither right nor wrong.
 */
import type { Signal, Timeframe } from '../../types.ts';
import { timeframeMs } from '../../market/timeframes.ts';
import type { LabelInput } from './parse.ts';
import { maxOf, minOf } from '../../backtest/metrics.ts';

export const DEFAULT_TOLERANCE_BARS = 2;

export interface LabelMatch<L extends LabelInput = LabelInput> {
  label: L;
  signal: Signal;
  /** Signal candle minus labelled candle, in candles. */
  offsetBars: number;
}

export interface DetectorLabelReport<L extends LabelInput = LabelInput> {
  setupId: string;
  symbol: string;
  timeframe: Timeframe;
  toleranceBars: number;
  labels: number;
  judgedSignals: number;
  matched: number;
  precision: number;
  recall: number;
  matches: LabelMatch<L>[];
  misses: L[];
  falseAlarms: Signal[];
}

export function scoreDetector<L extends LabelInput>(labels: readonly L[], signals: readonly Signal[], toleranceBars = DEFAULT_TOLERANCE_BARS): DetectorLabelReport<L>[] {
  const groups = new Map<string, L[]>();
  for (const label of labels) {
    const key = `${label.setupId}|${label.symbol}|${label.timeframe}`;
    groups.set(key, [...(groups.get(key) ?? []), label]);
  }
  const reports: DetectorLabelReport<L>[] = [];
  for (const group of groups.values()) {
    const { setupId, symbol, timeframe } = group[0];
    const tf = timeframeMs(timeframe);
    const tolerance = toleranceBars * tf;
    const stamps = group.map((l) => l.ts);
    const from = minOf(stamps) - tolerance;
    const to = maxOf(stamps) + tolerance;
    const judged = signals.filter((s) => s.setupId === setupId && s.symbol === symbol && s.timeframe === timeframe && s.ts >= from && s.ts <= to);
    const pairs: { l: number; s: number; distance: number }[] = [];
    group.forEach((label, l) => {
      judged.forEach((signal, s) => {
        const distance = Math.abs(signal.ts - label.ts);
        if (signal.side === label.side && distance <= tolerance) pairs.push({ l, s, distance });
      });
    });
    pairs.sort((a, b) => a.distance - b.distance || group[a.l].ts - group[b.l].ts || judged[a.s].ts - judged[b.s].ts);
    const labelUsed = new Set<number>();
    const signalUsed = new Set<number>();
    const matches: LabelMatch<L>[] = [];
    for (const p of pairs) {
      if (labelUsed.has(p.l) || signalUsed.has(p.s)) continue;
      labelUsed.add(p.l);
      signalUsed.add(p.s);
      matches.push({ label: group[p.l], signal: judged[p.s], offsetBars: Math.round((judged[p.s].ts - group[p.l].ts) / tf) });
    }
    matches.sort((a, b) => a.label.ts - b.label.ts);
    reports.push({
      setupId,
      symbol,
      timeframe,
      toleranceBars,
      labels: group.length,
      judgedSignals: judged.length,
      matched: matches.length,
      precision: judged.length > 0 ? matches.length / judged.length : NaN,
      recall: matches.length / group.length,
      matches,
      misses: group.filter((_, l) => !labelUsed.has(l)).sort((a, b) => a.ts - b.ts),
      falseAlarms: judged.filter((_, s) => !signalUsed.has(s)),
    });
  }
  return reports.sort((a, b) => (a.setupId + a.symbol < b.setupId + b.symbol ? -1 : 1));
}
