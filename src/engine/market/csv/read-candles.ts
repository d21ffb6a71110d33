/**
 * Reads a candle CSV file into Candles. Minimal canonical reader (`ts,open,high,low,close,volume`);
 * format detection and full validation are layered on by the importer.
 */
import { readFileSync } from 'node:fs';
import type { Candle } from '../../types.ts';
import { InputError } from '../../errors.ts';

export function readCandlesFromCsv(file: string): Candle[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new InputError(`cannot read ${file}: ${(cause as Error).message}`, { file }, { cause });
  }
  const lines = text.split(/\r?\n/);
  const candles: Candle[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const cells = lines[i].split(',');
    const [ts, open, high, low, close, volume] = cells.map(Number);
    if (cells.length < 6 || [ts, open, high, low, close, volume].some((x) => !Number.isFinite(x))) {
      throw new InputError(`expected ts,open,high,low,close,volume numbers, got "${lines[i]}"`, { file, line: i + 1 });
    }
    candles.push({ ts, open, high, low, close, volume });
  }
  return candles;
}
