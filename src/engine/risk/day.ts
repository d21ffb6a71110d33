/**
 * The trader's calendar day in their time zone: the daily loss limit and the green bonus reset when it changes.
 * UTC takes a fast path; other zones go through Intl (DST-aware), with one cached formatter per zone.
 */
const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Wall-clock fields of an instant in a zone, as if they were UTC (so Date.UTC arithmetic applies). */
function wallClock(ts: number, timeZone: string): number {
  if (timeZone === 'UTC') return ts;
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(ts)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
}

/** `YYYY-MM-DD` of the instant in the zone. */
export function dayKey(ts: number, timeZone: string): string {
  return new Date(wallClock(ts, timeZone)).toISOString().slice(0, 10);
}

/** Epoch ms of the next local midnight after `ts` in the zone. */
export function nextDayStart(ts: number, timeZone: string): number {
  const wall = wallClock(ts, timeZone);
  const nextMidnightWall = Math.floor(wall / DAY_MS) * DAY_MS + DAY_MS;
  // Offset at the guess, then again at the corrected instant: a DST change on that night moves the answer.
  let instant = nextMidnightWall - (wallClock(nextMidnightWall, timeZone) - nextMidnightWall);
  instant = nextMidnightWall - (wallClock(instant, timeZone) - instant);
  return instant;
}

/** `2026-11-22 00:00 UTC` — how reasons quote a time to the trader. */
export function formatLocalTime(ts: number, timeZone: string): string {
  const iso = new Date(wallClock(ts, timeZone)).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} ${timeZone}`;
}
