/**
 * Quiet hours: "HH:MM-HH:MM" in the user's time zone, possibly across midnight ("23:00-07:00"). Signals detected
 * inside them are held in the outbox and released when they end.
 */
import { InputError } from '../errors.ts';

export interface QuietHours {
  /** Minutes after local midnight. */
  start: number;
  end: number;
}

export function parseQuietHours(text: string): QuietHours {
  const match = /^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/.exec(text.trim());
  const minutes = (h: string, m: string) => (Number(h) <= 23 && Number(m) <= 59 ? Number(h) * 60 + Number(m) : NaN);
  const start = match ? minutes(match[1], match[2]) : NaN;
  const end = match ? minutes(match[3], match[4]) : NaN;
  if (!Number.isFinite(start) || !Number.isFinite(end) || start === end) {
    throw new InputError(`quiet hours must look like "23:00-07:00" (local time, start ≠ end), got "${text}"`, { field: 'quietHours', value: text });
  }
  return { start, end };
}

/** Local minutes after midnight of `ts` in `timeZone`. */
function localMinutes(ts: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(ts);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get('hour') * 60 + get('minute');
}

/**
 * When a signal detected at `now` may be delivered: `now` outside quiet hours, else the moment they end.
 * Computed in whole local minutes from now, so a DST jump inside the quiet window shifts the release by its size
 * at most once — acceptable for a notification.
 */
export function releaseTime(now: number, quiet: string | undefined, timeZone: string): number {
  if (!quiet) return now;
  const { start, end } = parseQuietHours(quiet);
  const local = localMinutes(now, timeZone);
  const inside = start < end ? local >= start && local < end : local >= start || local < end;
  if (!inside) return now;
  const minutesLeft = (end - local + 1440) % 1440;
  const startOfMinute = now - (now % 60_000);
  return startOfMinute + minutesLeft * 60_000;
}
