/** Title, coloured subtitle segments and a compact legend above the plot (shared by both charts). */
import { measure, text, type Ctx2D } from './draw.ts';
import { COLORS, FONT_SIZE } from './theme.ts';

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
export function fitTitle(ctx: Ctx2D, title: string, maxWidth: number): { text: string; size: number } {
  let size: number = FONT_SIZE.title;
  while (size > MIN_TITLE_SIZE && measure(ctx, title, size, true) > maxWidth) size -= 2;
  if (measure(ctx, title, size, true) <= maxWidth) return { text: title, size };
  const chars = Array.from(title);
  let keep = chars.length;
  while (keep > 1 && measure(ctx, `${chars.slice(0, keep).join('')}…`, size, true) > maxWidth) keep--;
  return { text: `${chars.slice(0, keep).join('').trimEnd()}…`, size };
}
