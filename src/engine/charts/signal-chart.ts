/** Annotated candlestick PNG for one signal: what the trader sees in Telegram before pressing Approve. */
import type { Chart, Plugin } from 'chart.js';
import { formatPrice, formatTickTime, formatTimestamp, timeTicks } from './format.ts';
import { drawStackedHeader, stackedHeaderHeight, type LegendItem, type Segment, type StackedHeader } from './header.ts';
import { renderPng } from './renderer.ts';
import { annotationsPlugin, zoneLabel, type PlacedLabel } from './signal-annotations.ts';
import { buildSignalWindow, type SignalWindow } from './signal-window.ts';
import type { SignalChartSpec } from './spec.ts';
import { COLORS, LINE_PALETTE, zoneColors } from './theme.ts';
import { validateSignalChartSpec } from './validate.ts';
import type { Ctx2D } from './draw.ts';

/** Where the plot landed in the PNG, read from the chart's own scales: lets callers and tests locate prices. */
export interface ChartLayout {
  chartArea: { left: number; top: number; right: number; bottom: number };
  /** x axis: value range and the pixel columns of its two ends. */
  x: AxisLayout;
  /** Price (or equity, the top panel) axis: value range and the pixel rows of its two ends. */
  y: AxisLayout;
}

/** Pixel positions come from the scale itself, so axis offsets and stacked panels are accounted for. */
export interface AxisLayout { min: number; max: number; pixelAtMin: number; pixelAtMax: number }

export interface RenderedChart {
  png: Buffer;
  width: number;
  height: number;
  layout: ChartLayout;
  /** Every text label drawn on the plot (signal charts), where it landed: for readability checks. */
  labels?: PlacedLabel[];
}

function axisPixel(axis: AxisLayout, value: number): number {
  return axis.pixelAtMin + ((value - axis.min) / (axis.max - axis.min)) * (axis.pixelAtMax - axis.pixelAtMin);
}

/** Pixel row of a price (linear scale, same formula Chart.js uses). */
export function priceToPixelY(layout: ChartLayout, price: number): number {
  return axisPixel(layout.y, price);
}

/** Pixel column of an x value: a candle index within the visible window (signal chart) or epoch ms (equity chart). */
export function valueToPixelX(layout: ChartLayout, value: number): number {
  return axisPixel(layout.x, value);
}

export function layoutRecorder(onLayout: (layout: ChartLayout) => void): Plugin {
  return {
    id: 'itaLayoutRecorder',
    afterDraw(chart: Chart) {
      const { x, y } = chart.scales;
      const area = chart.chartArea;
      onLayout({
        chartArea: { left: area.left, top: area.top, right: area.right, bottom: area.bottom },
        x: { min: x.min, max: x.max, pixelAtMin: x.getPixelForValue(x.min), pixelAtMax: x.getPixelForValue(x.max) },
        y: { min: y.min, max: y.max, pixelAtMin: y.getPixelForValue(y.min), pixelAtMax: y.getPixelForValue(y.max) },
      });
    },
  };
}

/**
 * Side and time only: entry, stop and targets are labelled on the plot, and the R:R the trader acts on is the net one
 * in the caption (a gross figure here would contradict it).
 */
function subtitle(view: SignalWindow): Segment[] {
  const signal = view.signal;
  if (!signal) return [{ text: `Last close ${formatPrice(view.candles[view.candles.length - 1].close, view.decimals)}`, color: COLORS.mutedText }];
  return [
    { text: signal.side === 'long' ? '▲ LONG' : '▼ SHORT', color: signal.side === 'long' ? COLORS.arrowLong : COLORS.arrowShort, bold: true },
    { text: `   ${formatTimestamp(view.candles[signal.index].ts)}`, color: COLORS.mutedText },
  ];
}

function legendItems(view: SignalWindow, lineColors: string[]): LegendItem[] {
  const items: LegendItem[] = view.lines.map((line, i) => ({ label: line.name, color: lineColors[i], swatch: 'line' }));
  const seen = new Set<string>();
  for (const { zone } of view.zones) {
    const label = zoneLabel(zone.kind, zone.direction);
    if (seen.has(label)) continue;
    seen.add(label);
    items.push({ label, color: zoneColors(zone.kind, zone.direction).border, swatch: 'box' });
  }
  return items;
}

function headerOf(spec: SignalChartSpec, view: SignalWindow, lineColors: string[]): StackedHeader {
  const { symbol, timeframe, setup, score } = spec.title;
  const title = [symbol, timeframe, score === undefined ? undefined : `score ${Number(score.toFixed(1))}`].filter(Boolean).join(' · ');
  return { title, setup, subtitle: subtitle(view), legend: legendItems(view, lineColors) };
}

