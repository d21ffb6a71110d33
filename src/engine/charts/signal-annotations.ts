/**
 * Chart.js plugin drawing everything a candlestick chart lacks: sessions and zones behind the candles; levels,
 * the trade plan, the signal arrow and right-edge price labels over them.
 */
import type { Chart, Plugin } from 'chart.js';
import { formatPrice, placeBoxes, spreadLabels, type Box } from './format.ts';
import { arrow, boxHeight, clipTo, horizontalLine, measure, text, textBox, type Area, type Ctx2D, type TextBox } from './draw.ts';
import type { SignalWindow } from './signal-window.ts';
import { COLORS, levelColor, zoneColors } from './theme.ts';

const ZONE_NAMES: Record<string, string> = { fvg: 'FVG', ob: 'OB', breaker: 'Breaker', imbalance: 'Imbalance', range: 'Range' };

interface Scales { x: (value: number) => number; y: (price: number) => number; area: Area }

function scalesOf(chart: Chart): Scales {
  const { x, y } = chart.scales;
  const area = chart.chartArea;
  return {
    x: (value) => x.getPixelForValue(value),
    y: (price) => y.getPixelForValue(price),
    area: { left: area.left, top: area.top, right: area.right, bottom: area.bottom },
  };
}

export function zoneLabel(kind: string, direction: 'bullish' | 'bearish', label?: string): string {
  return label ?? `${direction === 'bullish' ? 'Bull' : 'Bear'} ${ZONE_NAMES[kind] ?? kind}`;
}

/**
 * Session boxes are shaded each day, but named once (the most recent box of each session): a name per box repeats
 * itself and overlapping sessions (London and New York share the afternoon) would print over each other. Names that
 * would still touch move up a row.
 */
function drawSessions(ctx: Ctx2D, view: SignalWindow, s: Scales, placedOut: PlacedLabel[]): void {
  const size = view.fonts.label;
  const named = new Map<string, { left: number; right: number }>();
  for (const session of view.sessions) {
    const left = Math.max(s.area.left, s.x(session.x1));
    const right = Math.min(s.area.right, s.x(session.x2));
    if (right <= left) continue;
    ctx.fillStyle = COLORS.session;
    ctx.fillRect(left, s.area.top, right - left, s.area.bottom - s.area.top);
    named.set(session.name, { left, right });
  }
  const rows: { left: number; right: number }[][] = [];
  for (const [name, { left }] of [...named].sort((a, b) => a[1].left - b[1].left)) {
    const width = measure(ctx, name, size, true);
    const box = { left: left + 6, right: left + 6 + width + 8 };
    let row = rows.findIndex((taken) => taken.every((o) => box.left >= o.right || box.right <= o.left));
    if (row < 0) row = rows.push([]) - 1;
    rows[row].push(box);
    const bottom = s.area.bottom - 6 - row * (size + 8);
    text(ctx, name, box.left, bottom, size, COLORS.sessionText, { bold: true, baseline: 'bottom' });
    placedOut.push({ text: name, left: box.left, top: bottom - size, width: box.right - box.left - 8, height: size, fontSize: size });
  }
}

function drawZoneFills(ctx: Ctx2D, view: SignalWindow, s: Scales): void {
  for (const { zone, x1, x2 } of view.zones) {
    const left = Math.max(s.area.left, s.x(x1));
    const right = Math.min(s.area.right, s.x(x2));
    const top = s.y(zone.top);
    const bottom = s.y(zone.bottom);
    if (right <= left || bottom < s.area.top || top > s.area.bottom) continue;
    const colors = zoneColors(zone.kind, zone.direction);
    ctx.fillStyle = colors.fill;
    ctx.fillRect(left, top, right - left, Math.max(1, bottom - top));
    horizontalLine(ctx, left, right, top, colors.border, 1);
    horizontalLine(ctx, left, right, bottom, colors.border, 1);
  }
}

function drawLevelLines(ctx: Ctx2D, view: SignalWindow, s: Scales): void {
  for (const { level, x1, x2 } of view.levels) {
    horizontalLine(ctx, s.x(x1), s.x(x2 + 0.5), s.y(level.price), levelColor(level.kind), 2, [8, 5]);
  }
}

interface PlanLine { name: string; price: number; color: string }

export function planLines(view: SignalWindow): PlanLine[] {
  const signal = view.signal;
  if (!signal) return [];
  const targets = signal.targets.map((price, i) => ({
    name: signal.targets.length > 1 ? `TP${i + 1}` : 'TP', price, color: COLORS.target,
  }));
  return [{ name: 'Entry', price: signal.entry, color: COLORS.entry }, { name: 'SL', price: signal.stop, color: COLORS.stop }, ...targets];
}

function drawTradePlan(ctx: Ctx2D, view: SignalWindow, s: Scales): void {
  const signal = view.signal;
  if (!signal) return;
  const startX = s.x(signal.index);
  for (const line of planLines(view)) horizontalLine(ctx, startX, s.area.right, s.y(line.price), line.color, 2);
}

const ARROW = { gap: 6, length: 38, headWidth: 26 } as const;

/** The signal arrow's bounding box: labels keep clear of it so the arrow is never hidden. */
function arrowBox(view: SignalWindow, s: Scales): Box | undefined {
  const signal = view.signal;
  if (!signal) return undefined;
  const candle = view.candles[signal.index];
  const tip = signal.side === 'long' ? s.y(candle.low) + ARROW.gap : s.y(candle.high) - ARROW.gap;
  const centre = signal.side === 'long' ? tip + ARROW.length / 2 : tip - ARROW.length / 2;
  return { left: s.x(signal.index) - ARROW.headWidth / 2 - 2, width: ARROW.headWidth + 4, y: centre, height: ARROW.length + 4 };
}

