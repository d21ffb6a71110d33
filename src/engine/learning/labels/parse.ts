/**
 * The trader's labelled examples: "setup S fired here, on this side". One label per line, in either spelling:
 *   CSV:      fvg_retrace,BTC/USDT,15m,2024-07-12 14:30,long
 *   caption:  label fvg_retrace BTC/USDT 15m 2024-07-12 14:30 long     (a chart screenshot's caption in the chat)
 * Times are UTC, "YYYY-MM-DD HH:MM" (or ISO 8601 / epoch ms); a time inside a candle means that candle (it is
 * moved to the candle's open). Side: long/short (also buy/sell, лонг/шорт).
 * Errors are English sentences in fixed templates naming the field and its value (a CSV line adds its number); the
 * bot and the CLI put them in the trader's language through the catalog (src/bot/i18n/engine-texts.ts, "labels").
 */
import type { Side, Timeframe } from '../../types.ts';
import { isTimeframe, periodStart } from '../../market/timeframes.ts';

export interface LabelInput {
  setupId: string;
  symbol: string;
  timeframe: Timeframe;
  /** Open time of the labelled candle (epoch ms UTC). */
  ts: number;
  side: Side;
}

export type LabelParse = { ok: true; label: LabelInput } | { ok: false; message: string };

/** What an empty field is called, by position (a quoted "" would say nothing about which field it was). */
const EMPTY_FIELD = [
  'the setup (field 1) is empty',
  'the symbol (field 2) is empty',
  'the timeframe (field 3) is empty',
  'the time (field 4) is empty',
  'the side (field 5) is empty',
];

const SIDES: Record<string, Side> = { long: 'long', buy: 'long', лонг: 'long', short: 'short', sell: 'short', шорт: 'short' };

/** One label from its fields (setup, symbol, timeframe, time, side). Messages name the field and the bad value. */
export function parseLabelFields(fields: readonly string[]): LabelParse {
  if (fields.length !== 5) return { ok: false, message: `expected 5 fields (setup, symbol, timeframe, time, side), got ${fields.length}` };
  const [setupId, symbolRaw, tfRaw, timeRaw, sideRaw] = fields.map((f) => f.trim());
  const empty = [setupId, symbolRaw, tfRaw, timeRaw, sideRaw].findIndex((f) => f === '');
  if (empty >= 0) return { ok: false, message: EMPTY_FIELD[empty] };
  if (!/^[a-z][a-z0-9_]*$/.test(setupId)) return { ok: false, message: `setup "${setupId}" is not a setup id (lower_snake_case)` };
  const symbol = symbolRaw.toUpperCase();
  if (!/^[A-Z0-9]+\/[A-Z0-9]+(:[A-Z0-9]+)?$/.test(symbol)) return { ok: false, message: `symbol "${symbolRaw}" should look like BTC/USDT` };
  if (!isTimeframe(tfRaw)) return { ok: false, message: `timeframe "${tfRaw}" is not one of 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 1w` };
  const ts = parseUtc(timeRaw);
  if (ts === undefined) return { ok: false, message: `time "${timeRaw}" is not a UTC time like 2024-07-12 14:30` };
  const side = SIDES[sideRaw.toLowerCase()];
  if (!side) return { ok: false, message: `side "${sideRaw}" must be long or short` };
  return { ok: true, label: { setupId, symbol, timeframe: tfRaw, ts: periodStart(ts, tfRaw), side } };
}

/** A chat caption: `label SETUP SYMBOL TF YYYY-MM-DD HH:MM SIDE` (also `/label …`, `метка …`). */
export function parseLabelCaption(caption: string): LabelParse | undefined {
  const words = caption.trim().split(/\s+/);
  if (words.length === 0 || !/^\/?(label|метка)$/i.test(words[0])) return undefined;
  const rest = words.slice(1);
  // The time is one word (ISO, epoch) or two (date + clock).
  if (rest.length === 6) return parseLabelFields([rest[0], rest[1], rest[2], `${rest[3]} ${rest[4]}`, rest[5]]);
  if (rest.length === 5) return parseLabelFields(rest);
  return { ok: false, message: 'write: label SETUP SYMBOL TIMEFRAME YYYY-MM-DD HH:MM long|short (e.g. label fvg_retrace BTC/USDT 15m 2024-07-12 14:30 long)' };
}

export interface CsvLabels {
  labels: LabelInput[];
  errors: { line: number; message: string }[];
}

/** CSV lines (a header line and # comments are skipped); a bad line is reported with its number, the rest kept. */
export function parseLabelCsv(text: string): CsvLabels {
  const out: CsvLabels = { labels: [], errors: [] };
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    if (i === 0 && /^setup/i.test(line)) return;
    const caption = parseLabelCaption(line);
    const parsed = caption ?? parseLabelFields(line.split(','));
    if (parsed.ok) out.labels.push(parsed.label);
    else out.errors.push({ line: i + 1, message: parsed.message });
  });
  return out;
}

function parseUtc(text: string): number | undefined {
  if (/^\d{10,}$/.test(text)) return Number(text);
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?(Z|UTC)?$/i.exec(text);
  if (m) {
    const [, y, mo, d, h, mi, s] = m;
    const ts = Date.UTC(+y, +mo - 1, +d, +h, +mi, s ? +s : 0);
    const date = new Date(ts);
    if (date.getUTCFullYear() !== +y || date.getUTCMonth() !== +mo - 1 || date.getUTCDate() !== +d || +h > 23 || +mi > 59) return undefined;
    return ts;
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return parseUtc(`${text} 00:00`);
  const iso = Date.parse(text);
  return /^\d{4}-\d{2}-\d{2}T/.test(text) && Number.isFinite(iso) ? iso : undefined;
}
