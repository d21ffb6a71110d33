import { describe, expect, it } from 'vitest';
import { escapeHtml, formatDateTime, formatPercent, formatPrice, formatR, parseDate, priceDecimals } from '../../../src/bot/format/index.ts';

describe('format helpers', () => {
  it('escapes the characters Telegram HTML reserves', () => {
    expect(escapeHtml('a < b && c > "d"')).toBe('a &lt; b &amp;&amp; c &gt; &quot;d&quot;');
    expect(escapeHtml('&lt;')).toBe('&amp;lt;');
  });

  it('prints prices with decimals that follow the magnitude', () => {
    expect(formatPrice(64123.456)).toBe('64123.46');
    expect(formatPrice(3456.7)).toBe('3456.70');
    expect(formatPrice(145.678)).toBe('145.68');
    expect(formatPrice(1.23456)).toBe('1.2346');
    expect(formatPrice(0.5432)).toBe('0.54320');
    expect(formatPrice(0.00001234)).toBe('0.000012340');
    expect(priceDecimals(0)).toBe(2);
  });

  it('prints percentages and R multiples with signs', () => {
    expect(formatPercent(0.5342)).toBe('53.4%');
    expect(formatR(1.5)).toBe('+1.50R');
    expect(formatR(-0.25)).toBe('−0.25R');
  });

  it('prints times in the user time zone, including daylight saving', () => {
    const ts = Date.UTC(2024, 6, 1, 0, 0); // 2024-07-01 00:00 UTC
    expect(formatDateTime(ts, 'UTC')).toBe('2024-07-01 00:00');
    expect(formatDateTime(ts, 'Europe/Moscow')).toBe('2024-07-01 03:00'); // UTC+3 all year
    expect(formatDateTime(ts, 'Europe/Berlin')).toBe('2024-07-01 02:00'); // CEST, UTC+2
    expect(formatDateTime(Date.UTC(2024, 0, 1, 0, 0), 'Europe/Berlin')).toBe('2024-01-01 01:00'); // CET, UTC+1
    expect(formatDateTime(ts, 'America/New_York')).toBe('2024-06-30 20:00'); // EDT, UTC−4
    expect(formatDateTime(ts, 'Not/AZone')).toBe('2024-07-01 00:00');
  });

  it('parses calendar dates strictly', () => {
    expect(parseDate('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(parseDate('2023-02-29')).toBeUndefined();
    expect(parseDate('2024-7-1')).toBeUndefined();
  });
});
