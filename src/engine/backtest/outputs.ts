/**
 * Files a backtest leaves behind: report.json (everything, equity as [ts, equity] rows) and trades.csv (one row
 * per trade). The equity PNG comes from the charts module; the caller passes its renderer in.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BacktestReport, EquityCurve, TradeRecord } from './types.ts';

export type EquityRenderer = (equity: EquityCurve, file: string) => Promise<void>;

const iso = (ts: number) => (Number.isFinite(ts) ? new Date(ts).toISOString() : '');
const num = (v: number) => (Number.isFinite(v) ? String(Number(v.toPrecision(12))) : '');

export const TRADE_COLUMNS = [
  'id', 'symbol', 'setup', 'side', 'entry_time', 'entry_price', 'exit_time', 'exit_price', 'size', 'fees', 'r', 'pnl', 'return_pct', 'exit_reason',
] as const;

export function tradesCsv(trades: TradeRecord[]): string {
  const rows = trades.map((t) =>
    [
      t.id,
      t.symbol,
      `${t.setupId}@${t.setupVersion}`,
      t.side,
      iso(t.entryTs),
      num(t.entryPrice),
      iso(t.exitTs),
      num(t.exitPrice),
      num(t.size),
      num(t.fees),
      num(t.rMultiple),
      num(t.pnl),
      num(t.returnPct * 100),
      t.exitReason,
    ]
      .map((v) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v)))
      .join(','),
  );
  return [TRADE_COLUMNS.join(','), ...rows].join('\n') + '\n';
}

export function reportJson(report: BacktestReport): string {
  const { equity, ...rest } = report;
  const rows = Array.from(equity.ts, (ts, i) => [ts, equity.equity[i]]);
  return JSON.stringify({ ...rest, equity: rows }, null, 1);
}

/** Writes report.json, trades.csv and (when a renderer is given) equity.png into `dir`; returns the paths written. */
export async function writeBacktestOutputs(report: BacktestReport, dir: string, renderEquity?: EquityRenderer): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files = [path.join(dir, 'report.json'), path.join(dir, 'trades.csv')];
  await writeFile(files[0], reportJson(report));
  await writeFile(files[1], tradesCsv(report.trades));
  if (renderEquity) {
    const png = path.join(dir, 'equity.png');
    await renderEquity(report.equity, png);
    files.push(png);
  }
  return files;
}
