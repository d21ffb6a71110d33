/**
 * The candle CSV formats ITA reads, and detection from the first line. Each format turns the cells of one row
 * into a RawCandle; validation (OHLC sanity, order, alignment) is shared and lives in parse-csv.ts.
 */
import { FieldError, parseDecimal, parseEpochMs, parseEpochMsOrMicros, parseMetaTraderTime, parseTradingViewTime } from './fields.ts';

export interface RawCandle {
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  /** MetaTrader's tick volume, used when the real-volume column is all zeros (typical for FX). */
  tickVolume?: number;
}

export interface CsvFormat {
  id: 'canonical' | 'binance-kline' | 'tradingview' | 'metatrader';
  /** Human label printed by `ita import`. */
  label: string;
  hasHeader: boolean;
  delimiter: string;
  /** Cells every row must have. */
  columns: number;
  parseRow(cells: string[]): RawCandle;
}

export const SUPPORTED_FORMATS = [
  'canonical "ts,open,high,low,close,volume" (ts in epoch ms)',
  'Binance kline CSV (12 columns, no header or an open_time header; open_time in ms or µs)',
  'TradingView export "time,open,high,low,close[,Volume,...]" (unix seconds or ISO-8601)',
  'MetaTrader 5 export "<DATE>\\t<TIME>\\t<OPEN>\\t<HIGH>\\t<LOW>\\t<CLOSE>\\t<TICKVOL>\\t<VOL>\\t<SPREAD>"',
  'MetaTrader-style CSV "Date,Open,High,Low,Close,Tickvol,Volume,Spread" (YYYY.MM.DD HH:MM:SS)',
];

export class UnknownFormatError extends Error {}

const BINANCE_COLUMNS = 12;

function normalise(cell: string): string {
  return cell.trim().replace(/^["']|["']$/g, '').replace(/^<|>$/g, '').trim().toLowerCase();
}

/** Builds the candle in one literal (no spreads): this runs once per row of million-row files. */
function candleAt(cells: string[], ts: number, at: { open: number; high: number; low: number; close: number }, volume: number): RawCandle {
  return {
    ts,
    open: parseDecimal(cells[at.open], 'open'),
    high: parseDecimal(cells[at.high], 'high'),
    low: parseDecimal(cells[at.low], 'low'),
    close: parseDecimal(cells[at.close], 'close'),
    volume,
  };
}

const FIRST_FOUR = { open: 1, high: 2, low: 3, close: 4 };

const binanceKline = (hasHeader: boolean): CsvFormat => ({
  id: 'binance-kline',
  label: 'Binance kline CSV',
  hasHeader,
  delimiter: ',',
  columns: BINANCE_COLUMNS,
  parseRow: (cells) => candleAt(cells, parseEpochMsOrMicros(cells[0], 'open_time'), FIRST_FOUR, parseDecimal(cells[5], 'volume')),
});

/** Detects the format from the first non-blank line of the file; throws UnknownFormatError with the reason. */
export function detectFormat(firstLine: string): CsvFormat {
  const delimiter = firstLine.includes('\t') ? '\t' : ',';
  const raw = firstLine.split(delimiter);
  const names = raw.map(normalise);

  if (!/[a-z]/i.test(firstLine)) {
    if (delimiter === ',' && raw.length === BINANCE_COLUMNS) return binanceKline(false);
    throw new UnknownFormatError(
      `no header and ${raw.length} columns; the only headerless format is the Binance kline CSV (${BINANCE_COLUMNS} columns)`,
    );
  }
  if (names[0] === 'open_time' && raw.length === BINANCE_COLUMNS) return binanceKline(true);

  const canonical = ['ts', 'open', 'high', 'low', 'close', 'volume'];
  if ((names[0] === 'ts' || names[0] === 'timestamp') && names.length === 6 && canonical.every((n, i) => i === 0 || names[i] === n)) {
    return {
      id: 'canonical',
      label: 'canonical ts,open,high,low,close,volume',
      hasHeader: true,
      delimiter,
      columns: 6,
      parseRow: (cells) => candleAt(cells, parseEpochMs(cells[0], 'ts'), FIRST_FOUR, parseDecimal(cells[5], 'volume')),
    };
  }

  if (names[0] === 'time' && ['open', 'high', 'low', 'close'].every((n, i) => names[i + 1] === n)) {
    const volumeAt = names.indexOf('volume');
    return {
      id: 'tradingview',
      label: volumeAt < 0 ? 'TradingView export (no volume column: volume 0)' : 'TradingView export',
      hasHeader: true,
      delimiter,
      columns: names.length,
      parseRow: (cells) =>
        candleAt(cells, parseTradingViewTime(cells[0], 'time'), FIRST_FOUR, volumeAt < 0 ? 0 : parseDecimal(cells[volumeAt], 'Volume')),
    };
  }

  if (names[0] === 'date') return metaTrader(names, delimiter);

  throw new UnknownFormatError(`header "${firstLine.trim().slice(0, 120)}" matches no known format`);
}

function metaTrader(names: string[], delimiter: string): CsvFormat {
  const at = (name: string) => names.indexOf(name);
  const columns = { open: at('open'), high: at('high'), low: at('low'), close: at('close') };
  const missing = Object.entries(columns).filter(([, i]) => i < 0).map(([n]) => n);
  if (missing.length) throw new UnknownFormatError(`MetaTrader-like header without ${missing.join(', ')} column(s)`);
  const timeAt = names[1] === 'time' ? 1 : -1;
  const volAt = names.findIndex((n) => n === 'vol' || n === 'volume');
  const tickAt = at('tickvol');
  if (volAt < 0 && tickAt < 0) throw new UnknownFormatError('MetaTrader-like header without a Volume/<VOL> or Tickvol/<TICKVOL> column');
  return {
    id: 'metatrader',
    label: delimiter === '\t' ? 'MetaTrader 5 export (tab-separated)' : 'MetaTrader-style CSV',
    hasHeader: true,
    delimiter,
    columns: names.length,
    parseRow: (cells) => {
      const ts = parseMetaTraderTime(cells[0], timeAt < 0 ? undefined : cells[timeAt], 'date');
      const candle = candleAt(cells, ts, columns, volAt < 0 ? 0 : parseDecimal(cells[volAt], names[volAt]));
      if (tickAt >= 0) candle.tickVolume = parseDecimal(cells[tickAt], 'tickvol');
      return candle;
    },
  };
}

export { FieldError };
