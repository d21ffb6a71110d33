import { describe, expect, it } from 'vitest';
import { downsampleMinMax, formatPercent, formatPrice, formatTickTime, placeBoxes, priceDecimals, spreadLabels, timeTicks } from '../../../src/engine/charts/format.ts';

describe('price formatting', () => {
  it('derives about six significant digits from the magnitude', () => {
    expect(priceDecimals(57486.37)).toBe(1);
    expect(priceDecimals(3412.55)).toBe(2);
    expect(priceDecimals(1.08512)).toBe(5);
    expect(priceDecimals(0.02345)).toBe(7);
    expect(priceDecimals(250000)).toBe(0);
  });

  it('groups thousands the same way on every host and uses a real minus sign', () => {
    expect(formatPrice(57486.37, 1)).toBe('57,486.4');
    expect(formatPrice(1.085, 5)).toBe('1.08500');
    expect(formatPrice(-1234.5, 0)).toBe('−1,235');
    expect(formatPercent(12.345)).toBe('+12.3%');
    expect(formatPercent(-8.06)).toBe('−8.1%');
  });
});

describe('time ticks', () => {
  const day = Date.UTC(2024, 6, 22);
  it('puts 1h candles over five days on midnights', () => {
    const ticks = timeTicks(day + 5 * 3_600_000, day + 5 * 86_400_000 - 3_600_000);
    expect(ticks.step).toBe(86_400_000);
    expect(ticks.values).toEqual([1, 2, 3, 4].map((n) => day + n * 86_400_000));
    expect(formatTickTime(ticks.values[0], ticks.step)).toBe('23 Jul');
  });

  it('uses clock times inside a day and dates at midnight', () => {
    const ticks = timeTicks(day + 3_600_000, day + 30 * 3_600_000);
    expect(ticks.step).toBe(6 * 3_600_000);
    expect(ticks.values.map((ts) => formatTickTime(ts, ticks.step))).toEqual(['06:00', '12:00', '18:00', '23 Jul', '06:00']);
  });

  it('aligns week ticks on Mondays and falls back to months for long spans', () => {
    const weeks = timeTicks(Date.UTC(2024, 0, 3), Date.UTC(2024, 2, 20));
    expect(weeks.step).toBe(14 * 86_400_000);
    expect(new Date(weeks.values[0]).getUTCDay()).toBe(1);
    const months = timeTicks(Date.UTC(2023, 0, 15), Date.UTC(2024, 0, 15));
    expect(months.step).toBe('month');
    expect(months.values.map((ts) => formatTickTime(ts, 'month'))).toEqual(['Feb 2023', 'Apr 2023', 'Jun 2023', 'Aug 2023', 'Oct 2023', 'Dec 2023']);
  });
});

describe('label placement', () => {
  it('pushes labels closer than their height apart and keeps far ones in place', () => {
    // Wanted centres 100, 105, 300 with 20 px boxes: the first two must end 20 px apart, the third untouched.
    const placed = spreadLabels([105, 100, 300], 20, 0, 720);
    expect(placed).toEqual([120, 100, 300]);
  });

  it('keeps labels inside the plot, pushing upwards from the bottom edge', () => {
    expect(spreadLabels([715, 712], 20, 0, 720)).toEqual([710, 690]);
  });

  it('moves a box the least distance that clears earlier boxes it overlaps horizontally', () => {
    const boxes = [
      { left: 0, width: 100, y: 100, height: 20 },
      { left: 50, width: 100, y: 95, height: 20 },
      { left: 300, width: 100, y: 100, height: 20 },
    ];
    // The second overlaps the first: nearest free centre is 100 - 21 = 79. The third is elsewhere: unchanged.
    expect(placeBoxes(boxes, 0, 720)).toEqual([100, 79, 100]);
  });
});

describe('downsampling long equity curves', () => {
  const series = [5, 1, 9, 3, 7, 2, 8, 0, 6, 4].map((y, x) => ({ x, y }));

  it('keeps the first, last, and each bucket\'s low and high in time order (hand-computed)', () => {
    // Buckets over x 0..9: interior x 1-4 and x 5-8. Lows/highs: (1,1)/(2,9) and (7,0)/(6,8).
    expect(downsampleMinMax(series, 2)).toEqual([
      { x: 0, y: 5 }, { x: 1, y: 1 }, { x: 2, y: 9 }, { x: 6, y: 8 }, { x: 7, y: 0 }, { x: 9, y: 4 },
    ]);
  });

  it('leaves short series untouched', () => {
    expect(downsampleMinMax(series, 4)).toBe(series);
  });
});
