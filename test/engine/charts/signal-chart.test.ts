import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/engine/errors.ts';
import { priceToPixelY, renderSignalChart, valueToPixelX } from '../../../src/engine/charts/index.ts';
import type { SignalChartSpec } from '../../../src/engine/charts/spec.ts';
import { COLORS, zoneColors } from '../../../src/engine/charts/theme.ts';
import { loadSampleCandles } from '../../helpers/candles.ts';
import { decodePng, hexToRgb, lineCoverage, near, PNG_SIGNATURE, tintOnWhite } from './png.ts';

const candles = loadSampleCandles('binance_BTCUSDT_1h_2024-07').slice(200, 330);
// The chart shows the last 120 candles: window index i is candles[10 + i].
const shown = candles.slice(10);
const high = Math.max(...shown.map((c) => c.high));
const low = Math.min(...shown.map((c) => c.low));
const span = high - low;
const signalIndex = 100;
const signalCandle = shown[signalIndex];

function longSpec(overrides: Partial<SignalChartSpec> = {}): SignalChartSpec {
  const entry = signalCandle.close;
  return {
    title: { symbol: 'BTC/USDT', timeframe: '1h', setup: 'London breakout', score: 82 },
    candles,
    lines: [{ name: 'Flat test line', values: candles.map(() => low - span * 0.03), color: '#ff00ff' }],
    // Above every candle, from window candle 20 to 50: nothing else is drawn inside it.
    zones: [{ kind: 'fvg', from: shown[20].ts, to: shown[50].ts, top: high + span * 0.3, bottom: high + span * 0.15, direction: 'bullish' }],
    sessions: [{ name: 'London', from: shown[70].ts, to: shown[80].ts }],
    signal: { ts: signalCandle.ts, side: 'long', entry, stop: entry - span * 0.1, targets: [entry + span * 0.2] },
    // The geometry checks below use a wide 120-candle window; the phone defaults are checked on their own.
    width: 1280, height: 720, lastCandles: 120,
    ...overrides,
  };
}

