/** Backtest equity curve (top panel) with its drawdown in percent (bottom panel) and optional buy-and-hold line. */
import type { Chart, Plugin } from 'chart.js';
import { downsampleMinMax, extent, formatPercent, formatPrice, formatTickTime, timeTicks } from './format.ts';
import { drawHeader, HEADER, type LegendItem, type Segment } from './header.ts';
import { renderPng } from './renderer.ts';
import { layoutRecorder, type ChartLayout, type RenderedChart } from './signal-chart.ts';
import { DEFAULT_HEIGHT, DEFAULT_WIDTH, type EquityChartSpec, type EquityPoint } from './spec.ts';
import { COLORS, FONT_SIZE } from './theme.ts';
import { validateEquityChartSpec } from './validate.ts';
import { horizontalLine, text, type Ctx2D } from './draw.ts';

/** Drawdown from the running peak, in percent (0 at a new high, negative below it). */
export function drawdownPercent(equity: number[]): number[] {
  let peak = -Infinity;
  return equity.map((value) => {
    peak = Math.max(peak, value);
    return peak > 0 ? (value / peak - 1) * 100 : 0;
  });
}

/** Smallest 1-2-5 round number at or above `value`, so the drawdown axis ends on a readable tick. */
function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  return ([1, 1.5, 2, 2.5, 5, 10].find((step) => step * power >= value) ?? 10) * power;
}

export interface EquitySummary {
  returnPercent: number;
  maxDrawdownPercent: number;
  final: number;
}

export function summarizeEquity(points: EquityPoint[]): EquitySummary {
  const first = points[0].equity;
  const final = points[points.length - 1].equity;
  return {
    returnPercent: first > 0 ? (final / first - 1) * 100 : 0,
    maxDrawdownPercent: Math.min(0, extent(drawdownPercent(points.map((point) => point.equity))).min),
    final,
  };
}

function statsLine(spec: EquityChartSpec, summary: EquitySummary, decimals: number): Segment[] {
  const currency = spec.currency ? ` ${spec.currency}` : '';
  const segments: Segment[] = [
    { text: 'Return ', color: COLORS.mutedText },
    { text: formatPercent(summary.returnPercent), color: summary.returnPercent >= 0 ? COLORS.target : COLORS.stop, bold: true },
    { text: '   Max DD ', color: COLORS.mutedText },
    { text: formatPercent(summary.maxDrawdownPercent), color: COLORS.stop, bold: true },
    { text: '   Final ', color: COLORS.mutedText },
    { text: `${formatPrice(summary.final, decimals)}${currency}`, color: COLORS.text, bold: true },
  ];
  for (const stat of spec.stats ?? []) segments.push({ text: `   ${stat}`, color: COLORS.text });
  return segments;
}

function headerPlugin(spec: EquityChartSpec, width: number, summary: EquitySummary, decimals: number): Plugin {
  const legend: LegendItem[] = [{ label: 'Equity', color: COLORS.equity, swatch: 'line' }];
  if (spec.benchmark) legend.push({ label: 'Buy & hold', color: COLORS.benchmark, swatch: 'dashed' });
  legend.push({ label: 'Drawdown', color: COLORS.drawdownFill, swatch: 'box' });
  return {
    id: 'itaEquityHeader',
    afterDraw(chart: Chart) {
      const ctx = chart.ctx as unknown as Ctx2D;
      drawHeader(ctx, width, chart.chartArea.left, chart.chartArea.top, spec.title, statsLine(spec, summary, decimals), legend);
      // A rule between the panels so the equity ticks are not read as drawdown ticks.
      const panel = chart.scales.drawdown;
      horizontalLine(ctx, chart.chartArea.left, chart.chartArea.right, panel.top - 1, COLORS.axis, 1);
      text(ctx, 'Drawdown', chart.chartArea.left + 6, panel.bottom - 4, FONT_SIZE.label, COLORS.drawdownLine, { baseline: 'bottom' });
    },
  };
}

