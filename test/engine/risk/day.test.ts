import { describe, expect, it } from 'vitest';
import { dayKey, formatLocalTime, nextDayStart } from '../../../src/engine/risk/day.ts';

describe("the trader's day", () => {
  it('UTC: day key and next midnight', () => {
    const t = Date.UTC(2026, 10, 21, 23, 59, 59);
    expect(dayKey(t, 'UTC')).toBe('2026-11-21');
    expect(nextDayStart(t, 'UTC')).toBe(Date.UTC(2026, 10, 22));
    expect(formatLocalTime(Date.UTC(2026, 10, 22), 'UTC')).toBe('2026-11-22 00:00 UTC');
  });

  it('Europe/Moscow (UTC+3): 22:30 UTC is already the next day; its midnight is 21:00 UTC', () => {
    const t = Date.UTC(2026, 10, 21, 22, 30);
    expect(dayKey(t, 'Europe/Moscow')).toBe('2026-11-22');
    expect(nextDayStart(t, 'Europe/Moscow')).toBe(Date.UTC(2026, 10, 22, 21, 0));
    expect(formatLocalTime(Date.UTC(2026, 10, 22, 21, 0), 'Europe/Moscow')).toBe('2026-11-23 00:00 Europe/Moscow');
  });

  it('America/New_York across the 2026-03-08 DST change: midnights at 05:00 UTC, then 04:00 UTC', () => {
    expect(nextDayStart(Date.UTC(2026, 2, 7, 17), 'America/New_York')).toBe(Date.UTC(2026, 2, 8, 5));
    expect(nextDayStart(Date.UTC(2026, 2, 8, 16), 'America/New_York')).toBe(Date.UTC(2026, 2, 9, 4));
    expect(dayKey(Date.UTC(2026, 2, 9, 3, 59), 'America/New_York')).toBe('2026-03-08');
  });
});
