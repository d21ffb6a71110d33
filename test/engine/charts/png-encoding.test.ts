/**
 * How chart PNGs are encoded: without per-row filters (libpng's filter search was 40 % of a render) at a low zlib
 * level. The PNG is parsed here by hand (chunks, inflated IDAT, one filter byte per row); the pixels are checked
 * against the same canvas re-encoded with libpng's defaults, so the faster encoding loses nothing.
 */
import { inflateSync } from 'node:zlib';
import { createCanvas, loadImage } from 'canvas';
import { describe, expect, it } from 'vitest';
import { renderEquityChart, renderSignalChart } from '../../../src/engine/charts/index.ts';
import { loadSampleCandles } from '../../helpers/candles.ts';
import { PNG_SIGNATURE } from './png.ts';

interface PngFacts {
  width: number;
  height: number;
  /** The filter type byte of every scanline (0 = none). */
  rowFilters: number[];
}

function parsePng(png: Buffer): PngFacts {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  let offset = 8;
  let width = 0;
  let height = 0;
  let bitDepth = 0;
  let colorType = 0;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      bitDepth = data[8];
      colorType = data[9];
    } else if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  // Colour type 6 = RGBA, 2 = RGB; 8 bits per channel.
  expect(bitDepth).toBe(8);
  const channels = colorType === 6 ? 4 : colorType === 2 ? 3 : NaN;
  const raw = inflateSync(Buffer.concat(idat));
  const stride = 1 + width * channels;
  expect(raw.length).toBe(stride * height);
  const rowFilters = Array.from({ length: height }, (_, row) => raw[row * stride]);
  return { width, height, rowFilters };
}

async function pixels(png: Buffer): Promise<{ data: Uint8ClampedArray; reencoded: Buffer }> {
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  return { data: ctx.getImageData(0, 0, image.width, image.height).data, reencoded: canvas.toBuffer('image/png') };
}

const candles = loadSampleCandles('binance_BTCUSDT_1h_2024-07').slice(0, 200);
const last = candles[candles.length - 1];

describe('chart PNG encoding', () => {
  it('a signal chart is written without row filters, and decodes to the pixels of a default-encoded copy', async () => {
    const { png, width, height } = await renderSignalChart({
      title: { symbol: 'BTC/USDT', timeframe: '1h', setup: 'encoding' },
      candles,
      signal: { ts: last.ts, side: 'long', entry: last.close, stop: last.close * 0.99, targets: [last.close * 1.02] },
    });
    const facts = parsePng(png);
    expect([facts.width, facts.height]).toEqual([width, height]);
    expect(new Set(facts.rowFilters)).toEqual(new Set([0]));

    const ours = await pixels(png);
    // libpng's defaults choose filters per row: a different file, the same image.
    expect(new Set(parsePng(ours.reencoded).rowFilters).size).toBeGreaterThan(1);
    const theirs = await pixels(ours.reencoded);
    expect(Buffer.from(ours.data).equals(Buffer.from(theirs.data))).toBe(true);
  });

  it('an equity chart too', async () => {
    const { png } = await renderEquityChart({
      title: 'encoding',
      points: candles.map((c) => ({ ts: c.ts, equity: (10_000 * c.close) / candles[0].close })),
      currency: 'USDT',
    });
    expect(new Set(parsePng(png).rowFilters)).toEqual(new Set([0]));
  });
});
