/**
 * Minutes since local midnight in an IANA time zone, DST-correct via Intl. Intl is slow (microseconds per call),
 * so offsets are cached per UTC day: when the offset is the same at both ends of the day it holds all day (a
 * zone changes offset at most a few times a year); on a transition day it is resolved per quarter-hour, the
 * finest step real zones use. The offset at an instant never changes, so each zone also remembers the offsets it
 * has looked up: a process that replays the same days again (optimizer, walk-forward, repeated backtests) asks Intl
 * once per instant.
 */
const QUARTER_HOUR = 900_000;
const DAY = 86_400_000;

interface ZoneCache {
  format: Intl.DateTimeFormat;
  day: number;
  dayOffset: number | undefined;
  quarter: number;
  quarterOffset: number;
  /** Offsets looked up so far, by instant (bounded: cleared when full). */
  known: Map<number, number>;
}

/** About 68 years of day boundaries per zone (two lookups a day), a few MB at most. */
const MAX_KNOWN = 50_000;

const zones = new Map<string, ZoneCache>();

function zone(timeZone: string): ZoneCache {
  let cache = zones.get(timeZone);
  if (!cache) {
    // Throws RangeError for an unknown zone name, which callers turn into an input error.
    const format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    cache = { format, day: NaN, dayOffset: undefined, quarter: NaN, quarterOffset: 0, known: new Map() };
    zones.set(timeZone, cache);
  }
  return cache;
}

function intlOffset(cache: ZoneCache, at: number): number {
  let offset = cache.known.get(at);
  if (offset === undefined) {
    if (cache.known.size >= MAX_KNOWN) cache.known.clear();
    offset = lookUpOffset(cache, at);
    cache.known.set(at, offset);
  }
  return offset;
}

function lookUpOffset(cache: ZoneCache, at: number): number {
  const parts: Record<string, number> = {};
  for (const part of cache.format.formatToParts(at)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute);
  return Math.round((asUtc - at) / 60_000);
}

/** Local wall-clock offset from UTC in minutes at instant ts. */
export function offsetMinutes(timeZone: string, ts: number): number {
  return cachedOffset(zone(timeZone), ts);
}

function cachedOffset(cache: ZoneCache, ts: number): number {
  const day = Math.floor(ts / DAY);
  if (day !== cache.day) {
    const atStart = intlOffset(cache, day * DAY);
    const atEnd = intlOffset(cache, (day + 1) * DAY - QUARTER_HOUR);
    cache.day = day;
    cache.dayOffset = atStart === atEnd ? atStart : undefined;
  }
  if (cache.dayOffset !== undefined) return cache.dayOffset;
  const quarter = Math.floor(ts / QUARTER_HOUR);
  if (quarter !== cache.quarter) {
    cache.quarter = quarter;
    cache.quarterOffset = intlOffset(cache, quarter * QUARTER_HOUR);
  }
  return cache.quarterOffset;
}

export function localMinuteOfDay(timeZone: string, ts: number): number {
  return minuteOfDay(zone(timeZone), ts);
}

function minuteOfDay(cache: ZoneCache, ts: number): number {
  const local = Math.floor(ts / 60_000) + cachedOffset(cache, ts);
  return ((local % 1440) + 1440) % 1440;
}

/** localMinuteOfDay with the zone looked up once (a session asks on every candle). */
export function zoneClock(timeZone: string): (ts: number) => number {
  const cache = zone(timeZone);
  return (ts) => minuteOfDay(cache, ts);
}

/** "HH:MM" → minutes, or NaN when malformed. */
export function parseClock(value: string): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  return match ? Number(match[1]) * 60 + Number(match[2]) : NaN;
}