function buildConfig(spec: EquityChartSpec, width: number, onLayout: (layout: ChartLayout) => void): unknown {
  const points = spec.points;
  const summary = summarizeEquity(points);
  const decimals = 2;
  const drawdown = drawdownPercent(points.map((point) => point.equity));
  const from = points[0].ts;
  const to = points[points.length - 1].ts;
  const ticks = timeTicks(from, to);
  const tickFont = { size: FONT_SIZE.tick };
  // One min/max pair per few pixel columns: long backtests draw as fast as short ones, extremes kept.
  const buckets = Math.ceil(width / 4);
  const curve = (series: EquityPoint[]) => downsampleMinMax(series.map((point) => ({ x: point.ts, y: point.equity })), buckets);
  const datasets: unknown[] = [
    { label: 'Equity', data: curve(points), yAxisID: 'y', borderColor: COLORS.equity, borderWidth: 2.5, pointRadius: 0, order: 1 },
    {
      label: 'Drawdown', data: downsampleMinMax(points.map((point, i) => ({ x: point.ts, y: drawdown[i] })), buckets), yAxisID: 'drawdown',
      borderColor: COLORS.drawdownLine, borderWidth: 1.5, backgroundColor: COLORS.drawdownFill, fill: 'origin', pointRadius: 0, order: 3,
    },
  ];
  if (spec.benchmark) {
    datasets.push({ label: 'Buy & hold', data: curve(spec.benchmark), yAxisID: 'y', borderColor: COLORS.benchmark,
      borderWidth: 2, borderDash: [8, 5], pointRadius: 0, order: 2 });
  }
  const worst = extent(drawdown).min;
  // Fit the equity panel to the data (Chart.js would round out to zero-ish ticks and flatten the curve).
  const { min: lowest, max: highest } = extent([...points, ...(spec.benchmark ?? [])].map((point) => point.equity));
  const pad = (highest - lowest || Math.abs(highest) * 0.01 || 1) * 0.05;
  return {
    type: 'line',
    data: { datasets },
    options: {
      devicePixelRatio: 1,
      responsive: false,
      animation: false,
      events: [],
      layout: { padding: { top: HEADER.height, left: 10, right: 6, bottom: 4 } },
      parsing: false,
      plugins: { legend: { display: false }, title: { display: false }, tooltip: { enabled: false }, filler: { propagate: false } },
      scales: {
        x: {
          type: 'linear', min: from, max: to, offset: false,
          grid: { color: COLORS.grid },
          border: { color: COLORS.axis },
          afterBuildTicks: (scale: { ticks: { value: number }[] }) => { scale.ticks = ticks.values.map((value) => ({ value })); },
          ticks: { font: tickFont, color: COLORS.mutedText, maxRotation: 0, autoSkip: false, callback: (value: number) => formatTickTime(value, ticks.step) },
        },
        // Two panels sharing the x axis: Chart.js stacks axes with the same `stack` id, the first listed on top.
        y: {
          type: 'linear', position: 'right', stack: 'panels', stackWeight: 3, offset: true,
          min: lowest - pad, max: highest + pad,
          grid: { color: COLORS.grid },
          border: { color: COLORS.axis },
          ticks: { font: tickFont, color: COLORS.mutedText, maxTicksLimit: 6, includeBounds: false, callback: (value: number) => formatPrice(value, 0) },
        },
                drawdown: {
          type: 'linear', position: 'right', stack: 'panels', stackWeight: 1, offset: true,
          min: -niceCeiling(Math.max(1, -worst * 1.1)), max: 0,
          grid: { color: COLORS.grid },
          border: { color: COLORS.axis },
          ticks: { font: tickFont, color: COLORS.mutedText, maxTicksLimit: 3, includeBounds: true, callback: (value: number) => `${Number(value.toFixed(1))}%` },
        },
      },
    },
    plugins: [headerPlugin(spec, width, summary, decimals), layoutRecorder(onLayout)],
  };
}

/** Renders the equity + drawdown PNG. Pure: the same spec always gives the same bytes. */
export async function renderEquityChart(spec: EquityChartSpec): Promise<RenderedChart> {
  validateEquityChartSpec(spec);
  const width = spec.width ?? DEFAULT_WIDTH;
  const height = spec.height ?? DEFAULT_HEIGHT;
  let layout: ChartLayout | undefined;
  const png = await renderPng(width, height, buildConfig(spec, width, (recorded) => { layout = recorded; }));
  return { png, width, height, layout: layout! };
}
