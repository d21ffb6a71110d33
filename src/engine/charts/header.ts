/** Title, coloured subtitle segments and a compact legend above the plot (shared by both charts). */
import { measure, text, type Ctx2D } from './draw.ts';
import { COLORS, FONT_SIZE, type FontSizes } from './theme.ts';

export interface Segment { text: string; color: string; bold?: boolean }

export type LegendSwatch = 'line' | 'dashed' | 'box';
export interface LegendItem { label: string; color: string; swatch: LegendSwatch }

export const HEADER = { margin: 14, titleTop: 12, subtitleTop: 48, height: 84 } as const;

const SWATCH_WIDTH = 26;
const ITEM_GAP = 18;

export function legendWidth(ctx: Ctx2D, items: LegendItem[]): number {
  return items.reduce((sum, item) => sum + SWATCH_WIDTH + 6 + measure(ctx, item.label, FONT_SIZE.legend) + ITEM_GAP, 0) - (items.length ? ITEM_GAP : 0);
}

function drawSwatch(ctx: Ctx2D, item: LegendItem, x: number, centerY: number): void {
  ctx.save();
  if (item.swatch === 'box') {
    ctx.fillStyle = item.color;
    ctx.fillRect(x, centerY - 8, SWATCH_WIDTH, 16);
  } else {
    ctx.strokeStyle = item.color;
    ctx.lineWidth = 3;
    ctx.setLineDash(item.swatch === 'dashed' ? [6, 4] : []);
    ctx.beginPath();
    ctx.moveTo(x, centerY);
    ctx.lineTo(x + SWATCH_WIDTH, centerY);
    ctx.stroke();
  }
  ctx.restore();
}

/** Draws the legend with its top-left corner at (x, y); `background` makes it readable over candles. */
export function drawLegend(ctx: Ctx2D, items: LegendItem[], x: number, y: number, background?: string): void {
  if (items.length === 0) return;
  const rowHeight = FONT_SIZE.legend + 10;
  if (background) {
    ctx.save();
    ctx.fillStyle = background;
    ctx.fillRect(x - 6, y - 4, legendWidth(ctx, items) + 12, rowHeight + 8);
    ctx.restore();
  }
  let cursor = x;
  const centerY = y + rowHeight / 2;
  for (const item of items) {
    drawSwatch(ctx, item, cursor, centerY);
    cursor += SWATCH_WIDTH + 6;
    text(ctx, item.label, cursor, centerY, FONT_SIZE.legend, COLORS.text, { baseline: 'middle' });
    cursor += measure(ctx, item.label, FONT_SIZE.legend) + ITEM_GAP;
  }
}

export function drawSegments(ctx: Ctx2D, segments: Segment[], x: number, y: number, size: number): number {
  let cursor = x;
  for (const segment of segments) {
    text(ctx, segment.text, cursor, y, size, segment.color, { bold: segment.bold });
    cursor += measure(ctx, segment.text, size, segment.bold);
  }
  return cursor - x;
}

/**
 * Title on the first row, subtitle on the second. The legend goes to the right of the title when both fit,
 * else into the plot's top-left corner on a white backing, so it never overlaps the title.
 */
export function drawHeader(ctx: Ctx2D, width: number, plotLeft: number, plotTop: number,
  title: string, subtitle: Segment[], legend: LegendItem[]): void {
  const fitted = fitTitle(ctx, title, width - 2 * HEADER.margin);
  text(ctx, fitted.text, HEADER.margin, HEADER.titleTop + (FONT_SIZE.title - fitted.size) / 2, fitted.size, COLORS.text, { bold: true });
  drawSegments(ctx, subtitle, HEADER.margin, HEADER.subtitleTop, FONT_SIZE.subtitle);
  const titleWidth = measure(ctx, fitted.text, fitted.size, true);
  const legendSpace = legendWidth(ctx, legend);
  const legendX = width - HEADER.margin - legendSpace;
  if (legendX > HEADER.margin + titleWidth + 30) drawLegend(ctx, legend, legendX, HEADER.titleTop + 2);
  else drawLegend(ctx, legend, plotLeft + 10, plotTop + 8, 'rgba(255,255,255,0.88)');
}

