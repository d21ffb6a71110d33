/**
 * Times are stored as epoch ms UTC; the trader reads them in their own time zone (settings.timezone, IANA name).
 */
export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** "2024-07-01 03:00" in the given zone; an unknown zone falls back to UTC rather than failing a reply. */
export function formatDateTime(ts: number, timeZone = 'UTC'): string {
  const zone = isValidTimeZone(timeZone) ? timeZone : 'UTC';
  const parts = Object.fromEntries(formatterFor(zone).formatToParts(new Date(ts)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

export function formatDate(ts: number, timeZone = 'UTC'): string {
  return formatDateTime(ts, timeZone).slice(0, 10);
}

/** Parses "YYYY-MM-DD" as UTC midnight; undefined when it is not a real calendar date. */
export function parseDate(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const ts = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return new Date(ts).toISOString().slice(0, 10) === text ? ts : undefined;
}
