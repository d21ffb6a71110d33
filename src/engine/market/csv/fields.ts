/**
 * Strict parsers for CSV cells. Each returns a number or throws FieldError with a message quoting the bad text;
 * the row parser adds the line number. Naive date-times (no zone) are taken as UTC.
 */

export class FieldError extends Error {}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Number() accepts '', ' ', '0x1f', '0b1' and 'Infinity'; a price column must not. This runs for every cell of
 * million-row files, so a character scan (digits, sign, dot, exponent, blanks) replaces a regex + trim;
 * Number() then rejects malformed arrangements such as '1.2.3' as NaN.
 */
export function parseDecimal(text: string, field: string): number {
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) digits++;
    else if (code !== 46 && code !== 45 && code !== 43 && code !== 101 && code !== 69 && code !== 32 && code !== 9) {
      throw new FieldError(`${field} is not a number: "${text}"`);
    }
  }
  const value = Number(text);
  if (digits === 0 || Number.isNaN(value)) throw new FieldError(`${field} is not a number: "${text}"`);
  return value;
}

/** Epoch in milliseconds or microseconds (Binance spot dumps switched to µs in 2025), told apart by magnitude. */
export function parseEpochMsOrMicros(text: string, field: string): number {
  const value = parseDecimal(text, field);
  // 1e14 ms is the year 5138; 1e14 µs is 1973: nothing real sits between the two readings.
  return value >= 1e14 ? value / 1000 : value;
}

export function parseEpochMs(text: string, field: string): number {
  const value = parseDecimal(text, field);
  if (value < 1e11 && value !== 0) throw new FieldError(`${field} looks like seconds, expected epoch milliseconds: "${text}"`);
  return value;
}

/** TradingView's `time`: unix seconds, or ISO-8601 (with or without a zone; naive means UTC). */
export function parseTradingViewTime(text: string, field: string): number {
  const trimmed = text.trim();
  if (DECIMAL.test(trimmed)) {
    const value = Number(trimmed);
    // Some exports write milliseconds; seconds stay below 1e11 until the year 5138.
    return value >= 1e11 ? value : value * 1000;
  }
  return parseIsoUtc(trimmed, field);
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

export function parseIsoUtc(text: string, field: string): number {
  const m = ISO.exec(text.trim());
  if (!m) throw new FieldError(`${field} is not an ISO-8601 date-time or unix time: "${text}"`);
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone = 'Z'] = m;
  const local = utcMs(text, field, +y, +mo, +d, +h, +mi, +s) + Math.round(Number(frac || 0) * 1000);
  if (zone.toUpperCase() === 'Z') return local;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.replace(/[+:-]/g, '');
  const offsetMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
  return local - sign * offsetMin * 60_000;
}

const MT_DATE = /^(\d{4})\.(\d{2})\.(\d{2})(?:\s+(\d{2}):(\d{2})(?::(\d{2}))?)?$/;
const MT_TIME = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** MetaTrader `2023.01.02` (+ optional ` 00:15:00`) and an optional separate `00:15:00` cell. Naive: UTC. */
export function parseMetaTraderTime(dateText: string, timeText: string | undefined, field: string): number {
  const date = MT_DATE.exec(dateText.trim());
  if (!date) throw new FieldError(`${field} is not a MetaTrader date (YYYY.MM.DD[ HH:MM:SS]): "${dateText}"`);
  let [, y, mo, d, h = '0', mi = '0', s = '0'] = date;
  if (timeText !== undefined) {
    const time = MT_TIME.exec(timeText.trim());
    if (!time) throw new FieldError(`time is not HH:MM[:SS]: "${timeText}"`);
    [, h, mi, s = '0'] = time;
  }
  return utcMs(dateText, field, +y, +mo, +d, +h, +mi, +s);
}

function utcMs(text: string, field: string, y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  // Date.UTC silently rolls 2023-02-30 into March; a round trip catches impossible dates.
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    throw new FieldError(`${field} is not a valid date-time: "${text}"`);
  }
  return ms;
}
