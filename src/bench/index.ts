import type { BenchLine, BenchSection } from './timing.ts';
import { sections as market } from './market.ts';
import { sections as indicators } from './indicators.ts';
import { sections as patterns } from './patterns.ts';
import { sections as signals } from './signals.ts';
import { sections as backtest } from './backtest.ts';
import { sections as risk } from './risk.ts';
import { sections as executor } from './executor.ts';
import { sections as live } from './live.ts';
import { sections as charts } from './charts.ts';
import { sections as knowledge } from './knowledge.ts';

export const allSections: BenchSection[] = [...market, ...indicators, ...patterns, ...signals, ...backtest, ...risk, ...executor, ...live, ...charts, ...knowledge];

export function formatLine(line: BenchLine): string {
  const value = Math.abs(line.value) >= 100 ? Math.round(line.value).toLocaleString('en-US') : line.value.toPrecision(3);
  const target = line.target ? `  (target ${line.target})` : '';
  const note = line.note ? `  [${line.note}]` : '';
  return `  ${line.name.padEnd(58)} ${value.padStart(12)} ${line.unit}${target}${note}`;
}