const MIN_TITLE_SIZE = 20;

/** Long setup names shrink the title down to a still-readable size, then get cut with an ellipsis. */
export function fitTitle(ctx: Ctx2D, title: string, maxWidth: number, largest: number = FONT_SIZE.title, smallest = MIN_TITLE_SIZE): { text: string; size: number } {
  let size = largest;
  while (size > smallest && measure(ctx, title, size, true) > maxWidth) size -= 2;
  if (measure(ctx, title, size, true) <= maxWidth) return { text: title, size };
  const chars = Array.from(title);
  let keep = chars.length;
  while (keep > 1 && measure(ctx, `${chars.slice(0, keep).join('')}…`, size, true) > maxWidth) keep--;
  return { text: `${chars.slice(0, keep).join('').trimEnd()}…`, size };
}

/** The phone card's header: title, setup name, subtitle and the legend each on their own rows, never over the plot. */
export interface StackedHeader { title: string; setup: string; subtitle: Segment[]; legend: LegendItem[] }

const STACK = { margin: 18, top: 14, gap: 10 } as const;
/** DejaVu Sans averages under 0.62 em per character; estimating wide keeps the reserved rows sufficient. */
const WIDE_EM = 0.66;

function itemWidth(label: string, size: number, measureText: (text: string) => number): number {
  return SWATCH_WIDTH + 6 + measureText(label) + ITEM_GAP * (size / FONT_SIZE.legend);
}

/** Greedy rows of legend items that fit `maxWidth`. */
export function legendRows(items: LegendItem[], maxWidth: number, size: number, measureText: (text: string) => number): LegendItem[][] {
  const rows: LegendItem[][] = [];
  let used = Infinity;
  for (const item of items) {
    const width = itemWidth(item.label, size, measureText);
    if (used + width > maxWidth) {
      rows.push([]);
      used = 0;
    }
    rows[rows.length - 1].push(item);
    used += width;
  }
  return rows;
}

/** Height reserved above the plot, known before drawing (Chart.js needs its padding up front). */
export function stackedHeaderHeight(header: StackedHeader, width: number, sizes: FontSizes): number {
  const estimate = (text: string) => text.length * sizes.legend * WIDE_EM;
  const rows = legendRows(header.legend, width - 2 * STACK.margin, sizes.legend, estimate).length;
  const textRows = sizes.title + sizes.subtitle * 2 + 3 * STACK.gap;
  return STACK.top + textRows + rows * (sizes.legend + STACK.gap + 4) + STACK.gap;
}

export function drawStackedHeader(ctx: Ctx2D, width: number, header: StackedHeader, sizes: FontSizes): void {
  const maxWidth = width - 2 * STACK.margin;
  let y = STACK.top;
  const title = fitTitle(ctx, header.title, maxWidth, sizes.title, sizes.subtitle);
  text(ctx, title.text, STACK.margin, y, title.size, COLORS.text, { bold: true });
  y += sizes.title + STACK.gap;
  const setup = fitTitle(ctx, header.setup, maxWidth, sizes.subtitle, sizes.subtitle);
  text(ctx, setup.text, STACK.margin, y, setup.size, COLORS.mutedText, { bold: true });
  y += sizes.subtitle + STACK.gap;
  drawSegments(ctx, header.subtitle, STACK.margin, y, sizes.subtitle);
  y += sizes.subtitle + STACK.gap;
  const rows = legendRows(header.legend, maxWidth, sizes.legend, (label) => measure(ctx, label, sizes.legend));
  const rowHeight = sizes.legend + STACK.gap + 4;
  for (const row of rows) {
    let cursor = STACK.margin;
    const centerY = y + rowHeight / 2;
    for (const item of row) {
      drawSwatch(ctx, item, cursor, centerY);
      cursor += SWATCH_WIDTH + 6;
      text(ctx, item.label, cursor, centerY, sizes.legend, COLORS.text, { baseline: 'middle' });
      cursor += measure(ctx, item.label, sizes.legend) + ITEM_GAP * (sizes.legend / FONT_SIZE.legend);
    }
    y += rowHeight;
  }
}
