/** Test helper: decodes a PNG with node-canvas and reads RGBA pixels. */
import { createCanvas, loadImage } from 'canvas';

export interface DecodedPng {
  width: number;
  height: number;
  pixel(x: number, y: number): [number, number, number, number];
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export async function decodePng(png: Buffer): Promise<DecodedPng> {
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  const data = ctx.getImageData(0, 0, image.width, image.height).data;
  return {
    width: image.width,
    height: image.height,
    pixel(x, y) {
      const i = (Math.round(y) * image.width + Math.round(x)) * 4;
      return [data[i], data[i + 1], data[i + 2], data[i + 3]];
    },
  };
}

export function hexToRgb(hex: string): [number, number, number] {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

/** Source-over compositing of an rgba tint on white, the way any canvas blends a translucent fill. */
export function tintOnWhite(rgb: [number, number, number], alpha: number): [number, number, number] {
  return rgb.map((channel) => Math.round(255 * (1 - alpha) + channel * alpha)) as [number, number, number];
}

export function near(actual: readonly number[], expected: readonly number[], tolerance = 6): boolean {
  return expected.every((value, i) => Math.abs(actual[i] - value) <= tolerance);
}

/** Share of sampled pixels, across x in [x1, x2], that match `rgb` on row y or the row above (2 px lines). */
export function lineCoverage(image: DecodedPng, x1: number, x2: number, y: number, rgb: [number, number, number]): number {
  let hits = 0;
  let total = 0;
  for (let x = Math.ceil(x1); x <= x2; x += 3) {
    total++;
    if ([Math.round(y) - 1, Math.round(y)].some((row) => near(image.pixel(x, row), rgb, 8))) hits++;
  }
  return total ? hits / total : 0;
}
