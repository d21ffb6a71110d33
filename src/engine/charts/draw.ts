/** Small canvas drawing helpers shared by the chart plugins. */
import { font } from './theme.ts';

/** The part of CanvasRenderingContext2D the charts use (the project compiles without the DOM lib). */
export interface Ctx2D {
  fillStyle: string;
  strokeStyle: string;
  lineWidth: number;
  font: string;
  textAlign: string;
  textBaseline: string;
  save(): void;
  restore(): void;
  beginPath(): void;
  closePath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  rect(x: number, y: number, w: number, h: number): void;
  fill(): void;
  stroke(): void;
  clip(): void;
  fillRect(x: number, y: number, w: number, h: number): void;
  strokeRect(x: number, y: number, w: number, h: number): void;
  fillText(text: string, x: number, y: number): void;
  measureText(text: string): { width: number };
  setLineDash(segments: number[]): void;
}

export interface Area {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export function clipTo(ctx: Ctx2D, area: Area): void {
  ctx.beginPath();
  ctx.rect(area.left, area.top, area.right - area.left, area.bottom - area.top);
  ctx.clip();
}

/** Crisp 1-2 px horizontal lines: canvas blurs lines centred on integer coordinates. */
export function horizontalLine(ctx: Ctx2D, x1: number, x2: number, y: number, color: string, width: number, dash: number[] = []): void {
  const crispY = width % 2 === 1 ? Math.round(y) + 0.5 : Math.round(y);
  ctx.save();
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.setLineDash(dash);
  ctx.beginPath();
  ctx.moveTo(x1, crispY);
  ctx.lineTo(x2, crispY);
  ctx.stroke();
  ctx.restore();
}

export interface TextBox {
  text: string;
  size: number;
  bold?: boolean;
  color: string;
  background: string;
  border?: string;
  paddingX?: number;
}

/** Height of a label box for a font size: text plus padding, used to keep labels apart. */
export function boxHeight(size: number): number {
  return Math.round(size * 1.45);
}

export function measure(ctx: Ctx2D, text: string, size: number, bold = false): number {
  ctx.save();
  ctx.font = font(size, bold);
  const width = ctx.measureText(text).width;
  ctx.restore();
  return width;
}

/** Draws a filled label box; `anchor` says which edge `x` is (box grows away from it); `y` is the box centre. */
export function textBox(ctx: Ctx2D, box: TextBox, x: number, y: number, anchor: 'left' | 'right'): { width: number } {
  const paddingX = box.paddingX ?? 6;
  const width = Math.ceil(measure(ctx, box.text, box.size, box.bold) + paddingX * 2);
  const height = boxHeight(box.size);
  const left = Math.round(anchor === 'left' ? x : x - width);
  const top = Math.round(y - height / 2);
  ctx.save();
  ctx.fillStyle = box.background;
  ctx.fillRect(left, top, width, height);
  if (box.border) {
    ctx.strokeStyle = box.border;
    ctx.lineWidth = 1;
    ctx.strokeRect(left + 0.5, top + 0.5, width - 1, height - 1);
  }
  ctx.fillStyle = box.color;
  ctx.font = font(box.size, box.bold);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  ctx.fillText(box.text, left + paddingX, top + height / 2 + 1);
  ctx.restore();
  return { width };
}

export function text(ctx: Ctx2D, value: string, x: number, y: number, size: number, color: string,
  options: { bold?: boolean; align?: 'left' | 'right' | 'center'; baseline?: 'top' | 'middle' | 'bottom' } = {}): void {
  ctx.save();
  ctx.font = font(size, options.bold);
  ctx.fillStyle = color;
  ctx.textAlign = options.align ?? 'left';
  ctx.textBaseline = options.baseline ?? 'top';
  ctx.fillText(value, x, y);
  ctx.restore();
}

/** A solid arrow whose tip is at (x, tipY), pointing up (long) or down (short). */
export function arrow(ctx: Ctx2D, x: number, tipY: number, direction: 'up' | 'down', color: string, length = 38, headWidth = 26): void {
  const sign = direction === 'up' ? 1 : -1;
  const headLength = headWidth * 0.8;
  const shaft = headWidth * 0.38;
  ctx.save();
  ctx.fillStyle = color;
  ctx.strokeStyle = '#ffffff';
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  ctx.moveTo(x, tipY);
  ctx.lineTo(x + headWidth / 2, tipY + sign * headLength);
  ctx.lineTo(x + shaft / 2, tipY + sign * headLength);
  ctx.lineTo(x + shaft / 2, tipY + sign * length);
  ctx.lineTo(x - shaft / 2, tipY + sign * length);
  ctx.lineTo(x - shaft / 2, tipY + sign * headLength);
  ctx.lineTo(x - headWidth / 2, tipY + sign * headLength);
  ctx.closePath();
  ctx.fill();
  ctx.stroke();
  ctx.restore();
}
