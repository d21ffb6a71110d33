import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/engine/errors.ts';
import { drawdownPercent, priceToPixelY, renderEquityChart, summarizeEquity, valueToPixelX } from '../../../src/engine/charts/index.ts';
import type { EquityChartSpec } from '../../../src/engine/charts/spec.ts';
import { COLORS } from '../../../src/engine/charts/theme.ts';
import { decodePng, hexToRgb, near, PNG_SIGNATURE, tintOnWhite } from './png.ts';

const HOUR = 3_600_000;
const start = Date.UTC(2024, 6, 1);

/** 10,000 → 11,000 in a straight line, a drop to 9,900 (−10 % from the 11,000 peak) and a recovery to 12,100. */
function curve(): EquityChartSpec['points'] {
  const points = [];
  for (let i = 0; i <= 100; i++) points.push({ ts: start + i * HOUR, equity: 10_000 + i * 10 });
  for (let i = 1; i <= 50; i++) points.push({ ts: start + (100 + i) * HOUR, equity: 11_000 - i * 22 });
  for (let i = 1; i <= 100; i++) points.push({ ts: start + (150 + i) * HOUR, equity: 9_900 + i * 22 });
  return points;
}

describe('drawdown maths', () => {
  it('measures drawdown from the running peak (hand-computed)', () => {
    expect(drawdownPercent([100, 110, 99, 121, 108.9]).map((v) => Number(v.toFixed(6)))).toEqual([0, 0, -10, 0, -10]);
    drawdownPercent([50, 40, 30]).forEach((value, i) => expect(value).toBeCloseTo([0, -20, -40][i], 9));
  });

  it('summarises return, worst drawdown and final equity', () => {
    const summary = summarizeEquity(curve());
    expect(summary.final).toBe(12_100);
    expect(summary.returnPercent).toBeCloseTo(21, 9);
    expect(summary.maxDrawdownPercent).toBeCloseTo(-10, 9);
  });
});

describe('equity chart PNG', () => {
  const spec: EquityChartSpec = { title: 'Пробой Лондона · BTC/USDT 1h', points: curve(), currency: 'USDT', stats: ['Trades 12'] };

  it('is a 1280x720 PNG with the equity line on top and the drawdown area below', async () => {
    const { png, layout } = await renderEquityChart(spec);
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    const image = await decodePng(png);
    expect([image.width, image.height]).toEqual([1280, 720]);
    expect(image.pixel(image.width - 2, image.height - 2)).toEqual([255, 255, 255, 255]);

    // Equity at the 11,000 peak (hour 100), on the equity axis recorded in the layout.
    const peakX = valueToPixelX(layout, start + 100 * HOUR);
    const peakY = priceToPixelY(layout, 11_000);
    const equityColor = hexToRgb(COLORS.equity);
    const found = [-2, -1, 0, 1, 2].some((dy) => near(image.pixel(peakX, peakY + dy), equityColor, 30));
    expect(found).toBe(true);

    // The drawdown panel sits below the equity panel: at the worst point (hour 150, −10 %) the column just
    // under the panel's zero line is drawdown-tinted, and at a new high (hour 60, 0 %) it is not.
    const troughX = valueToPixelX(layout, start + 150 * HOUR);
    const column = (x: number) => {
      let tinted = 0;
      for (let y = Math.round(layout.chartArea.bottom * 0.8); y < layout.chartArea.bottom - 25; y++) {
        if (near(image.pixel(x, y), tintOnWhite(hexToRgb('#d50000'), 0.25), 6)) tinted++;
      }
      return tinted;
    };
    expect(column(troughX)).toBeGreaterThan(20);
    expect(column(valueToPixelX(layout, start + 60 * HOUR))).toBe(0);
  });

  it('draws the buy-and-hold comparison when given', async () => {
    const benchmark = curve().map((point) => ({ ts: point.ts, equity: 10_500 }));
    const { png, layout } = await renderEquityChart({ ...spec, benchmark });
    const image = await decodePng(png);
    const y = priceToPixelY(layout, 10_500);
    let hits = 0;
    for (let x = Math.ceil(layout.chartArea.left + 5); x < layout.chartArea.right - 5; x += 2) {
      if ([-1, 0, 1].some((dy) => near(image.pixel(x, y + dy), hexToRgb(COLORS.benchmark), 12))) hits++;
    }
    // A dashed line: more than a third of the samples but not all.
    expect(hits).toBeGreaterThan(150);
  });

  it('gives the same bytes for the same spec', async () => {
    const first = await renderEquityChart(spec);
    const second = await renderEquityChart(spec);
    expect(second.png.equals(first.png)).toBe(true);
  });

  it('rejects curves it cannot draw with a clear InputError', async () => {
    await expect(renderEquityChart({ ...spec, points: [] })).rejects.toThrow(/points must have at least 2 points/);
    await expect(renderEquityChart({ ...spec, points: [curve()[1], curve()[0]] })).rejects.toThrow(/points\[1\]\.ts must be after the previous point/);
    await expect(renderEquityChart({ ...spec, points: [{ ts: 1, equity: 1 }, { ts: 2, equity: Number.NaN }] }))
      .rejects.toBeInstanceOf(InputError);
  });
});
