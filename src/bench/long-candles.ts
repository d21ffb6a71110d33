/**
 * A long 1m candle file for the end-to-end backtest bench, built deterministically from the shipped real BTCUSDT 1m
 * sample (66k candles): the sample forward, then the same candles in reverse time order (each candle's open and close
 * swapped, high and low kept), then forward again, and so on. A reversed pass starts exactly where the forward pass
 * ended and ends where it began, so the series is continuous with no scaling and no drift, every price is a real
 * quote, and the crossovers and stop-outs are as frequent as in the real sample. Timestamps are consecutive minutes
 * (the sample's one gap is not reproduced). Never committed: written to a temporary file when the bench runs.
 */
import { createWriteStream, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const LONG_SOURCE = path.join(ROOT, 'data/samples/binance_BTCUSDT_1m.csv');
const MINUTE = 60_000;

/** The source rows as strings, so the written numbers are exactly the source's. */
function sourceRows(file: string): string[][] {
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  return lines.slice(1).map((line) => line.split(','));
}

/** Writes `count` 1m candles to `file` (reused when a file of that name and the same count already exists). */
export async function writeLongCandles(file: string, count: number, source = LONG_SOURCE): Promise<string> {
  const marker = `${file}.count`;
  if (existsSync(file) && existsSync(marker) && readFileSync(marker, 'utf8') === String(count) && statSync(file).size > 0) return file;
  const rows = sourceRows(source);
  const start = Number(rows[0][0]);
  const out = createWriteStream(file);
  let block = 'ts,open,high,low,close,volume\n';
  for (let i = 0; i < count; i++) {
    const pass = Math.floor(i / rows.length);
    const k = i % rows.length;
    const forward = pass % 2 === 0;
    const r = rows[forward ? k : rows.length - 1 - k];
    const ts = start + i * MINUTE;
    block += forward ? `${ts},${r[1]},${r[2]},${r[3]},${r[4]},${r[5]}\n` : `${ts},${r[4]},${r[2]},${r[3]},${r[1]},${r[5]}\n`;
    if (block.length > 1 << 20) {
      if (!out.write(block)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      block = '';
    }
  }
  await new Promise<void>((resolve, reject) => out.end(block, () => resolve()).once('error', reject));
  const { writeFileSync } = await import('node:fs');
  writeFileSync(marker, String(count));
  return file;
}
