/** Test helper: loads the canonical `ts,open,high,low,close,volume` CSVs shipped in data/samples/. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Candle } from '../../src/engine/types.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SAMPLES = path.join(ROOT, 'data/samples');
export const REFERENCE = path.join(ROOT, 'test/fixtures/reference');

export function samplePath(name: string): string {
  return path.join(SAMPLES, name.endsWith('.csv') ? name : `${name}.csv`);
}

export function loadSampleCandles(name: string): Candle[] {
  const lines = readFileSync(samplePath(name), 'utf8').trim().split('\n');
  return lines.slice(1).map((line) => {
    const [ts, open, high, low, close, volume] = line.split(',').map(Number);
    return { ts, open, high, low, close, volume };
  });
}
