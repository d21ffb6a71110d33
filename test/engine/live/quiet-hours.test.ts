import { describe, expect, it } from 'vitest';
import { parseQuietHours, releaseTime } from '../../../src/engine/live/quiet-hours.ts';

const at = (h: number, m = 0, day = 10) => Date.UTC(2024, 6, day, h, m);

describe('quiet hours', () => {
  it('parses "HH:MM-HH:MM" and refuses anything else with the value quoted', () => {
    expect(parseQuietHours('23:00-07:30')).toEqual({ start: 23 * 60, end: 7 * 60 + 30 });
    expect(() => parseQuietHours('7-9')).toThrow(/got "7-9"/);
    expect(() => parseQuietHours('10:00-10:00')).toThrow(/start ≠ end/);
    expect(() => parseQuietHours('10:60-11:00')).toThrow(/quiet hours/);
  });

  it('outside the window delivers now; inside, at its end (same day or across midnight)', () => {
    expect(releaseTime(at(12), '23:00-07:00', 'UTC')).toBe(at(12));
    expect(releaseTime(at(23, 15), '23:00-07:00', 'UTC')).toBe(at(7, 0, 11));
    expect(releaseTime(at(3, 59), '23:00-07:00', 'UTC')).toBe(at(7));
    expect(releaseTime(at(7), '23:00-07:00', 'UTC')).toBe(at(7));
    expect(releaseTime(at(13, 20), '13:00-14:00', 'UTC')).toBe(at(14));
    expect(releaseTime(at(12), undefined, 'UTC')).toBe(at(12));
  });

  it('uses the user time zone: 21:30 UTC is 00:30 in Moscow, quiet until 08:00 Moscow = 05:00 UTC', () => {
    expect(releaseTime(at(21, 30), '00:00-08:00', 'Europe/Moscow')).toBe(at(5, 0, 11));
    // New York in July is UTC-4: 02:00 UTC = 22:00 local, inside 22:00-06:00, ends 10:00 UTC.
    expect(releaseTime(at(2), '22:00-06:00', 'America/New_York')).toBe(at(10));
  });
});