function headerPlugin(header: StackedHeader, view: SignalWindow): Plugin {
  return {
    id: 'itaSignalHeader',
    afterDraw(chart: Chart) {
      drawStackedHeader(chart.ctx as unknown as Ctx2D, view.width, header, view.fonts);
    },
  };
}

/** Round ticks need only the decimals of their step (2,100 not 2,100.00), never more than the market's. */
function tickDecimals(ticks: { value: number }[], marketDecimals: number): number {
  const step = ticks.length > 1 ? Math.abs(ticks[1].value - ticks[0].value) : 0;
  if (!(step > 0)) return marketDecimals;
  return Math.min(marketDecimals, Math.max(0, Math.ceil(-Math.log10(step) - 1e-9)));
}

function buildConfig(spec: SignalChartSpec, view: SignalWindow, onLayout: (layout: ChartLayout) => void, labels: PlacedLabel[]): unknown {
  const lineColors = view.lines.map((line, i) => line.color ?? LINE_PALETTE[i % LINE_PALETTE.length]);
  const timestamps = view.candles.map((candle) => candle.ts);
  // Four time ticks fit a phone-width axis at the phone font size without touching.
  const ticks = timeTicks(timestamps[0], timestamps[timestamps.length - 1], 4);
  const header = headerOf(spec, view, lineColors);
  const indexByTs = new Map(timestamps.map((ts, i) => [ts, i]));
  const tickIndexes = ticks.values.map((ts) => indexByTs.get(ts)).filter((i): i is number => i !== undefined);
  const candleColors = { up: COLORS.candleUp, down: COLORS.candleDown, unchanged: COLORS.candleFlat };
  const tickFont = { size: view.fonts.tick };
  return {
    type: 'candlestick',
    data: {
      datasets: [
        {
          label: 'candles',
          data: view.candles.map((c, i) => ({ x: i, o: c.open, h: c.high, l: c.low, c: c.close })),
          backgroundColors: candleColors,
          borderColors: candleColors,
          borderWidth: 1,
          order: 2,
        },
        ...view.lines.map((line, i) => ({
          type: 'line',
          label: line.name,
          data: line.values.map((y, x) => ({ x, y })),
          borderColor: lineColors[i],
          borderWidth: 2.5,
          pointRadius: 0,
          spanGaps: false,
          order: 1,
        })),
      ],
    },
    options: {
      devicePixelRatio: 1,
      responsive: false,
      animation: false,
      events: [],
      layout: { padding: { top: stackedHeaderHeight(header, view.width, view.fonts), left: 10, right: 6, bottom: 4 } },
      plugins: { legend: { display: false }, title: { display: false }, tooltip: { enabled: false } },
      scales: {
        x: {
          type: 'linear',
          min: view.xMin,
          max: view.xMax,
          offset: false,
          grid: { color: COLORS.grid, drawTicks: true },
          border: { color: COLORS.axis },
          afterBuildTicks: (scale: { ticks: { value: number }[] }) => { scale.ticks = tickIndexes.map((value) => ({ value })); },
          ticks: {
            font: tickFont, color: COLORS.mutedText, maxRotation: 0, autoSkip: false,
            callback: (value: number) => formatTickTime(timestamps[value], ticks.step),
          },
        },
        y: {
          type: 'linear',
          position: 'right',
          min: view.yMin,
          max: view.yMax,
          grid: { color: COLORS.grid },
          border: { color: COLORS.axis },
          ticks: {
            font: tickFont, color: COLORS.mutedText, maxTicksLimit: 6, includeBounds: false,
            callback: (value: number, _index: number, all: { value: number }[]) => formatPrice(value, tickDecimals(all, view.decimals)),
          },
        },
      },
    },
    plugins: [annotationsPlugin(view, labels), headerPlugin(header, view), layoutRecorder(onLayout)],
  };
}

/**
 * Renders the annotated signal chart. Pure: the same spec always gives the same PNG bytes.
 * Throws InputError naming the field when the spec is empty or inconsistent.
 */
export async function renderSignalChart(spec: SignalChartSpec): Promise<RenderedChart> {
  validateSignalChartSpec(spec);
  const view = buildSignalWindow(spec);
  let layout: ChartLayout | undefined;
  const labels: PlacedLabel[] = [];
  const png = await renderPng(view.width, view.height, buildConfig(spec, view, (recorded) => { layout = recorded; }, labels));
  return { png, width: view.width, height: view.height, layout: layout!, labels };
}