describe('signal chart PNG', () => {
  it('is a portrait 800x960 PNG for the phone by default and honours a custom size', async () => {
    const chart = await renderSignalChart(longSpec({ width: undefined, height: undefined, lastCandles: undefined }));
    expect(chart.png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    const image = await decodePng(chart.png);
    expect([image.width, image.height]).toEqual([800, 960]);
    const small = await renderSignalChart(longSpec({ width: 800, height: 600 }));
    const smallImage = await decodePng(small.png);
    expect([smallImage.width, smallImage.height]).toEqual([800, 600]);
  });

  it('draws the annotations where the chart scales put their prices', async () => {
    const spec = longSpec();
    const { png, layout } = await renderSignalChart(spec);
    const image = await decodePng(png);
    const area = layout.chartArea;

    // White background outside the plot (corners) and opaque pixels.
    expect(image.pixel(image.width - 2, image.height - 2)).toEqual([255, 255, 255, 255]);
    expect(image.pixel(image.width - 2, 2)).toEqual([255, 255, 255, 255]);

    // Entry line: from the signal candle to the right edge, in the entry colour.
    const signalX = valueToPixelX(layout, signalIndex);
    const entryY = priceToPixelY(layout, spec.signal!.entry);
    expect(lineCoverage(image, signalX + 20, area.right - 220, entryY, hexToRgb(COLORS.entry))).toBeGreaterThan(0.9);
    // ...and not left of the signal candle.
    expect(lineCoverage(image, area.left + 5, signalX - 60, entryY, hexToRgb(COLORS.entry))).toBeLessThan(0.05);
    expect(lineCoverage(image, signalX + 20, area.right - 220, priceToPixelY(layout, spec.signal!.stop), hexToRgb(COLORS.stop))).toBeGreaterThan(0.9);
    expect(lineCoverage(image, signalX + 20, area.right - 220, priceToPixelY(layout, spec.signal!.targets[0]), hexToRgb(COLORS.target))).toBeGreaterThan(0.9);

    // Indicator line across the plot.
    expect(lineCoverage(image, area.left + 5, valueToPixelX(layout, 119), priceToPixelY(layout, spec.lines![0].values[0]!), [255, 0, 255])).toBeGreaterThan(0.85);

    // FVG zone interior: the bullish FVG tint on white; outside its time span: white.
    const zone = spec.zones![0];
    const zoneY = priceToPixelY(layout, (zone.top + zone.bottom) / 2);
    const zoneFill = tintOnWhite(hexToRgb('#16a085'), 0.18);
    expect(zoneColors('fvg', 'bullish').fill).toBe('rgba(22, 160, 133, 0.18)');
    expect(near(image.pixel(valueToPixelX(layout, 40), zoneY), zoneFill, 3)).toBe(true);
    expect(near(image.pixel(valueToPixelX(layout, 60), zoneY), [255, 255, 255], 1)).toBe(true);

    // Session box: amber tint near the top of the plot inside the session, white just outside it.
    expect(near(image.pixel(valueToPixelX(layout, 75), area.top + 4), tintOnWhite([255, 179, 0], 0.12), 3)).toBe(true);
    expect(near(image.pixel(valueToPixelX(layout, 85), area.top + 4), [255, 255, 255], 1)).toBe(true);

    // Long: a green arrow under the signal candle's low, pointing up.
    const arrowY = priceToPixelY(layout, signalCandle.low) + 6 + 28;
    expect(near(image.pixel(signalX, arrowY), hexToRgb(COLORS.arrowLong), 10)).toBe(true);
  });

  it('draws a red arrow above the signal candle for a short', async () => {
    const entry = signalCandle.close;
    const spec = longSpec({ signal: { ts: signalCandle.ts, side: 'short', entry, stop: entry + span * 0.6, targets: [entry - span * 0.2] } });
    const { png, layout } = await renderSignalChart(spec);
    const image = await decodePng(png);
    const x = valueToPixelX(layout, signalIndex);
    expect(near(image.pixel(x, priceToPixelY(layout, signalCandle.high) - 6 - 28), hexToRgb(COLORS.arrowShort), 10)).toBe(true);
    expect(near(image.pixel(x, priceToPixelY(layout, signalCandle.low) + 6 + 28), hexToRgb(COLORS.arrowLong), 60)).toBe(false);
  });

  it('is a pure function of its input: same spec, same bytes', async () => {
    const first = await renderSignalChart(longSpec());
    await renderSignalChart(longSpec({ title: { symbol: 'ETH/USDT', timeframe: '4h', setup: 'other' } }));
    const second = await renderSignalChart(longSpec());
    expect(second.png.equals(first.png)).toBe(true);
  });

  it('gives the same bytes when renders run concurrently', async () => {
    const specs = [longSpec(), longSpec({ lastCandles: 60, zones: [], sessions: [] }), longSpec({ width: 800, height: 600 })];
    const sequential: Buffer[] = [];
    for (const spec of specs) sequential.push((await renderSignalChart(spec)).png);
    const concurrent = await Promise.all(specs.map(async (spec) => (await renderSignalChart(spec)).png));
    concurrent.forEach((png, i) => expect(png.equals(sequential[i])).toBe(true));
  });

  it('shrinks or cuts a long title instead of drawing past the right edge', async () => {
    const setup = 'Снятие ликвидности азиатской сессии перед открытием Лондона с подтверждением на младшем таймфрейме';
    const image = await decodePng((await renderSignalChart(longSpec({ title: { symbol: 'BTC/USDT', timeframe: '1h', setup } }))).png);
    let inkNearEdge = 0;
    let inkInTitle = 0;
    for (let y = 10; y < 44; y++) {
      for (let x = image.width - 12; x < image.width; x++) if (image.pixel(x, y)[0] < 200) inkNearEdge++;
      for (let x = 14; x < 200; x++) if (image.pixel(x, y)[0] < 128) inkInTitle++;
    }
    expect(inkInTitle).toBeGreaterThan(100);
    expect(inkNearEdge).toBe(0);
  });

  it('renders Cyrillic setup names as real glyphs', async () => {
    const render = async (setup: string) => decodePng((await renderSignalChart(longSpec({ title: { symbol: 'BTC', timeframe: '1h', setup } }))).png);
    const [a, b] = await Promise.all([render('Пробой Лондона'), render('Побор Лондона')]);
    // Setup row under the title (x 14..560, y 56..82): ink is present, and two different words of the same length
    // differ (missing-glyph boxes would all look alike).
    let ink = 0;
    let differing = 0;
    for (let y = 56; y < 82; y += 2) {
      for (let x = 14; x < 560; x += 2) {
        const pa = a.pixel(x, y);
        if (pa[0] < 128) ink++;
        if (!near(pa, b.pixel(x, y), 20)) differing++;
      }
    }
    expect(ink).toBeGreaterThan(300);
    expect(differing).toBeGreaterThan(50);
  });

  it('shows the last lastCandles candles (120 here, 64 on the phone default)', async () => {
    expect((await renderSignalChart(longSpec())).layout.x.min).toBe(-1);
    const narrow = await renderSignalChart(longSpec({ lastCandles: 60, zones: [], sessions: [] }));
    // 60 candles plus at least 4 empty slots of room for the price labels.
    expect(narrow.layout.x.max).toBeGreaterThanOrEqual(63);
    expect(narrow.layout.x.max).toBeLessThan(80);
  });
});

describe('signal chart input errors', () => {
  const cases: [string, Partial<SignalChartSpec>, RegExp][] = [
    ['empty candles', { candles: [] }, /candles must be a non-empty array/],
    ['unsorted candles', { candles: [candles[1], candles[0]] }, /candles\[1\]\.ts must be after the previous candle/],
    ['NaN price', { candles: [{ ...candles[0], close: Number.NaN }] }, /candles\[0\]\.close must be a finite number/],
    ['short line', { lines: [{ name: 'EMA', values: [1, 2] }] }, /lines\[0\]\.values must have one value per candle \(130\)/],
    ['stop above a long entry', { signal: { ts: signalCandle.ts, side: 'long', entry: 100, stop: 101, targets: [] } }, /signal\.stop must be below entry 100 for a long \(got 101\)/],
    ['signal on no candle', { signal: { ts: 123, side: 'long', entry: 100, stop: 99, targets: [] } }, /signal\.ts must be the open time of one of the candles \(got 123\)/],
    ['signal outside window', { lastCandles: 10 }, /signal\.ts .* is outside the last 10 candles shown/],
    ['tiny image', { width: 100 }, /width must be an integer between 320 and 4096 pixels \(got 100\)/],
    ['missing setup', { title: { symbol: 'BTC', timeframe: '1h', setup: '' } }, /title\.setup must be a non-empty string/],
  ];
  it.each(cases)('%s gives a clear InputError', async (_name, overrides, message) => {
    const promise = renderSignalChart(longSpec(overrides));
    await expect(promise).rejects.toBeInstanceOf(InputError);
    await expect(promise).rejects.toThrow(message);
  });
});
