/**
 * Pattern bench: every CAUSAL detector (one PatternEngine with all defaults: swings, structure, FVG, order blocks,
 * liquidity, previous day/week, seven sessions, candle patterns) fed candle by candle, as the live path does,
 * over the shipped BTCUSDT samples. Reports candles per second (median of several runs).
 */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import type { Candle } from '../engine/types.ts';
import { PatternEngine } from '../engine/patterns/index.ts';
import { medianMs, type BenchLine, type BenchSection } from './timing.ts';

const SAMPLES = path.resolve(import.meta.dirname, '../../data/samples');

/** The samples are in the canonical `ts,open,high,low,close,volume` layout; parsed here so the bench measures detectors only. */
function loadSample(name: string): Candle[] {
  const lines = readFileSync(path.join(SAMPLES, name), 'utf8').trim().split('\n');
  return lines.slice(1).map((line) => {
    const [ts, open, high, low, close, volume] = line.split(',').map(Number);
    return { ts, open, high, low, close, volume };
  });
}

function runEngine(candles: readonly Candle[]): number {
  const engine = new PatternEngine();
  let events = 0;
  for (const candle of candles) events += engine.update(candle).length;
  return events;
}

export const sections: BenchSection[] = [
  {
    title: 'patterns',
    async run({ quick, log }) {
      const lines: BenchLine[] = [];
      for (const file of ['binance_BTCUSDT_15m.csv', 'binance_BTCUSDT_1m.csv']) {
        const candles = loadSample(file);
        let events = 0;
        const ms = await medianMs(quick ? 3 : 7, () => {
          events = runEngine(candles);
        });
        log(`patterns: ${file}: ${candles.length} candles, ${events} events, median ${ms.toFixed(1)} ms`);
        lines.push({
          name: `patterns: all causal detectors, ${candles.length.toLocaleString('en-US')} candles (${file})`,
          value: Math.round(candles.length / (ms / 1000)),
          unit: 'candles/s',
          target: '> 100,000 candles/s',
          note: `median ${ms.toFixed(0)} ms per full pass, ${(ms * 1000 / candles.length).toFixed(1)} µs/candle`,
        });
      }
      return lines;
    },
  },
];
