/**
 * Reads a candle CSV file into Candles, in any supported format (see formats.ts), refusing the whole file
 * on any problem. The importer (import-csv.ts) adds timeframe checks and the store.
 */
import { readFileSync } from 'node:fs';
import type { Candle, Timeframe } from '../../types.ts';
import { InputError } from '../../errors.ts';
import { parseCandleCsv, problemsError, type ParsedCsv } from './parse-csv.ts';

export function readCsvText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (cause) {
    throw new InputError(`cannot read ${file}: ${(cause as Error).message}`, { file }, { cause });
  }
}

/** Parses and validates; throws InputError listing every problem (with line numbers) when there is any. */
export function readCandleFile(file: string, timeframe?: Timeframe): ParsedCsv {
  const parsed = parseCandleCsv(readCsvText(file), { file, timeframe });
  if (parsed.problems.length > 0) throw problemsError(file, parsed.problems);
  return parsed;
}

export function readCandlesFromCsv(file: string, timeframe?: Timeframe): Candle[] {
  return readCandleFile(file, timeframe).candles;
}
