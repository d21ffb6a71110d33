/**
 * The pictures of a backtest: the equity curve (with buy-and-hold for comparison) and a few annotated trades — the
 * best, the worst and typical ones — each drawn as the detector saw it: candles up to the signal and nothing after.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Candle, Signal } from '../../types.ts';
import type { Setup } from '../../setups/index.ts';
import type { BacktestReport, EquityCurve, TradeRecord } from '../types.ts';

/** At most this many points on the equity chart: more adds nothing visible at 1280 px and slows rendering. */
const MAX_EQUITY_POINTS = 2000;

function thin<T>(items: T[], max: number): T[] {
  if (items.length <= max) return items;
  const step = (items.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => items[Math.round(i * step)]);
}

/** Keeps each bucket's lowest and highest point (in time order) so thinning never hides a peak or a drawdown. */
function thinExtremes(points: { ts: number; equity: number }[], max: number): { ts: number; equity: number }[] {
  if (points.length <= max) return points;
  const buckets = Math.floor(max / 2);
  const size = points.length / buckets;
  const out: { ts: number; equity: number }[] = [];
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor(b * size);
    const end = Math.min(points.length, Math.floor((b + 1) * size));
    let lo = start;
    let hi = start;
    for (let i = start; i < end; i++) {
      if (points[i].equity < points[lo].equity) lo = i;
      if (points[i].equity > points[hi].equity) hi = i;
    }
    for (const i of lo === hi ? [lo] : lo < hi ? [lo, hi] : [hi, lo]) out.push(points[i]);
  }
  const last = points[points.length - 1];
  if (out[out.length - 1] !== last) out.push(last);
  return out;
}

export async function renderEquityPng(report: BacktestReport, title: string, candles: readonly Candle[], currency?: string): Promise<Buffer> {
  const { renderEquityChart } = await import('../../charts/equity-chart.ts');
  const points = thinExtremes(curvePoints(report.equity), MAX_EQUITY_POINTS);
  const s = report.stats;
  const first = candles[Math.min(report.warmupBars, candles.length - 1)];
  const benchmark =
    first && first.close > 0
      ? thin(candles.slice(report.warmupBars).map((c) => ({ ts: c.ts, equity: (report.initialCash * c.close) / first.close })), MAX_EQUITY_POINTS)
      : undefined;
  const stats = [`Trades ${s.trades}`, `Win rate ${fixed(s.winRatePct, 0)}%`, `PF ${fixed(s.profitFactor, 2)}`, `Sharpe ${fixed(s.sharpe, 2)}`];
  const { png } = await renderEquityChart({ title, points, benchmark: benchmark && benchmark.length >= 2 ? benchmark : undefined, currency, stats });
  return png;
}

function curvePoints(equity: EquityCurve): { ts: number; equity: number }[] {
  const out: { ts: number; equity: number }[] = [];
  for (let i = 0; i < equity.ts.length; i++) if (!out.length || equity.ts[i] > out[out.length - 1].ts) out.push({ ts: equity.ts[i], equity: Math.max(0, equity.equity[i]) });
  return out;
}

const fixed = (v: number, digits: number) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');

/** Best and worst by R (P&L when there is no stop), then trades nearest the median: what a usual trade looks like. */
export function pickTrades(trades: readonly TradeRecord[], typical = 2): { label: string; trade: TradeRecord }[] {
  if (trades.length === 0) return [];
  const value = (t: TradeRecord) => (Number.isFinite(t.rMultiple) ? t.rMultiple : t.returnPct);
  const sorted = [...trades].sort((a, b) => value(a) - value(b) || a.id - b.id);
  const picked: { label: string; trade: TradeRecord }[] = [{ label: 'best', trade: sorted[sorted.length - 1] }];
  if (sorted.length > 1) picked.push({ label: 'worst', trade: sorted[0] });
  const mid = Math.floor((sorted.length - 1) / 2);
  const nearMedian = sorted.map((t, i) => ({ t, d: Math.abs(i - mid) })).sort((a, b) => a.d - b.d || a.t.id - b.t.id);
  for (const { t } of nearMedian) {
    if (picked.filter((p) => p.label.startsWith('typical')).length >= typical) break;
    if (!picked.some((p) => p.trade === t)) picked.push({ label: `typical-${picked.length - 1}`, trade: t });
  }
  return picked;
}

/** Writes `trade-<label>.png` per picked trade whose signal is known; returns the files written. */
export async function writeTradeCharts(
  report: BacktestReport,
  signals: ReadonlyMap<string, Signal>,
  candles: readonly Candle[],
  setup: Setup,
  dir: string,
): Promise<string[]> {
  const { buildSignalChartSpec } = await import('../../signals/chart-spec.ts');
  const { renderSignalChart } = await import('../../charts/signal-chart.ts');
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  for (const { label, trade } of pickTrades(report.trades)) {
    const signal = signals.get(trade.signalId);
    if (!signal) continue;
    const upToSignal = candles.filter((c) => c.ts <= signal.ts);
    const spec = buildSignalChartSpec(signal, upToSignal, setup);
    const outcome = `${trade.exitReason}, ${Number.isFinite(trade.rMultiple) ? `${trade.rMultiple.toFixed(2)}R` : `${(trade.returnPct * 100).toFixed(2)} %`}`;
    const { png } = await renderSignalChart({ ...spec, title: { ...spec.title, setup: `${spec.title.setup} · ${label} trade #${trade.id}: ${outcome}` } });
    const file = path.join(dir, `trade-${label}.png`);
    await writeFile(file, png);
    files.push(file);
  }
  return files;
}