function drawSignalArrow(ctx: Ctx2D, view: SignalWindow, s: Scales): void {
  const signal = view.signal;
  if (!signal) return;
  const candle = view.candles[signal.index];
  const x = s.x(signal.index);
  if (signal.side === 'long') arrow(ctx, x, s.y(candle.low) + ARROW.gap, 'up', COLORS.arrowLong, ARROW.length, ARROW.headWidth);
  else arrow(ctx, x, s.y(candle.high) - ARROW.gap, 'down', COLORS.arrowShort, ARROW.length, ARROW.headWidth);
}

interface Label { box: TextBox; x: number; y: number; anchor: 'left' | 'right'; plan?: boolean }

/** Every text label on the plot, in priority order: the trade plan first, then zones, then levels. */
function collectLabels(view: SignalWindow, s: Scales): Label[] {
  const labels: Label[] = [];
  const size = view.fonts.label;
  const height = boxHeight(size);
  const plan = planLines(view);
  const planY = spreadLabels(plan.map((line) => s.y(line.price)), height + 2, s.area.top, s.area.bottom);
  plan.forEach((line, i) => labels.push({
    box: { text: `${line.name} ${formatPrice(line.price, view.decimals)}`, size, bold: true, color: '#ffffff', background: line.color },
    x: s.area.right - 2, y: planY[i], anchor: 'right', plan: true,
  }));
  for (const { zone, x1, x2 } of view.zones) {
    const left = Math.max(s.area.left, s.x(x1));
    const top = s.y(zone.top);
    const bottom = s.y(zone.bottom);
    if (Math.min(s.area.right, s.x(x2)) <= left || bottom < s.area.top || top > s.area.bottom) continue;
    // Inside the zone when it is tall enough, otherwise just above it.
    const y = bottom - top >= height + 4 ? top + height / 2 + 2 : top - height / 2 - 2;
    const colors = zoneColors(zone.kind, zone.direction);
    labels.push({ box: { text: zoneLabel(zone.kind, zone.direction, zone.label), size, color: colors.text, background: 'rgba(255,255,255,0.75)' },
      x: left + 4, y, anchor: 'left' });
  }
  for (const { level, x1 } of view.levels) {
    if (level.price < view.yMin || level.price > view.yMax) continue;
    const color = levelColor(level.kind);
    labels.push({ box: { text: `${level.label} ${formatPrice(level.price, view.decimals)}`, size, color, background: 'rgba(255,255,255,0.8)', paddingX: 3 },
      x: Math.max(s.area.left + 2, s.x(x1)), y: s.y(level.price) - height / 2 - 1, anchor: 'left' });
  }
  return labels;
}

/** A text drawn on the plot, in PNG pixels: tests check that none overlap and that each is tall enough to read. */
export interface PlacedLabel { text: string; left: number; top: number; width: number; height: number; fontSize: number }

function drawLabels(ctx: Ctx2D, labels: Label[], obstacles: Box[], s: Scales, placedOut: PlacedLabel[]): void {
  const boxes = labels.map((label) => {
    const width = measure(ctx, label.box.text, label.box.size, label.box.bold) + 2 * (label.box.paddingX ?? 6);
    return { left: label.anchor === 'left' ? label.x : label.x - width, width, y: label.y, height: boxHeight(label.box.size) };
  });
  // Obstacles go first so they keep their place; they are not drawn here.
  const placed = placeBoxes([...obstacles, ...boxes], s.area.top - 1e6, s.area.bottom + 1e6).slice(obstacles.length)
    .map((y, i) => Math.min(s.area.bottom - boxes[i].height / 2, Math.max(s.area.top + boxes[i].height / 2, y)));
  labels.forEach((label, i) => {
    // A zone or level label pushed away from its own line would point at the wrong price: better left out.
    if (!label.plan && Math.abs(placed[i] - label.y) > boxes[i].height * 1.2) return;
    const { width } = textBox(ctx, label.box, label.x, placed[i], label.anchor);
    const height = boxHeight(label.box.size);
    placedOut.push({ text: label.box.text, left: label.anchor === 'left' ? label.x : label.x - width, top: placed[i] - height / 2, width, height, fontSize: label.box.size });
  });
}

export function annotationsPlugin(view: SignalWindow, placed: PlacedLabel[] = []): Plugin {
  return {
    id: 'itaSignalAnnotations',
    beforeDatasetsDraw(chart) {
      const ctx = chart.ctx as unknown as Ctx2D;
      const s = scalesOf(chart);
      ctx.save();
      clipTo(ctx, s.area);
      placed.length = 0;
      drawSessions(ctx, view, s, placed);
      drawZoneFills(ctx, view, s);
      ctx.restore();
    },
    afterDatasetsDraw(chart) {
      const ctx = chart.ctx as unknown as Ctx2D;
      const s = scalesOf(chart);
      ctx.save();
      clipTo(ctx, s.area);
      drawLevelLines(ctx, view, s);
      drawTradePlan(ctx, view, s);
      const arrowArea = arrowBox(view, s);
      drawLabels(ctx, collectLabels(view, s), arrowArea ? [arrowArea] : [], s, placed);
      drawSignalArrow(ctx, view, s);
      ctx.restore();
    },
  };
}
