/**
 * Parses and validates a whole candle CSV. Every row is checked (columns, numbers, OHLC sanity, strictly
 * increasing ts, timeframe alignment) and every problem is collected with its 1-based line number, so the
 * caller can refuse the file as a whole: nothing is imported from a file with any problem.
 */
import type { Candle, Timeframe } from '../../types.ts';
import { InputError } from '../../errors.ts';
import { isAligned } from '../timeframes.ts';
import { findGaps, type Gap } from '../quality.ts';
import { detectFormat, FieldError, SUPPORTED_FORMATS, UnknownFormatError, type CsvFormat, type RawCandle } from './formats.ts';

export interface CsvProblem {
  line: number;
  message: string;
}

export interface ParsedCsv {
  format: CsvFormat;
  candles: Candle[];
  /** 1-based line of each candle, parallel to `candles`. */
  lines: number[];
  problems: CsvProblem[];
  /** Only when a timeframe was given. */
  gaps: Gap[];
  /** Which column volume came from, when the format offers a choice (MetaTrader). */
  volumeNote?: string;
}

export interface ParseOptions {
  /** Named in messages. */
  file?: string;
  /** Enables the alignment check and gap report. */
  timeframe?: Timeframe;
}

/** How many problems an error message lists before "and N more". */
export const LISTED_PROBLEMS = 20;

/** JavaScript dates end at ±8.64e15 ms; anything beyond is a unit mix-up, not a candle. */
const MAX_DATE_MS = 8.64e15;
const iso = (ts: number) => (Math.abs(ts) <= MAX_DATE_MS ? new Date(ts).toISOString() : String(ts));

/** Iterates lines without splitting the whole file first (a million-line array is a lot of garbage). */
function* linesOf(text: string): Generator<[lineNo: number, line: string]> {
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let lineNo = 1; pos <= text.length; lineNo++) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const stop = end > pos && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    yield [lineNo, text.slice(pos, stop)];
    pos = end + 1;
  }
}

export function parseCandleCsv(text: string, options: ParseOptions = {}): ParsedCsv {
  const file = options.file;
  const lines = linesOf(text);
  let header: [number, string] | undefined;
  // Not for..of: breaking out of it would close the generator, and the rows follow the header.
  for (let next = lines.next(); !next.done; next = lines.next()) {
    if (next.value[1].trim() !== '') {
      header = next.value;
      break;
    }
  }
  if (!header) throw new InputError('the file is empty', { file });

  let format: CsvFormat;
  try {
    format = detectFormat(header[1]);
  } catch (error) {
    if (!(error instanceof UnknownFormatError)) throw error;
    throw new InputError(`unknown CSV format: ${error.message}. Supported:\n  - ${SUPPORTED_FORMATS.join('\n  - ')}`, {
      file,
      line: header[0],
    });
  }

  const raws: RawCandle[] = [];
  const rowLines: number[] = [];
  const problems: CsvProblem[] = [];
  let prevTs = -Infinity;
  let prevLine = 0;
  const { delimiter, columns } = format;
  const rows = format.hasHeader ? lines : [header, ...lines];
  for (const [line, text] of rows) {
    if (text.length === 0 || text.trim() === '') continue;
    const cells = text.split(delimiter);
    if (cells.length !== columns) {
      problems.push({ line, message: `expected ${columns} columns, got ${cells.length}: "${text.slice(0, 80)}"` });
      continue;
    }
    let raw: RawCandle;
    try {
      raw = format.parseRow(cells);
    } catch (error) {
      if (!(error instanceof FieldError)) throw error;
      problems.push({ line, message: error.message });
      continue;
    }
    const sanity = checkOhlc(raw);
    if (sanity) problems.push({ line, message: sanity });
    if (raw.ts === prevTs) {
      problems.push({ line, message: `duplicate ts ${iso(raw.ts)} (same as line ${prevLine})` });
    } else if (raw.ts < prevTs) {
      problems.push({ line, message: `rows out of order: ts ${iso(raw.ts)} comes after ${iso(prevTs)} (line ${prevLine})` });
    } else if (options.timeframe && !isAligned(raw.ts, options.timeframe)) {
      problems.push({ line, message: `ts ${iso(raw.ts)} is not aligned to the ${options.timeframe} timeframe` });
    }
    if (raw.ts > prevTs) {
      prevTs = raw.ts;
      prevLine = line;
    }
    raws.push(raw);
    rowLines.push(line);
  }
  if (raws.length === 0 && problems.length === 0) {
    throw new InputError('the file has a header but no candle rows', { file, line: header[0] });
  }

  const { candles, volumeNote } = chooseVolume(format, raws);
  const gaps = options.timeframe && problems.length === 0 ? findGaps(candles, options.timeframe) : [];
  return { format, candles, lines: rowLines, problems, gaps, volumeNote };
}

function checkOhlc(c: RawCandle): string | undefined {
  const { open, high, low, close, volume } = c;
  // Finite check without allocating: NaN and ±Infinity make x - x non-zero (NaN).
  if (c.ts - c.ts + open - open + high - high + low - low + close - close + volume - volume !== 0) return 'values must be finite numbers';
  if (!Number.isInteger(c.ts)) return `ts ${c.ts} is not a whole millisecond`;
  if (Math.abs(c.ts) > MAX_DATE_MS) return `ts ${c.ts} is outside the representable date range`;
  if (high < low) return `high ${high} is below low ${low}`;
  if (low > Math.min(open, close)) return `low ${low} is above min(open ${open}, close ${close})`;
  if (high < Math.max(open, close)) return `high ${high} is below max(open ${open}, close ${close})`;
  if (volume < 0) return `volume ${volume} is negative`;
  if (c.tickVolume !== undefined && c.tickVolume < 0) return `tick volume ${c.tickVolume} is negative`;
  return undefined;
}

/** MetaTrader exports real volume only for exchange-traded symbols; FX has ticks only. */
function chooseVolume(format: CsvFormat, raws: RawCandle[]): { candles: Candle[]; volumeNote?: string } {
  // Only MetaTrader rows carry tickVolume; the others already are plain Candles.
  if (format.id !== 'metatrader') return { candles: raws };
  const toCandle = (r: RawCandle, volume: number): Candle => ({ ts: r.ts, open: r.open, high: r.high, low: r.low, close: r.close, volume });
  const hasTicks = raws.some((r) => r.tickVolume !== undefined);
  if (raws.some((r) => r.volume !== 0) || !hasTicks) {
    return { candles: raws.map((r) => toCandle(r, r.volume)), volumeNote: 'volume from the Volume/<VOL> column' };
  }
  return {
    candles: raws.map((r) => toCandle(r, r.tickVolume ?? 0)),
    volumeNote: 'tick volume (the Volume/<VOL> column is all zeros)',
  };
}

/** The refusal for a file with problems: the first LISTED_PROBLEMS with line numbers, then a count. */
export function problemsError(file: string | undefined, problems: CsvProblem[]): InputError {
  const listed = problems.slice(0, LISTED_PROBLEMS).map((p) => `  line ${p.line}: ${p.message}`);
  const more = problems.length > LISTED_PROBLEMS ? [`  … and ${problems.length - LISTED_PROBLEMS} more`] : [];
  const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
  return new InputError(`${count}, nothing imported:\n${[...listed, ...more].join('\n')}`, {
    file,
    problems,
  });
}
